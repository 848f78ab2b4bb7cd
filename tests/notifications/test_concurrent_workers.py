"""Several workers at once (threads, each with its own database session) never send the same
row twice, and together send every row. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import Flask
from sqlalchemy import insert
from sqlalchemy.orm import Session

from portal.models import Notification, NotificationKind, NotificationStatus
from portal.notifications import outbox as queue
from portal.notifications.worker import Tally, Worker
from tests.notifications.support import give_address, organisation, outbox
from tests.support.login import account_of

ROWS = 60
WORKERS = 3


class RecordingBackend:
    """Accepts every message after a short pause (so claims overlap) and records its row id."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[object]:
        def send(message: EmailMessage) -> None:
            time.sleep(0.002)
            with self.lock:
                self.sent.append(message["X-Portal-Notification"])

        yield send


def fill_outbox(db: Session, now: datetime) -> None:
    joke = account_of(db, "joke")
    give_address(db, joke.id, "lezer@example.nl", now)
    org = organisation(db).id
    db.execute(insert(Notification), [
        {"kind": NotificationKind.NEW_LETTER, "account_id": joke.id, "organisation_id": org,
         "status": NotificationStatus.PENDING, "attempts": 0, "created_at": now, "next_attempt_at": now}
        for _ in range(ROWS)
    ])
    db.commit()


def in_threads(work: Callable[[int], None]) -> None:
    """Run ``work(number)`` for each of the WORKERS in its own thread; wait for them all."""
    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_concurrent_workers_never_send_a_row_twice(app: Flask, db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    fill_outbox(db, now)
    backend = RecordingBackend()
    start = threading.Barrier(WORKERS)
    tallies: list[Tally] = []
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            with app.app_context():
                worker = Worker(app, backend, worker_id=f"worker-{number}", batch_size=4)
                start.wait()
                tallies.append(worker.process_due(now))
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    in_threads(work)
    assert errors == []
    counts = Counter(backend.sent)
    assert [row_id for row_id, count in counts.items() if count > 1] == []
    rows = outbox(db)
    assert len(counts) == ROWS == len(rows)
    assert {r.status for r in rows} == {NotificationStatus.SENT}
    assert all(r.attempts == 1 for r in rows)
    assert sum(t.sent for t in tallies) == ROWS
    # More than one worker took part (each claims 4 at a time, with a pause per e-mail).
    assert len({r.claimed_by.split("/")[0] for r in rows if r.claimed_by}) > 1


def test_claims_at_the_same_moment_do_not_overlap(app: Flask, db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    fill_outbox(db, now)
    sessionmaker = app.extensions["portal.sessionmaker"]
    start = threading.Barrier(WORKERS)
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def grab(number: int) -> None:
        with sessionmaker() as session:
            start.wait()
            mine: list[int] = []
            while True:
                claim = queue.claim(session, f"grabber-{number}", now, limit=7)
                if not claim.notifications:
                    break
                mine.extend(n.id for n in claim.notifications)
            with lock:
                claimed.append(mine)

    in_threads(grab)
    everything = [row_id for mine in claimed for row_id in mine]
    assert len(everything) == len(set(everything)) == ROWS
    # All claimed and leased: nothing is due again until the leases run out.
    with sessionmaker() as session:
        assert queue.claim(session, "late", now + timedelta(seconds=1)).notifications == []
