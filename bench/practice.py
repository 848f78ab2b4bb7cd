"""Benchmark: practice mode with a class of learners, each in a sandbox of their own (issue 10).

    .venv/bin/python bench/practice.py [--learners 30] [--seconds 10] [--rounds 3] [--lesson beginnen]
    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/practice.py

Prints figures; asserts nothing. Three parts:

1. Making and resetting one sandbox, in process (median and slowest of 20 each, after one
   warm-up that fills the PDF cache): what "Begin met oefenen" and "Opnieuw beginnen" cost.
2. A class: ``--learners`` browsers (one ``requests`` session each) begin the lesson over HTTP
   and log in through the practice DigiD, as a learner does; the time of each begin is noted.
3. Pages with all those sandboxes active: every learner goes round the lesson's pages
   (Oefenen, Berichtenbox, the newest letter, the archive, Lopende Zaken, a case, Gegevens) for
   ``--seconds``, all at once. Interleaved with it, as many clients ask a bare Flask route
   ("ok") in the same server process: the reference. ``--rounds`` rounds of both; medians
   over the rounds. The server is werkzeug's threaded server in a separate process (the
   portal's own server until issue 12 brings gunicorn). The machine load is printed with
   each round: the machine is shared, so compare ratios from one run.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench._support import describe, fresh_app  # noqa: E402
from portal.config import PortalMode  # noqa: E402
from portal.demo.people import PRACTICE_PASSWORD  # noqa: E402
from portal.domain.mandates import today_in_nl  # noqa: E402
from portal.practice import sandboxes  # noqa: E402
from portal.practice.scenarios import people  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402

SERVER = textwrap.dedent("""
    import logging, os, sys
    sys.path.insert(0, {root!r})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.serving import make_server
    from portal import create_app
    from portal.config import PortalMode
    portal = create_app({{"ENV": "test", "DATABASE_URL": {url!r}, "SECRET_KEY": {secret!r},
                          "MODE": PortalMode.PRACTICE, "BASE_URL": {base!r}, "PRACTICE_DIGID": True,
                          "OIDC_ISSUER": {base!r} + "/oefen-digid",
                          "OIDC_REDIRECT_URI": {base!r} + "/inloggen/terug"}})
    bare = Flask("bare")
    bare.add_url_rule("/", "ok", lambda: "ok")
    app = DispatcherMiddleware(portal, {{"/bare": bare}})
    make_server("127.0.0.1", {port}, app, threaded=True).serve_forever()
