"""Benchmark: letters per second through the delivery API. Prints figures; asserts nothing.

    .venv/bin/python bench/delivery.py [--letters 10000] [--mode single|batch|both]
    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/delivery.py

    # where the time goes (cProfile of the timed requests only; top functions printed):
    .venv/bin/python bench/delivery.py --mode batch --letters 2000 --profile /tmp/batch.pstats

Runs in-process through the Flask test client (no network), so it measures the portal's own
work: bearer-token check, JSON parsing, the delivery rules, the database and signing the
delivery confirmation. ``single`` posts the letters one by one to ``POST /api/v1/letters``;
``batch`` posts them to ``POST /api/v1/letters/batch`` in batches of 1,000. Every fifth letter
(20%) carries a personal PDF attachment of 100 KB (a real PDF, padded by an incremental update
holding a stream of random bytes, so each one is different).

The sender is the Belastingdienst of the demo data; the recipients are the demo citizens with
an account who are subscribed to it, in turn; every letter has its own reference. Each mode
starts from a fresh database with the demo data: a throw-away SQLite file unless
PORTAL_DATABASE_URL is set (that database is created if missing and EMPTIED first; the
database ``test`` is refused). Request bodies are built before the clock starts; only the
requests are timed. The per-client rate limit of the API (API_REQUESTS_PER_MINUTE) is lifted
for the run. ``--max-seconds`` bounds each mode: it stops early and says so. letters/s counts
delivered letters (status 201); any other status is listed.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
import pstats
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import database_url, describe, fresh_app  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from portal.demo.organisations import BY_KEY  # noqa: E402
from portal.demo.pdf import letter_pdf  # noqa: E402
from portal.demo.seed import seed_demo  # noqa: E402
from portal.domain.api_clients import create_client  # noqa: E402
from portal.domain.attachments import is_pdf  # noqa: E402
from portal.models import Account, Organisation, Person, Subscription  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402

SENDER = "belastingdienst"
BATCH_SIZE = 1000  # MAX_BATCH_LETTERS of the API
ATTACHMENT_EVERY = 5  # every fifth letter: 20%
ATTACHMENT_BYTES = 100 * 1024
CHUNK = 1000  # single mode: bodies built this many at a time, outside the clock
LETTER_TYPES = ("aanslag", "beschikking", "herinnering", "informatie", "overig")
BODY = (
    "Geachte heer/mevrouw,\n\n"
    "Wij hebben uw aangifte inkomstenbelasting over 2025 ontvangen en verwerkt. In deze brief "
    "leest u hoe hoog de aanslag is en wanneer u moet betalen. Bent u het niet eens met de "
    "aanslag, dan kunt u binnen zes weken na de dagtekening bezwaar maken. Dat kan ook digitaal "
    "via Mijn Belastingdienst. Heeft u vragen? Bel dan de BelastingTelefoon.\n\n"
    "Met vriendelijke groet,\n\nDe Belastingdienst"
)


# -- a 100 KB PDF --------------------------------------------------------------------------


def padded_pdf(base: bytes, size: int, rng: random.Random) -> bytes:
    """``base`` (a PDF with a classic xref table) grown to exactly ``size`` bytes by an
    incremental update: one new, unreferenced stream object of random bytes, a new xref
    section for it and a trailer that points back (/Prev) at the original one."""
    trailer = base[base.rindex(b"trailer"):]
    previous = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    number = int(re.search(rb"/Size (\d+)", trailer).group(1))  # type: ignore[union-attr]
    keep = b"".join(re.findall(rb"(/Root \d+ \d+ R|/Info \d+ \d+ R|/ID \[<[0-9A-Fa-f]+><[0-9A-Fa-f]+>\])",
                               trailer))
    if not base.endswith(b"\n"):
        base += b"\n"

    def build(length: int) -> bytes:
        head = f"{number} 0 obj\n<< /Length {length} >>\nstream\n".encode()
        obj = head + rng_bytes[:length] + b"\nendstream\nendobj\n"
        xref_at = len(base) + len(obj)
        xref = f"xref\n0 1\n0000000000 65535 f \n{number} 1\n{len(base):010d} 00000 n \n".encode()
        tail = (b"trailer\n<< /Size " + str(number + 1).encode() + b" " + keep
                + b" /Prev " + str(previous).encode() + b" >>\nstartxref\n"
                + str(xref_at).encode() + b"\n%%EOF\n")
        return base + obj + xref + tail

    rng_bytes = rng.randbytes(size)
    length = size - len(build(0))
    for _ in range(3):  # the digits of the length and offsets move the total a little
        length += size - len(build(length))
    return build(length)


def attachment_pdfs(count: int, seed: int) -> Iterator[bytes]:
    base = letter_pdf(
        "Aanslag inkomstenbelasting 2025",
        ["Dit is uw persoonlijke aanslag.", "", "U moet het bedrag binnen zes weken betalen."],
        sender="Belastingdienst",
        reference="BENCH",
    )
    rng = random.Random(seed)
    for _ in range(count):
        yield padded_pdf(base, ATTACHMENT_BYTES, rng)


# -- the letters ---------------------------------------------------------------------------


def letter(index: int, prefix: str, bsn: str, pdf: bytes | None) -> dict[str, object]:
    body: dict[str, object] = {
        "bsn": bsn,
        "letter_type": LETTER_TYPES[index % len(LETTER_TYPES)],
        "subject": f"Uw aanslag inkomstenbelasting 2025 ({index})",
        "body": BODY,
        "reference": f"{prefix}-{index:08d}",
        "act_by": "2026-12-31",
        "action": "Betaal het bedrag voor de uiterste datum.",
        "sender_url": "https://www.belastingdienst.nl",
    }
    if pdf is not None:
        body["attachments"] = [{
            "filename": f"aanslag-{index}.pdf",
            "kind": "personal",
            "content": base64.b64encode(pdf).decode(),
        }]
    return body


def letters(start: int, stop: int, prefix: str, recipients: list[str], pdfs: Iterator[bytes]) -> list[dict[str, object]]:
    return [
        letter(i, prefix, recipients[i % len(recipients)], next(pdfs) if i % ATTACHMENT_EVERY == 0 else None)
        for i in range(start, stop)
    ]


# -- set-up --------------------------------------------------------------------------------


@dataclass
class Setup:
    app: Flask
    client: FlaskClient
    headers: dict[str, str]
    recipients: list[str]


# The API allows a client 600 requests a minute (per process): a benchmark of the portal's
# throughput lifts that limit, or it would only measure the 429 answers.
NO_RATE_LIMIT = {"API_REQUESTS_PER_MINUTE": 1_000_000_000}


def set_up(url: str, workdir: str) -> Setup:
    app = fresh_app(url, workdir, **NO_RATE_LIMIT)
    engine = app.extensions["portal.engine"]
    with Session(engine) as db:
        now = utcnow()
        seed_demo(db, now.date(), now)
        sender = db.scalar(select(Organisation).where(Organisation.oin == BY_KEY[SENDER].oin))
        assert sender is not None
        new = create_client(db, sender, "benchmark", ["letters:send"])
        db.commit()
        recipients = list(db.scalars(
            select(Person.bsn)
            .join(Account, Account.person_id == Person.id)
            .join(Subscription, Subscription.account_id == Account.id)
            .where(Subscription.organisation_id == sender.id)
            .order_by(Person.bsn)
        ))
    client = app.test_client()
    basic = base64.b64encode(f"{new.client_id}:{new.client_secret}".encode()).decode()
    response = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials", "scope": "letters:send"},
                           headers={"Authorization": f"Basic {basic}"})
    token = response.get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # One request before the clock starts: creates the signing key, warms the caches.
    client.get("/api/v1/jwks.json")
    return Setup(app, client, headers, recipients)


# -- the runs ------------------------------------------------------------------------------


@dataclass
class Result:
    mode: str
    letters: int = 0
    with_attachment: int = 0
    seconds: float = 0.0
    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    stopped_early: bool = False


def run_single(setup: Setup, total: int, max_seconds: float, profiler: cProfile.Profile | None) -> Result:
    result = Result("single")
    pdfs = attachment_pdfs(total // ATTACHMENT_EVERY + 1, seed=1)
    for start in range(0, total, CHUNK):
        if result.seconds > max_seconds:
            result.stopped_early = True
            break
        items = letters(start, min(start + CHUNK, total), "S", setup.recipients, pdfs)
        bodies = [json.dumps(item).encode() for item in items]
        statuses = []
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        for body in bodies:
            statuses.append(setup.client.post("/api/v1/letters", data=body, headers=setup.headers).status_code)
        result.seconds += time.perf_counter() - started
        if profiler:
            profiler.disable()
        result.requests += len(bodies)
        result.letters += len(items)
        result.with_attachment += sum(1 for item in items if "attachments" in item)
        result.statuses.update(str(status) for status in statuses)
    return result


def run_batch(setup: Setup, total: int, max_seconds: float, profiler: cProfile.Profile | None) -> Result:
    result = Result("batch")
    pdfs = attachment_pdfs(total // ATTACHMENT_EVERY + 1, seed=2)
    for start in range(0, total, BATCH_SIZE):
        if result.seconds > max_seconds:
            result.stopped_early = True
            break
        items = letters(start, min(start + BATCH_SIZE, total), "B", setup.recipients, pdfs)
        body = json.dumps({"letters": items}).encode()
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        response = setup.client.post("/api/v1/letters/batch", data=body, headers=setup.headers)
        result.seconds += time.perf_counter() - started
        if profiler:
            profiler.disable()
        result.requests += 1
        result.letters += len(items)
        result.with_attachment += sum(1 for item in items if "attachments" in item)
        if response.status_code != 200:
            result.statuses[f"batch {response.status_code}"] += len(items)
        else:
            result.statuses.update(str(r["status"]) for r in response.get_json()["results"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--mode", choices=("single", "batch", "both"), default="both")
    parser.add_argument("--max-seconds", type=float, default=900.0,
                        help="stop a mode after this much request time (default 900)")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the timed requests; write pstats to FILE (per mode: FILE.<mode>)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and instance folder")
    args = parser.parse_args()

    modes = ("single", "batch") if args.mode == "both" else (args.mode,)
    sample = next(attachment_pdfs(1, seed=0))
    print(f"attachment: {len(sample)} bytes, passes is_pdf: {is_pdf(sample)}")
    results = []
    for mode in modes:
        workdir = tempfile.mkdtemp(prefix=f"portal-bench-delivery-{mode}-")
        url = database_url(workdir, "bench.sqlite3")
        try:
            setup = set_up(url, workdir)
            engine = setup.app.extensions["portal.engine"]
            print(f"{mode}: database {describe(url)}; {len(setup.recipients)} recipients; sending {args.letters} letters …",
                  flush=True)
            profiler = cProfile.Profile() if args.profile else None
            run = run_single if mode == "single" else run_batch
            result = run(setup, args.letters, args.max_seconds, profiler)
            results.append((describe(url), result))
            if profiler is not None:
                path = f"{args.profile}.{mode}"
                profiler.dump_stats(path)
                print(f"profile written to {path}; top 30 by cumulative time:")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            engine.dispose()
        finally:
            if args.keep:
                print(f"kept: {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)

    print()
    print("letters/s counts delivered letters (status 201) only.")
    print(f"{'database':34} {'mode':7} {'letters':>8} {'seconds':>8} {'letters/s':>10} {'attach':>7}  statuses")
    for database, r in results:
        rate = r.statuses.get("201", 0) / r.seconds if r.seconds else 0.0
        share = r.with_attachment / r.letters if r.letters else 0.0
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r.statuses.items()))
        note = "  (stopped early: --max-seconds)" if r.stopped_early else ""
        print(f"{database:34} {r.mode:7} {r.letters:8d} {r.seconds:8.2f} {rate:10.1f} {share:7.0%}  {statuses}{note}")


if __name__ == "__main__":
    main()
