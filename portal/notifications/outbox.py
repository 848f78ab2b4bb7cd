"""The outbox: claiming due rows safely with several workers, and closing them.

A worker claims rows with one atomic UPDATE that sets a lease (``claimed_by``, ``lease_until``)
only where the row is pending, due, and unclaimed or its lease has run out. On PostgreSQL the
candidates are also read with ``FOR UPDATE SKIP LOCKED`` so workers do not queue behind each
other; SQLite ignores that clause and serialises the UPDATE itself. Each claim counts an
attempt, so a message that crashes the worker every time still ends as failed. A worker that
dies mid-send leaves a lease that runs out: the row is retried, never lost. Plain SQLAlchemy,
no Flask.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from portal.config import (
    MAX_SEND_ATTEMPTS,
    NOTIFICATION_BATCH_SIZE,
    NOTIFICATION_LEASE_SECONDS,
    RETRY_FIRST_DELAY_SECONDS,
    RETRY_MAX_DELAY_SECONDS,
)
from portal.domain.delivery import record_notification_sent
from portal.models import Notification, NotificationKind, NotificationStatus

# Tries when every due row was taken by other workers in the same instant.
CLAIM_ROUNDS = 3


@dataclass(frozen=True)
class Claim:
    """The rows one worker holds until ``lease_until``."""

    token: str
    lease_until: datetime
    notifications: list[Notification]


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 minute, doubling, at most 1 hour."""
    exponent = min(max(0, attempts - 1), 30)  # no huge powers for absurd attempt counts
    return timedelta(seconds=min(RETRY_FIRST_DELAY_SECONDS * 2**exponent, RETRY_MAX_DELAY_SECONDS))


def _due(now: datetime) -> ColumnElement[bool]:
    return (
        (Notification.status == NotificationStatus.PENDING)
        & (Notification.next_attempt_at <= now)
        & or_(Notification.lease_until.is_(None), Notification.lease_until < now)
    )


def claim(
    session: Session,
    worker_id: str,
    now: datetime,
    *,
    limit: int = NOTIFICATION_BATCH_SIZE,
    lease_seconds: int = NOTIFICATION_LEASE_SECONDS,
) -> Claim:
    """Claim up to ``limit`` due rows for this worker, oldest due first. Commits.

    Rows another worker claimed at the same moment are simply not in the result.
    """
    token = f"{worker_id[:50]}/{secrets.token_hex(6)}"
    lease_until = now + timedelta(seconds=lease_seconds)
    rows: list[Notification] = []
    for _round in range(CLAIM_ROUNDS):
        rows, had_candidates = _claim_once(session, token, now, lease_until, limit)
        # Nothing claimed although rows were due: another worker won them; look again.
        if rows or not had_candidates:
            break
    return Claim(token, lease_until, rows)


def _claim_once(
    session: Session, token: str, now: datetime, lease_until: datetime, limit: int
) -> tuple[list[Notification], bool]:
    candidates = list(
        session.scalars(
            select(Notification.id)
            .where(_due(now))
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not candidates:
        session.rollback()
        return [], False
    # The conditions are checked again by the UPDATE itself: whoever writes first wins.
    session.execute(
        update(Notification)
        .where(Notification.id.in_(candidates), _due(now))
        .values(claimed_by=token, lease_until=lease_until, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    rows = list(
        session.scalars(
            select(Notification)
            .where(Notification.claimed_by == token)
            .order_by(Notification.next_attempt_at, Notification.id)
            .execution_options(populate_existing=True)
        )
    )
    return rows, True


def _close(
    session: Session,
    notification: Notification,
    token: str,
    on_closed: Callable[[], None] | None = None,
    **values: object,
) -> bool:
    """Update a row this worker still holds; False when its lease was taken over meanwhile.
    ``on_closed`` adds to the same transaction when the row was ours."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.id == notification.id,
            Notification.claimed_by == token,
            Notification.status == NotificationStatus.PENDING,
        )
        .values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    closed = result.rowcount == 1  # type: ignore[attr-defined]
    if closed and on_closed is not None:
        on_closed()
    session.commit()
    return closed


def mark_sent(session: Session, notification: Notification, token: str, now: datetime) -> bool:
    """The backend accepted the message. Commits at once, to keep the window for a double
    send (a crash between acceptance and this commit) as small as possible."""

    def trace() -> None:
        if notification.kind is NotificationKind.NEW_LETTER:
            record_notification_sent(session, notification.account_id, notification.organisation_id, now)

    return _close(session, notification, token, on_closed=trace, status=NotificationStatus.SENT,
                  sent_at=now, last_error=None)


def mark_dropped(session: Session, notification: Notification, token: str, now: datetime) -> bool:
    """Nothing to send any more (address removed, e-mail off, link withdrawn)."""
    return _close(session, notification, token, status=NotificationStatus.DROPPED, closed_at=now)


def mark_failed(session: Session, notification: Notification, token: str, now: datetime,
                error: str) -> bool:
    """Refused for good: kept as failed, never retried."""
    return _close(session, notification, token, status=NotificationStatus.FAILED, closed_at=now,
                  last_error=error[:100])


def schedule_retry(
    session: Session,
    notification: Notification,
    token: str,
    now: datetime,
    error: str,
    *,
    max_attempts: int = MAX_SEND_ATTEMPTS,
) -> NotificationStatus:
    """Try again after the backoff, or mark failed after the last attempt."""
    if notification.attempts >= max_attempts:
        mark_failed(session, notification, token, now, error)
        return NotificationStatus.FAILED
    _close(session, notification, token, next_attempt_at=now + retry_delay(notification.attempts),
           last_error=error[:100])
    return NotificationStatus.PENDING


def release(session: Session, notifications: list[Notification], token: str) -> None:
    """Give back rows that were claimed but not tried (the worker is stopping): their attempt
    does not count and any worker may take them at once."""
    if not notifications:
        return
    session.execute(
        update(Notification)
        .where(
            Notification.id.in_([n.id for n in notifications]),
            Notification.claimed_by == token,
            Notification.status == NotificationStatus.PENDING,
        )
        .values(lease_until=None, claimed_by=None, attempts=Notification.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
