"""Assisted sessions at a help desk (way in d): rules, without Flask.

Registered staff choose what they need for this visit; the citizen reads that on the screen
and agrees by logging in with their own DigiD. The staff member then acts for the citizen,
under their own identity, for at most ``VISIT_MINUTES``. The caller commits.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.models import Account, EndReason, HelpDeskStaff, Mandate, MandateKind
from portal.policy import HELPER_SCOPES, Scope
from portal.timeutil import as_utc

# A visit ends by itself after this long (the citizen agreed to "hooguit 60 minuten").
VISIT_MINUTES = 60
# The citizen must log in within this time after agreeing on screen, or start again.
CONSENT_MINUTES = 10
# What is ticked on the start form.
DEFAULT_VISIT_SCOPES: tuple[Scope, ...] = (Scope.READ_LETTERS, Scope.VIEW_CASES)
# The desk's name as shown to the citizen (the column holds 100 characters).
DESK_NAME_MAX_LENGTH = 100
NONCE_BYTES = 32  # like the login nonce (portal.auth.oidc): the ID token must carry it


class VisitRefusal(enum.StrEnum):
    """Why a visit could not start after the citizen logged in."""

    EXPIRED = "expired"  # the citizen took longer than CONSENT_MINUTES
    NOT_STAFF = "not_staff"  # the staff member is no longer registered (or not logged in)
    SAME_PERSON = "same_person"  # the staff member logged in as themselves
    NO_ACCOUNT = "no_account"  # the citizen may not have an account (R1)


@dataclass(frozen=True)
class PendingVisit:
    """What the citizen agreed to, kept in the staff's browser session until they log in."""

    staff_id: int
    scopes: tuple[Scope, ...]
    nonce: str
    created_at: datetime

    def lapsed(self, now: datetime) -> bool:
        return as_utc(now) >= as_utc(self.created_at) + timedelta(minutes=CONSENT_MINUTES)

    def to_dict(self) -> dict[str, object]:
        return {
            "staff_id": self.staff_id,
            "scopes": [scope.value for scope in self.scopes],
            "nonce": self.nonce,
            "created_at": as_utc(self.created_at).isoformat(),
        }

    @classmethod
    def from_dict(cls, data: object) -> PendingVisit | None:
        """None when ``data`` is not a pending visit (tampered or from an older version)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                staff_id=int(data["staff_id"]),
                scopes=parse_scopes(data["scopes"]),
                nonce=str(data["nonce"]),
                created_at=datetime.fromisoformat(str(data["created_at"])),
            )
        except (KeyError, TypeError, ValueError):
            return None


def new_pending(staff_id: int, scopes: Iterable[Scope], now: datetime) -> PendingVisit:
    return PendingVisit(
        staff_id=staff_id,
        scopes=tuple(scope for scope in HELPER_SCOPES if scope in set(scopes)),
        nonce=secrets.token_urlsafe(NONCE_BYTES),
        created_at=now,
    )


def parse_scopes(values: Iterable[str]) -> tuple[Scope, ...]:
    """The scopes a visit may have, from form values; ValueError for anything else.
    Never MANAGE_MANDATES: a help desk cannot change the citizen's mandates."""
    allowed = {scope.value: scope for scope in HELPER_SCOPES}
    chosen = set()
    for value in values:
        if value not in allowed:
            raise ValueError("not a visit scope")
        chosen.add(allowed[value])
    return tuple(scope for scope in HELPER_SCOPES if scope in chosen)


def staff_row(session: Session, account_id: int) -> HelpDeskStaff | None:
    return session.scalar(select(HelpDeskStaff).where(HelpDeskStaff.account_id == account_id))


def start(
    session: Session, *, staff: HelpDeskStaff, citizen: Account, scopes: Iterable[Scope], now: datetime
) -> Mandate:
    """The citizen agreed and logged in: the visit starts now and ends VISIT_MINUTES later.
    Raises ValueError when the staff member would help themselves."""
    if citizen.id == staff.account_id:
        raise ValueError("staff cannot assist themselves")
    mandate = Mandate(
        kind=MandateKind.ASSISTED,
        giver_id=citizen.id,
        helper_id=staff.account_id,
        scopes=frozenset(scopes),
        starts_at=now,
        ends_at=now + timedelta(minutes=VISIT_MINUTES),
        created_at=now,
        created_by_id=staff.account_id,
        accepted_at=now,
        # Used from the first moment, with the citizen beside the staff member: the letter
        # "given" says so already, no second letter "first used" a second later.
        first_used_at=now,
        desk_name=staff.desk_name[:DESK_NAME_MAX_LENGTH],
    )
    session.add(mandate)
    session.flush()
    return mandate


def visits_on_day(session: Session, staff_id: int, now: datetime) -> list[Mandate]:
    """This staff member's visits that started on today's Dutch calendar day, newest first."""
    today = as_utc(now).astimezone(mandates.LOCAL_TIME).date()
    return list(
        session.scalars(
            select(Mandate)
            .where(
                Mandate.kind == MandateKind.ASSISTED,
                Mandate.helper_id == staff_id,
                Mandate.starts_at >= mandates.start_of_day(today),
                Mandate.starts_at < mandates.end_after_day(today),
            )
            .order_by(Mandate.starts_at.desc())
        ).unique()
    )


def register_staff(session: Session, account: Account, desk_name: str, now: datetime) -> HelpDeskStaff:
    """Register (or move to another desk) a help-desk staff member. ValueError for a bad name."""
    name = desk_name.strip()
    if not name or len(name) > DESK_NAME_MAX_LENGTH:
        raise ValueError(f"The desk name must be 1 to {DESK_NAME_MAX_LENGTH} characters.")
    row = staff_row(session, account.id)
    if row is None:
        row = HelpDeskStaff(account_id=account.id, desk_name=name, created_at=now)
        session.add(row)
    else:
        row.desk_name = name
    session.flush()
    return row


def remove_staff(session: Session, account: Account, now: datetime) -> list[Mandate] | None:
    """Unregister a staff member; None when they were not registered. Their visits that are
    still going on end now (returned, so the caller can send the letters)."""
    row = staff_row(session, account.id)
    if row is None:
        return None
    session.delete(row)
    ended = []
    for visit in session.scalars(
        select(Mandate).where(
            Mandate.kind == MandateKind.ASSISTED,
            Mandate.helper_id == account.id,
            Mandate.ended_at.is_(None),
            Mandate.ends_at > now,
        )
    ).unique():
        if mandates.end(session, visit, by_id=None, reason=EndReason.VISIT_ENDED, now=now):
            ended.append(visit)
    session.flush()
    return ended