""")
LETTER_LINK = re.compile(r'href="(/berichten/[0-9a-f-]{36})"')
CASE_LINK = re.compile(r'href="(/zaken/[0-9a-f-]{36})"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token"
    return found.group(1) or found.group(2)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def in_process(app, lesson: str, count: int = 20) -> None:  # type: ignore[no-untyped-def]
    engine = app.extensions["portal.engine"]
    made, reset = [], []
    with Session(engine, expire_on_commit=False) as db:
        now = utcnow()
        sandboxes.create(db, lesson, today_in_nl(now), now)  # warm-up: imports, PDF cache
        for _ in range(count):
            start = time.perf_counter()
            new = sandboxes.create(db, lesson, today_in_nl(now), now)
            made.append(time.perf_counter() - start)
            start = time.perf_counter()
            sandboxes.reset(db, new.sandbox, today_in_nl(now), now)
            reset.append(time.perf_counter() - start)
        for sandbox_id in [s.id for s in db.query(sandboxes.PracticeSandbox)]:
            sandboxes.remove(db, sandbox_id)
        db.commit()
    print(f"lesson {lesson!r} ({len(people(lesson))} practice persons)")
    print(f"  make a sandbox : median {_ms(statistics.median(made))}, slowest {_ms(max(made))} (n={count})")
    print(f"  reset it       : median {_ms(statistics.median(reset))}, slowest {_ms(max(reset))} (n={count})")


class Learner:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.pages: list[str] = []

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, timeout=60)

    def begin(self, lesson: str) -> float:
        token = _csrf(self.get("/oefenen/").text)
        start = time.perf_counter()
        answer = self.http.post(self.base + "/oefenen/beginnen", data={"les": lesson, "csrf_token": token},
                                timeout=60, allow_redirects=False)
        took = time.perf_counter() - start
        assert answer.status_code == 302, answer.status_code
        return took

    def log_in(self, username: str) -> None:
        authorize = self.http.get(self.base + "/inloggen", timeout=60, allow_redirects=False).headers["Location"]
        form = self.http.get(authorize, timeout=60)
        answer = self.http.post(authorize, data={"username": username, "password": PRACTICE_PASSWORD,
                                                 "csrf_token": _csrf(form.text)}, timeout=60)
        assert urlsplit(answer.url).path.startswith("/berichten"), answer.url
        inbox = answer.text
        letter = LETTER_LINK.search(inbox)
        cases = self.get("/zaken/").text
        case = CASE_LINK.search(cases)
        self.pages = ["/oefenen/", "/berichten/", "/berichten/archief", "/zaken/", "/gegevens"]
        self.pages += [found.group(1) for found in (letter, case) if found]


def _load(base: str, clients: list[Learner] | int, seconds: float) -> dict[str, list[float]]:
    """Everyone at once for ``seconds``: learners go round their pages, or (an int) that many
    bare clients ask the reference route. Returns the times per page."""
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(learner: Learner | None) -> None:
        http = learner.http if learner else requests.Session()
        pages = learner.pages if learner else ["/bare/"]
        i = 0
        while time.monotonic() < stop:
            path = pages[i % len(pages)]
            start = time.perf_counter()
            answer = http.get(base + path, timeout=60, allow_redirects=False)
            took = time.perf_counter() - start
            assert answer.status_code == 200, (path, answer.status_code)
            with lock:
                times["page" if learner is None else _kind(path)].append(took)
            i += 1

    workers = [threading.Thread(target=run, args=(c,)) for c in clients] if isinstance(clients, list) \
        else [threading.Thread(target=run, args=(None,)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return times


def _kind(path: str) -> str:
    if LETTER_LINK.match(f'href="{path}"'):
        return "/berichten/<letter>"
    if CASE_LINK.match(f'href="{path}"'):
        return "/zaken/<case>"
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lesson", default="beginnen")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="portal-bench-practice-")
    url = os.environ.get("PORTAL_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    secret = os.urandom(16).hex()
    app = fresh_app(url, workdir, MODE=PortalMode.PRACTICE, BASE_URL=base, PRACTICE_DIGID=True,
                    OIDC_ISSUER=base + "/oefen-digid")
    print(f"database: {describe(url)}; {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}")
    in_process(app, args.lesson)
    app.extensions["portal.engine"].dispose()

    script = SERVER.format(root=str(Path(__file__).resolve().parents[1]), url=url, secret=secret, base=base,
                           port=port)
    server = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PORTAL_INSTANCE_PATH": workdir})
    try:
        for _ in range(100):
            try:
                requests.get(base + "/bare/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        learners = [Learner(base) for _ in range(args.learners)]
        begins = [learner.begin(args.lesson) for learner in learners]
        print(f"{args.learners} learners begin over HTTP: median {_ms(statistics.median(begins))}, "
              f"slowest {_ms(max(begins))}")
        learner_name = people(args.lesson)[0]
        for learner in learners:
            learner.log_in(learner_name)
        print(f"{args.learners} learners logged in as {learner_name!r}, each in their own sandbox; "
              f"every one goes round {len(learners[0].pages)} pages, all at once, "
              f"{args.seconds:.0f} s per round")
        medians: dict[str, list[float]] = defaultdict(list)
        p95s: dict[str, list[float]] = defaultdict(list)
        rates: dict[str, list[float]] = defaultdict(list)
        for number in range(1, args.rounds + 1):
            for what, clients in (("portal", learners), ("bare", args.learners)):
                times = _load(base, clients, args.seconds)
                for page, values in times.items():
                    key = "bare route ('ok')" if what == "bare" else page
                    medians[key].append(statistics.median(values))
                    p95s[key].append(statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values))
                rates[what].append(sum(len(v) for v in times.values()) / args.seconds)
            print(f"  round {number}: load {os.getloadavg()[0]:.2f}")
        print(f"{'page':24} {'median':>10} {'p95':>10}   (medians over {args.rounds} rounds, "
              f"{args.learners} clients at once)")
        for key in sorted(medians, key=lambda k: (k.startswith("bare"), k)):
            print(f"  {key:22} {_ms(statistics.median(medians[key]))} {_ms(statistics.median(p95s[key]))}")
        portal_rate, bare_rate = statistics.median(rates["portal"]), statistics.median(rates["bare"])
        print(f"requests per second: portal pages {portal_rate:.1f}, bare route {bare_rate:.1f} "
              f"(ratio {portal_rate / bare_rate:.2f})")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
