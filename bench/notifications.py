"""Benchmark: the notification worker, e-mails per second to a local SMTP server. Prints
figures; asserts nothing (but says, and exits 1, when the server did not get exactly N).

    .venv/bin/python bench/notifications.py [--emails 2000] [--batch-size 20] [--max-seconds 300]
    PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/notifications.py

Starts an SMTP server (aiosmtpd, in a thread of this process) on 127.0.0.1 at a free port and
points the portal at it with PORTAL_SMTP_HOST / PORTAL_SMTP_PORT and PORTAL_SMTP_STARTTLS=0.
No other network is used.

Set-up (not timed): the demo data, then N extra citizens with an account, a confirmed address
of their own and a subscription to the Belastingdienst; each gets one letter, placed and
queued the way a delivery does it (``place_letter``, ``notify_new_letter`` and the
"notification queued" track-and-trace event). So the outbox holds N "new post" e-mails, one
per address. Timed: ``Worker(app).process_due()`` (the real worker: claim a batch, look up
the address, write the e-mail, send it over one SMTP connection per batch, mark it sent and
trace it on the letter) until the outbox is empty, or ``--max-seconds`` have passed.

The database is a throw-away SQLite file unless PORTAL_DATABASE_URL is set (that database
is created if missing and EMPTIED first; the database ``test`` is refused).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import database_url, describe, fresh_app  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from portal.config import NOTIFICATION_BATCH_SIZE  # noqa: E402
from portal.demo.organisations import BY_KEY  # noqa: E402
from portal.demo.seed import seed_demo  # noqa: E402
from portal.domain.bsn import is_valid_bsn  # noqa: E402
from portal.domain.letters import LetterDraft, place_letter  # noqa: E402
from portal.domain.notifications import notify_new_letter  # noqa: E402
from portal.models import (  # noqa: E402
    Account,
    LetterEvent,
    LetterEventKind,
    Notification,
    NotificationSettings,
    NotificationStatus,
    Organisation,
    Person,
    Subscription,
)
from portal.notifications.backends import SmtpBackend  # noqa: E402
from portal.notifications.worker import Tally, Worker  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402

SENDER = "belastingdienst"
CHUNK = 500  # citizens set up per transaction
# Made-up BSNs that pass the elfproef, away from the demo's 9999xxxxx.
FIRST_BSN = 970_000_000


class Inbox:
    """aiosmtpd handler: counts what arrives, per recipient."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages = 0
        self.recipients: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages += 1
            self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bsns(count: int) -> list[str]:
    found: list[str] = []
    number = FIRST_BSN
    while len(found) < count:
        text = f"{number:09d}"
        if is_valid_bsn(text):
            found.append(text)
        number += 1
    return found


def address(index: int) -> str:
    return f"lezer{index:06d}@example.org"


def set_up_outbox(session: Session, count: int) -> int:
    """N citizens with a confirmed address, each with one new letter queued. Returns the
    number of pending outbox rows."""
    now = utcnow()
    seed_demo(session, now.date(), now)
    sender = session.scalar(select(Organisation).where(Organisation.oin == BY_KEY[SENDER].oin))
    assert sender is not None
    birth = date(now.year - 40, 1, 15)
    numbers = bsns(count)
    for start in range(0, count, CHUNK):
        part = range(start, min(start + CHUNK, count))
        person_ids = session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True),
            [
                {"bsn": numbers[i], "given_names": "Test", "surname_prefix": "", "surname": f"Lezer {i}",
                 "birth_date": birth, "street": "Teststraat", "house_number": str(i + 1),
                 "postcode": "3511 AA", "city": "Utrecht", "residence_country": "NL", "nationality": "NL"}
                for i in part
            ],
        ).all()
        account_ids = session.scalars(
            insert(Account).returning(Account.id, sort_by_parameter_order=True),
            [{"person_id": person_id, "created_at": now - timedelta(days=30)} for person_id in person_ids],
        ).all()
        session.execute(insert(Subscription), [
            {"account_id": account_id, "organisation_id": sender.id, "created_at": now - timedelta(days=30)}
            for account_id in account_ids
        ])
        session.execute(insert(NotificationSettings), [
            {"account_id": account_id, "email_address": address(i), "confirmed_at": now - timedelta(days=1),
             "notify": True, "remind_unread": False, "language": "nl", "updated_at": now - timedelta(days=1)}
            for i, account_id in zip(part, account_ids, strict=True)
        ])
        placed = utcnow()
        for i, account_id in zip(part, account_ids, strict=True):
            draft = LetterDraft(subject="Uw aanslag 2025", body="Er staat een aanslag voor u klaar.",
                                reference=f"N-{i:07d}")
            letter = place_letter(session, account_id=account_id, organisation_id=sender.id, draft=draft,
                                  placed_at=placed)
            session.flush()
            if notify_new_letter(session, letter):
                session.add(LetterEvent(letter_id=letter.id, kind=LetterEventKind.NOTIFICATION_QUEUED, at=placed))
        session.commit()
    return session.scalar(
        select(func.count(Notification.id)).where(Notification.status == NotificationStatus.PENDING)
    ) or 0


