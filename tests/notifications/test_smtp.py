"""The SMTP backend against a real local SMTP server (aiosmtpd in a thread): delivery, the
server being down (rows stay and are retried with backoff), and everything going out exactly
once when it is back; a refusal for good marks the row failed."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy.orm import Session

from portal.models import NotificationStatus
from portal.notifications.backends import SmtpBackend, backend_from_config
from portal.notifications.outbox import retry_delay
from portal.notifications.worker import Worker
from tests.notifications.support import letter_with_email, outbox
from tests.support.login import account_of

# Rows queued during the test are due a little after the ``now`` fixture.
LATER = timedelta(minutes=1)


class Inbox:
    """An aiosmtpd handler that keeps what it receives; refuses addresses at refused.example."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app: Flask, smtp_server: SmtpServer) -> Flask:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False,
                      SMTP_TIMEOUT=5, SMTP_FROM="Burgerportaal <noreply@burgerportaal.example>")
    return app


def queue_three(db: Session, now: datetime) -> dict[int, str]:
    addresses = {}
    for name in ("joke", "sanne", "ahmed"):
        account = account_of(db, name)
        addresses[account.id] = f"{name}@example.nl"
        letter_with_email(db, account.id, addresses[account.id], now)
    db.commit()
    return addresses


def test_smtp_host_in_the_config_selects_smtp(smtp_app: Flask, smtp_server: SmtpServer) -> None:
    backend = backend_from_config(smtp_app.config)
    assert backend == SmtpBackend(host="127.0.0.1", port=smtp_server.port, starttls=False, timeout=5)


def test_sends_through_smtp(smtp_app: Flask, smtp_server: SmtpServer, db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    smtp_server.start()
    addresses = queue_three(db, now)
    tally = Worker(smtp_app).process_due(now + LATER)
    assert tally.sent == 3
    received = sorted(m["To"] for m in smtp_server.inbox.messages)
    assert received == sorted(addresses.values())
    assert {sender for sender, _to in smtp_server.inbox.envelopes} == {"noreply@burgerportaal.example"}
    assert all(m["Subject"] == "U heeft nieuwe post in uw Berichtenbox" for m in smtp_server.inbox.messages)
    assert {n.status for n in outbox(db)} == {NotificationStatus.SENT}


def test_smtp_down_then_back_sends_everything_exactly_once(
    smtp_app: Flask, smtp_server: SmtpServer, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    addresses = queue_three(db, now)
    worker = Worker(smtp_app)
    t0 = now + LATER

    # Nothing listens on the port: connection refused. The rows stay, with a backoff.
    tally = worker.process_due(t0)
    assert (tally.sent, tally.retried) == (0, 3)
    rows = outbox(db)
    assert all(r.status is NotificationStatus.PENDING and r.attempts == 1 for r in rows)
    assert all(r.last_error == "MailUnavailable(ConnectionRefusedError)" for r in rows)
    first_retry = t0 + retry_delay(1)
    assert not worker.process_due(first_retry - timedelta(seconds=1))  # not due yet

    tally = worker.process_due(first_retry)
    assert tally.retried == 3
    assert all(r.attempts == 2 for r in outbox(db))
    second_retry = first_retry + retry_delay(2)
    assert retry_delay(2) == timedelta(minutes=2)

    # The server is back. Nothing happens before the backoff is over; then all goes out once.
    smtp_server.start()
    assert not worker.process_due(second_retry - timedelta(seconds=1))
    assert smtp_server.inbox.messages == []
    tally = worker.process_due(second_retry)
    assert tally.sent == 3
    assert not worker.process_due(second_retry + timedelta(days=2))
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == sorted(addresses.values())
    ids = [m["X-Portal-Notification"] for m in smtp_server.inbox.messages]
    assert len(ids) == len(set(ids)) == 3
    assert all(r.status is NotificationStatus.SENT and r.attempts == 3 for r in outbox(db))


def test_a_refusal_for_good_marks_the_row_failed(smtp_app: Flask, smtp_server: SmtpServer, db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    smtp_server.start()
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    letter_with_email(db, joke.id, "niemand@refused.example", now)
    letter_with_email(db, sanne.id, "sanne@example.nl", now)
    db.commit()
    tally = Worker(smtp_app).process_due(now + LATER)
    assert (tally.sent, tally.failed) == (1, 1)
    statuses = {n.account_id: (n.status, n.last_error) for n in outbox(db)}
    assert statuses[joke.id] == (NotificationStatus.FAILED, "MailRejected(SMTPRecipientsRefused 550)")
    assert statuses[sanne.id][0] is NotificationStatus.SENT
    assert [m["To"] for m in smtp_server.inbox.messages] == ["sanne@example.nl"]


def test_smtp_stopped_mid_run_and_started_again_delivers_each_once(
    smtp_app: Flask, smtp_server: SmtpServer, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    from contextlib import contextmanager

    from portal.notifications.backends import backend_from_config

    addresses = queue_three(db, now)
    smtp_server.start()

    class StopsAfterFirstMessage:
        """The real SMTP backend, but the server goes down right after the first message."""

        def __init__(self) -> None:
            self.inner = backend_from_config(smtp_app.config)
            self.stopped = False

        @contextmanager
        def connection(self):  # type: ignore[no-untyped-def]
            with self.inner.connection() as send:
                def send_then_stop(message):  # type: ignore[no-untyped-def]
                    send(message)
                    if not self.stopped:
                        self.stopped = True
                        smtp_server.stop()
                yield send_then_stop

    t0 = now + LATER
    tally = Worker(smtp_app, StopsAfterFirstMessage()).process_due(t0)
    assert tally.sent == 1 and tally.retried == 2
    assert len(smtp_server.inbox.messages) == 1

    smtp_server.start()
    tally = Worker(smtp_app).process_due(t0 + retry_delay(1))
    assert tally.sent == 2
    assert not Worker(smtp_app).process_due(t0 + timedelta(days=2))
    ids = [m["X-Portal-Notification"] for m in smtp_server.inbox.messages]
    assert len(ids) == len(set(ids)) == 3
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == sorted(addresses.values())
