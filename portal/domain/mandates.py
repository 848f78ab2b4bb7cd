"""Mandates (machtigingen): the four ways in, ending them, and what each side sees.

Whether a mandate holds at a moment is ``portal.policy.state_of``; this module changes
mandates and finds them. Every function takes ``now``; the caller commits.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.models import EndReason, Mandate
from portal.policy import MandateState, state_of
from portal.timeutil import as_utc


def active_held(session: Session, helper_id: int, now: datetime) -> list[Mandate]:
    """The mandates this helper can act under right now, by the citizen's name."""
    candidates = session.scalars(
        select(Mandate).where(
            Mandate.helper_id == helper_id,
            Mandate.ended_at.is_(None),
            Mandate.accepted_at.is_not(None),
            Mandate.starts_at <= now,
            or_(Mandate.ends_at.is_(None), Mandate.ends_at > now),
        )
    ).unique()
    held = [m for m in candidates if state_of(m, now) is MandateState.ACTIVE]
    return sorted(held, key=lambda m: (m.giver.person.surname, m.giver.person.given_names, str(m.id)))


def find_active_held(session: Session, helper_id: int, mandate_id: uuid.UUID, now: datetime) -> Mandate | None:
    """This helper's mandate, if it holds now; else None."""
    mandate = session.get(Mandate, mandate_id)
    if mandate is None or mandate.helper_id != helper_id or state_of(mandate, now) is not MandateState.ACTIVE:
        return None
    return mandate


def end(session: Session, mandate: Mandate, *, by_id: int | None, reason: EndReason, now: datetime) -> bool:
    """End a mandate at once. False when it had already ended. It gives nothing from the
    helper's very next request on (``portal.acting`` checks on every request)."""
    if mandate.ended_at is not None:
        return False
    mandate.ended_at = now
    mandate.ended_by_id = by_id
    mandate.end_reason = reason
    return True


# Dates on mandate pages are days in the Netherlands; stored moments are UTC.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def start_of_day(day: date) -> datetime:
    """The first moment of a Dutch calendar day, in UTC."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIME).astimezone(UTC)


def end_after_day(day: date) -> datetime:
    """The first moment after a Dutch calendar day: a mandate "until and including" ``day``."""
    return start_of_day(day + timedelta(days=1))


def last_day(mandate: Mandate) -> date | None:
    """The last Dutch calendar day on which the mandate holds (None: no end date)."""
    if mandate.ends_at is None:
        return None
    return (as_utc(mandate.ends_at).astimezone(LOCAL_TIME) - timedelta(microseconds=1)).date()


def first_day(mandate: Mandate) -> date:
    return as_utc(mandate.starts_at).astimezone(LOCAL_TIME).date()
