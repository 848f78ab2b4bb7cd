"""Benchmark: the inbox with 10,000 letters in one box. Prints figures; asserts nothing.

    .venv/bin/python bench/inbox.py [--letters 10000] [--requests 200]
    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/inbox.py

Runs in-process through the Flask test client (no network), so it measures the portal's own
work: session check, queries and template rendering. Uses a throw-away SQLite file unless
PORTAL_DATABASE_URL is set (that database is emptied first!).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench._support import fresh_app  # noqa: E402
from portal.demo.people import by_username  # noqa: E402
from portal.demo.seed import add_letters_for_benchmark, seed_demo  # noqa: E402
from portal.login_sessions import SESSION_KEY, token_hash  # noqa: E402
from portal.models import Account, LoginSession, Organisation, Person  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="portal-bench-")
    url = os.environ.get("PORTAL_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    app = fresh_app(url, workdir)  # refuses to empty the database "test"
    engine = app.extensions["portal.engine"]

    with Session(engine) as db:
        now = utcnow()
        seed_demo(db, now.date(), now)
        person = db.scalar(select(Person).where(Person.bsn == by_username("joke").bsn))
        account = db.scalar(select(Account).where(Account.person_id == person.id))
        organisation_ids = list(db.scalars(select(Organisation.id)))
        started = time.perf_counter()
        add_letters_for_benchmark(db, account.id, organisation_ids, args.letters, now)
        db.commit()
        print(f"database: {engine.dialect.name}; inserted {args.letters} letters "
              f"in {time.perf_counter() - started:.2f} s")
        token = secrets.token_urlsafe(32)
        db.add(LoginSession(token_hash=token_hash(token), account_id=account.id))
        db.commit()
        first_org = organisation_ids[0]

    client = app.test_client()
    with client.session_transaction() as session:
        session[SESSION_KEY] = token

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    def deep_cursor() -> str:
        # Walk 100 pages down to measure a page far from the top.
        path = "/berichten/"
        for _ in range(100):
            body = client.get(path).get_data(as_text=True)
            marker = 'href="/berichten/?na='
            start = body.index(marker) + len('href="')
            path = body[start:body.index('"', start)].replace("&amp;", "&")
        return path

    cases = {
        "first page": "/berichten/",
        "page 101": deep_cursor(),
        "filtered by organisation": f"/berichten/?van={first_org}",
        "htmx fragment": "/berichten/",
    }
    print(f"{'case':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, path in cases.items():
        headers = {"HX-Request": "true"} if name == "htmx fragment" else {}
        timings = []
        for _ in range(args.requests):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:28} {statistics.median(timings):10.2f} {p95:8.2f} {len(statements):8d}")


if __name__ == "__main__":
    main()
