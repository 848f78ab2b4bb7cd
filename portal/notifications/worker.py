"""The outbox worker: sends what is due, retries with backoff, queues the 3-week reminders.

Several workers may run at once (see ``outbox``). Each call of ``process_due`` uses a session
of its own, so workers in threads of one process are as independent as separate processes.
Logs name outbox ids and kinds only: never an address.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from flask import Flask
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from portal.config import (
    NOTIFICATION_BATCH_SIZE,
    NOTIFICATION_LEASE_SECONDS,
    REMINDER_QUEUE_INTERVAL_SECONDS,
    SANDBOX_PURGE_INTERVAL_SECONDS,
    is_practice,
)
from portal.domain import notifications as rules
from portal.mandates.daily import MANDATE_JOB_INTERVAL_SECONDS
from portal.models import Notification, NotificationStatus
from portal.notifications import outbox
from portal.notifications.backends import (
    MailBackend,
    MailRejected,
    MailUnavailable,
    backend_from_config,
    error_code,
)
from portal.notifications.emails import compose
from portal.timeutil import utcnow

log = logging.getLogger("portal.notifications")


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.dropped += other.dropped

    def __bool__(self) -> bool:
        return bool(self.sent or self.retried or self.failed or self.dropped)

    def describe(self) -> str:
        return (f"{self.sent} sent, {self.retried} to retry, {self.failed} failed, "
                f"{self.dropped} not needed any more")


def default_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(
        self,
        app: Flask,
        backend: MailBackend | None = None,
        *,
        worker_id: str | None = None,
        batch_size: int = NOTIFICATION_BATCH_SIZE,
        lease_seconds: int = NOTIFICATION_LEASE_SECONDS,
    ) -> None:
        self.app = app
        self.backend = backend or backend_from_config(app.config)
        self.worker_id = worker_id or default_worker_id()
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.stopping = threading.Event()

    def _session(self) -> Session:
        return self.app.extensions["portal.sessionmaker"]()

    def process_due(self, now: datetime | None = None) -> Tally:
        """Send everything that is due at ``now`` (default: the current time), batch by batch."""
        tally = Tally()
        with self._session() as session:
            while not self.stopping.is_set():
                # Fresh objects every batch: settings may have changed since the last one.
                session.expunge_all()
                moment = now or utcnow()
                claim = outbox.claim(session, self.worker_id, moment, limit=self.batch_size,
                                     lease_seconds=self.lease_seconds)
                if not claim.notifications:
                    break
                tally.add(self._deliver(session, claim, moment))
        return tally

    def queue_reminders(self, now: datetime | None = None) -> int:
        """Queue the 3-week reminders that are due; 0 if another worker just did it."""
        with self._session() as session:
            try:
                count = rules.queue_unread_reminders(session, now or utcnow())
                session.commit()
            except IntegrityError:
                session.rollback()
                return 0
        return count

    def run_mandate_job(self, now: datetime | None = None) -> None:
        """Expiry letters and the 15-month purge of mandates (``portal.mandates.daily``)."""
        from portal.mandates import daily  # the mandate area; imported late

        with self.app.app_context(), self._session() as session:
            result = daily.run(session, now or utcnow())
        if result.warned or result.purged:
            log.info("Mandates: %s", result.describe())

    def purge_practice_sandboxes(self, now: datetime | None = None) -> int:
        """Practice mode: remove the sandboxes idle for ``sandboxes.IDLE_HOURS`` or longer, and
        the classes that ended that long ago."""
        from portal.practice import classes, sandboxes  # practice mode only; imported late

        moment = now or utcnow()
        with self._session() as session:
            purged = sandboxes.purge_idle(session, moment)
            ended = classes.purge_ended(session, moment)
        if purged or ended:
            log.info("Practice: %d idle sandboxes and %d ended classes purged", purged, ended)
        return purged

    def _deliver(self, session: Session, claim: outbox.Claim, now: datetime) -> Tally:
        tally = Tally()
        ready: list[tuple[Notification, EmailMessage]] = []
        # Decide and write every e-mail first: no connection is opened for nothing.
        for notification in claim.notifications:
            try:
                recipient = rules.recipient_for(session, notification, now)
                if recipient is None:
                    outbox.mark_dropped(session, notification, claim.token, now)
                    tally.dropped += 1
                    log.info("Notification %s (%s) not needed any more", notification.id, notification.kind.value)
                    continue
                ready.append((notification, compose(self.app, session, notification, recipient, now)))
            except SQLAlchemyError:
                raise
            except Exception as error:  # a template or data problem: retry, then fail
                log.exception("Notification %s could not be written", notification.id)
                self._retry(session, notification, claim.token, now, error, tally)
        if not ready:
            return tally
        started = time.monotonic()
        try:
            with self.backend.connection() as send:
                while ready:
                    if self.stopping.is_set() or time.monotonic() - started > self.lease_seconds / 2:
                        # Give the rest back before the lease runs out: another worker may go on.
                        outbox.release(session, [n for n, _m in ready], claim.token)
                        ready = []
                        break
                    notification, message = ready.pop(0)
                    try:
                        send(message)
                    except MailRejected as error:
                        outbox.mark_failed(session, notification, claim.token, now, error_code(error))
                        tally.failed += 1
                        log.warning("Notification %s refused by the mail server: %s",
                                    notification.id, error_code(error))
                    except MailUnavailable:
                        ready.insert(0, (notification, message))
                        raise
                    except Exception as error:
                        self._retry(session, notification, claim.token, now, error, tally)
                    else:
                        outbox.mark_sent(session, notification, claim.token, now)
                        tally.sent += 1
                        log.info("Notification %s (%s) sent", notification.id, notification.kind.value)
        except MailUnavailable as error:
            log.warning("Mail backend unavailable (%s): %d e-mails wait", error_code(error), len(ready))
            for notification, _message in ready:
                self._retry(session, notification, claim.token, now, error, tally)
        return tally

    @staticmethod
    def _retry(session: Session, notification: Notification, token: str, now: datetime,
               error: BaseException, tally: Tally) -> None:
        status = outbox.schedule_retry(session, notification, token, now, error_code(error))
        if status is NotificationStatus.FAILED:
            tally.failed += 1
            log.warning("Notification %s failed after %d attempts: %s",
                        notification.id, notification.attempts, error_code(error))
        else:
            tally.retried += 1

    def run(self, poll_seconds: float, *, once: bool = False) -> Tally:
        """Loop until ``stopping`` is set (or once): reminders at most hourly, then sending."""
        total = Tally()
        next_reminders = 0.0
        next_mandate_job = 0.0
        next_purge = 0.0 if is_practice(self.app.config) else math.inf
        while not self.stopping.is_set():
            try:
                if time.monotonic() >= next_reminders:
                    queued = self.queue_reminders()
                    if queued:
                        log.info("%d unread reminders queued", queued)
                    next_reminders = time.monotonic() + REMINDER_QUEUE_INTERVAL_SECONDS
                if time.monotonic() >= next_mandate_job:
                    self.run_mandate_job()
                    next_mandate_job = time.monotonic() + MANDATE_JOB_INTERVAL_SECONDS
                if time.monotonic() >= next_purge:
                    self.purge_practice_sandboxes()
                    next_purge = time.monotonic() + SANDBOX_PURGE_INTERVAL_SECONDS
                tally = self.process_due()
            except SQLAlchemyError:
                if once:
                    raise
                # The database is away for a moment: try again at the next poll.
                log.exception("Notification worker could not reach the database")
                tally = Tally()
            total.add(tally)
            if tally:
                log.info("Notifications: %s", tally.describe())
            if once:
                break
            self.stopping.wait(poll_seconds)
        return total