def outbox_statuses(session: Session) -> dict[str, int]:
    rows = session.execute(select(Notification.status, func.count(Notification.id)).group_by(Notification.status))
    return {status.value: count for status, count in rows}


def traced_as_sent(session: Session) -> int:
    return session.scalar(
        select(func.count(LetterEvent.id)).where(LetterEvent.kind == LetterEventKind.NOTIFICATION_SENT)
    ) or 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=NOTIFICATION_BATCH_SIZE,
                        help=f"e-mails a worker claims at a time, one SMTP connection each "
                             f"(default: the portal's {NOTIFICATION_BATCH_SIZE})")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="stop the worker after this long (default 300)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and instance folder")
    args = parser.parse_args()

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update({"PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(port),
                       "PORTAL_SMTP_STARTTLS": "0", "PORTAL_SMTP_TIMEOUT": "10"})
    workdir = tempfile.mkdtemp(prefix="portal-bench-notifications-")
    url = database_url(workdir, "bench.sqlite3")
    try:
        app = fresh_app(url, workdir)
        engine = app.extensions["portal.engine"]
        started = time.perf_counter()
        with Session(engine) as session:
            queued = set_up_outbox(session, args.emails)
        print(f"database {describe(url)}; SMTP server 127.0.0.1:{port}; "
              f"{queued} e-mails queued in {time.perf_counter() - started:.1f} s", flush=True)

        worker = Worker(app, batch_size=args.batch_size)
        if not isinstance(worker.backend, SmtpBackend) or worker.backend.starttls:
            print(f"The SMTP settings were not picked up: backend {worker.backend!r}")
            return 1
        tally = Tally()
        timer = threading.Timer(args.max_seconds, worker.stopping.set)
        timer.daemon = True
        timer.start()
        started = time.perf_counter()
        while not worker.stopping.is_set():
            step = worker.process_due()
            tally.add(step)
            if not step:
                break  # nothing was due: the outbox is empty (or only rows waiting for a retry)
        seconds = time.perf_counter() - started
        timer.cancel()
        stopped_early = worker.stopping.is_set()

        with Session(engine) as session:
            statuses = outbox_statuses(session)
            traced = traced_as_sent(session)
        received = inbox.messages
        duplicates = sum(1 for count in inbox.recipients.values() if count > 1)
        expected = {address(i) for i in range(args.emails)}
        missing = len(expected - set(inbox.recipients))
        print(f"worker: {tally.describe()}; batch size {args.batch_size}")
        print(f"outbox afterwards: {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))}; "
              f"letters traced as notification_sent: {traced}")
        print()
        print(f"{'database':34} {'e-mails':>8} {'seconds':>8} {'e-mails/s':>10}  server received")
        rate = tally.sent / seconds if seconds else 0.0
        note = "  (stopped early: --max-seconds)" if stopped_early else ""
        print(f"{describe(url):34} {tally.sent:8d} {seconds:8.2f} {rate:10.1f}  {received}{note}")
        exact = received == args.emails and missing == 0 and duplicates == 0
        print(f"check: server received {received} of {args.emails} e-mails, {missing} addresses missing, "
              f"{duplicates} got more than one: {'OK' if exact else 'NOT EXACTLY N'}")
        engine.dispose()
        return 0 if exact else 1
    finally:
        controller.stop()
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
