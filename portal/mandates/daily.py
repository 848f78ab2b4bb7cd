"""The mandate job: ending what an ended representation arranged, expiry letters, and
removing mandates that stopped over 15 months ago and asks that lapsed.

Run by the notification worker every ``MANDATE_JOB_INTERVAL_SECONDS`` (``flask notifications
run``, which ``scripts/run`` starts) and by hand with ``flask mandates daily``. Running it
more often is harmless: each mandate gets its expiry letter exactly once
(``expiry_warned_at``), and a removed mandate is gone. The audit log is never purged: it is
append-only and has no foreign key to mandates.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.domain.mandates import EXPIRY_WARNING_DAYS, PENDING_DAYS, RETENTION_MONTHS
from portal.mandates import notices
from portal import policy
from portal.models import EndReason, Mandate, MandateKind

# The worker runs the job this often (it is cheap, and a letter is then at most this late).
MANDATE_JOB_INTERVAL_SECONDS = 60 * 60
# Mandates removed per statement, so one run never holds a long lock.
PURGE_BATCH_SIZE = 500

__all__ = ["EXPIRY_WARNING_DAYS", "RETENTION_MONTHS", "run", "send_expiry_letters", "purge"]


@dataclass(frozen=True)
class DailyResult:
    warned: int
    purged: int
    ended: int = 0
    asks_removed: int = 0

    def describe(self) -> str:
        return (f"{self.ended} mandates ended with their representation, {self.warned} expiry letters sent, "
                f"{self.purged} old mandates removed, {self.asks_removed} old asks removed")


def run(session: Session, now: datetime) -> DailyResult:
    """Every part, each committed. Needs an app context (the letters use the catalogue)."""
    ended = end_with_stopped_representations(session, now)
    warned = send_expiry_letters(session, now)
    asks_removed = mandates.purge_asks(session, now)
    session.commit()
    purged = purge(session, now)
    return DailyResult(warned=warned, purged=purged, ended=ended, asks_removed=asks_removed)


def _claim_and_tell(
    session: Session, mandate_id: uuid.UUID, unclaimed: ColumnElement[bool],
    tell: Callable[[Session, Mandate, datetime], None], now: datetime, **values: object,
) -> bool:
    """Set ``values`` on the mandate only while ``unclaimed`` still holds, then send the
    letter (``tell``) and commit: of two workers at the same moment exactly one does this.
    False (rolled back, no letter): the other worker was first."""
    claimed = session.execute(
        update(Mandate)
        .where(Mandate.id == mandate_id, unclaimed)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return False
    mandate = session.get(Mandate, mandate_id)
    assert mandate is not None
    session.refresh(mandate)
    tell(session, mandate, now)
    session.commit()
    return True


def end_with_stopped_representations(session: Session, now: datetime) -> int:
    """Record the end of mandates arranged under a representation that expired (an ended one
    ends them at once: ``legal.end_representation``), with the letters. They already gave
    nothing from the moment it stopped (``policy.state_of``); this makes it show and tell."""
    open_arranged = session.scalars(
        select(Mandate).where(Mandate.arranged_under_id.is_not(None), Mandate.ended_at.is_(None))
    ).unique().all()
    ended = 0
    for mandate in open_arranged:
        if policy.origin_stopped(mandate, now) and _claim_and_tell(
            session, mandate.id, Mandate.ended_at.is_(None), notices.ended, now,
            ended_at=now, end_reason=EndReason.REPRESENTATION_ENDED, ended_by_id=None,
        ):
            ended += 1
    return ended


def send_expiry_letters(session: Session, now: datetime) -> int:
    """A letter for every accepted, running mandate that ends within EXPIRY_WARNING_DAYS.

    Not for help-desk visits (they last an hour). Exactly once per mandate, also when two
    workers run at the same moment: the row is claimed with a conditional update first.
    """
    horizon = now + timedelta(days=EXPIRY_WARNING_DAYS)
    due = session.scalars(
        select(Mandate.id).where(
            Mandate.kind != MandateKind.ASSISTED,
            Mandate.accepted_at.is_not(None),
            Mandate.ended_at.is_(None),
            Mandate.expiry_warned_at.is_(None),
            Mandate.ends_at.is_not(None),
            Mandate.ends_at > now,
            Mandate.ends_at <= horizon,
        )
    ).all()
    sent = 0
    for mandate_id in due:
        if _claim_and_tell(session, mandate_id, Mandate.expiry_warned_at.is_(None), notices.expiring, now,
                           expiry_warned_at=now):
            sent += 1
    return sent


def purge(session: Session, now: datetime) -> int:
    """Remove mandates that stopped more than RETENTION_MONTHS ago (``mandates.is_listed``
    is the rule: what pages no longer show goes), lapsed offers and requests included."""
    cutoff = mandates.visible_since(now)
    candidates = select(Mandate).where(
        or_(
            Mandate.ended_at < cutoff,
            and_(Mandate.ended_at.is_(None), Mandate.ends_at < cutoff),
            and_(
                Mandate.ended_at.is_(None),
                Mandate.accepted_at.is_(None),
                Mandate.created_at < cutoff - timedelta(days=PENDING_DAYS),
            ),
        )
    )
    removed = 0
    while True:
        batch = [m for m in session.scalars(candidates.limit(PURGE_BATCH_SIZE)).unique()
                 if not mandates.is_listed(m, now)]
        if not batch:
            break
        for mandate in batch:
            session.delete(mandate)
        session.commit()
        removed += len(batch)
        if len(batch) < PURGE_BATCH_SIZE:
            break
    return removed
