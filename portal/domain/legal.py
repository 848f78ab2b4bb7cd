"""Legal representation (way in c): a court appoints a bewindvoerder, curator or mentor.

An administrator registers it from the court decision (``flask mandates add-representative``);
the citizen does not approve it. The representative gets the scopes the decision covers, and
``MANAGE_MANDATES`` lets them grant, change and end the citizen's other mandates. It holds
from the start of the decision date until the decision ends (no end date) or until ``until``.
No Flask here. The caller commits.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.models import Account, EndReason, LegalRole, Mandate, MandateKind
from portal.policy import LEGAL_SCOPES, MandateState, Scope, state_of
from portal.timeutil import as_utc

# The court's case number as written on the decision (the column holds 50 characters).
COURT_REFERENCE_MAX_LENGTH = 50

# What a decision covers when the administrator names no scopes (``--scope``).
DEFAULT_SCOPES: dict[LegalRole, tuple[Scope, ...]] = {
    # Beschermingsbewind: money matters. Letters (bills, tax, benefits), cases, personal data,
    # the settings, and the citizen's mandates.
    LegalRole.BEWINDVOERDER: (
        Scope.READ_LETTERS,
        Scope.MANAGE_LETTERS,
        Scope.VIEW_CASES,
        Scope.VIEW_PERSONAL_DATA,
        Scope.CHANGE_SETTINGS,
        Scope.MANAGE_MANDATES,
    ),
    # Mentorschap: care and well-being, not money. Reading, not changing.
    LegalRole.MENTOR: (
        Scope.READ_LETTERS,
        Scope.VIEW_CASES,
        Scope.VIEW_PERSONAL_DATA,
        Scope.MANAGE_MANDATES,
    ),
    # Curatele: both money and care. Everything a representative can have.
    LegalRole.CURATOR: LEGAL_SCOPES,
}


class LegalProblem(enum.StrEnum):
    SAME_PERSON = "same_person"
    NO_REFERENCE = "no_reference"
    REFERENCE_TOO_LONG = "reference_too_long"
    UNTIL_BEFORE_DECISION = "until_before_decision"
    UNTIL_PASSED = "until_passed"
    DECISION_IN_FUTURE = "decision_in_future"
    ALREADY_REGISTERED = "already_registered"
    NO_SCOPES = "no_scopes"


PROBLEM_TEXTS = {
    LegalProblem.SAME_PERSON: "The client and the representative are the same person.",
    LegalProblem.NO_REFERENCE: "The court reference is empty.",
    LegalProblem.REFERENCE_TOO_LONG: f"The court reference is longer than {COURT_REFERENCE_MAX_LENGTH} characters.",
    LegalProblem.UNTIL_BEFORE_DECISION: "The end date is before the decision date.",
    LegalProblem.UNTIL_PASSED: "The end date has already passed.",
    LegalProblem.DECISION_IN_FUTURE: "The decision date is in the future.",
    LegalProblem.ALREADY_REGISTERED: "This representative is already registered for this client in this role.",
    LegalProblem.NO_SCOPES: "The decision covers no scopes.",
}


class LegalError(ValueError):
    def __init__(self, problem: LegalProblem) -> None:
        super().__init__(PROBLEM_TEXTS[problem])
        self.problem = problem


@dataclass(frozen=True)
class Decision:
    role: LegalRole
    court_reference: str
    decision_date: date
    until: date | None = None
    scopes: tuple[Scope, ...] = ()

    def chosen_scopes(self) -> tuple[Scope, ...]:
        return self.scopes or DEFAULT_SCOPES[self.role]


def check(decision: Decision, today: date) -> None:
    """Raise ``LegalError`` when the decision cannot be registered as given."""
    reference = decision.court_reference.strip()
    if not reference:
        raise LegalError(LegalProblem.NO_REFERENCE)
    if len(reference) > COURT_REFERENCE_MAX_LENGTH:
        raise LegalError(LegalProblem.REFERENCE_TOO_LONG)
    if decision.decision_date > today:
        raise LegalError(LegalProblem.DECISION_IN_FUTURE)
    if decision.until is not None:
        if decision.until < decision.decision_date:
            raise LegalError(LegalProblem.UNTIL_BEFORE_DECISION)
        if decision.until < today:
            raise LegalError(LegalProblem.UNTIL_PASSED)
    if not set(decision.chosen_scopes()) <= set(LEGAL_SCOPES) or not decision.chosen_scopes():
        raise LegalError(LegalProblem.NO_SCOPES)


def register(
    session: Session, *, client: Account, representative: Account, decision: Decision, now: datetime
) -> Mandate:
    """Register a court-appointed representative. Accepted at once: no approval is asked.
    The caller sends the letter (``notices.given``) and commits."""
    if client.id == representative.id:
        raise LegalError(LegalProblem.SAME_PERSON)
    check(decision, as_utc(now).astimezone(mandates.LOCAL_TIME).date())
    for existing in current_for(session, client.id, representative.id, now):
        if existing.legal_role is decision.role:
            raise LegalError(LegalProblem.ALREADY_REGISTERED)
    mandate = Mandate(
        kind=MandateKind.LEGAL,
        giver_id=client.id,
        helper_id=representative.id,
        scopes=frozenset(decision.chosen_scopes()),
        starts_at=mandates.start_of_day(decision.decision_date),
        ends_at=mandates.end_after_day(decision.until) if decision.until else None,
        created_at=now,
        created_by_id=None,  # an administrator, outside the portal
        accepted_at=now,
        legal_role=decision.role,
        court_reference=decision.court_reference.strip(),
        decision_date=decision.decision_date,
    )
    session.add(mandate)
    session.flush()
    return mandate


def current_for(session: Session, client_id: int, representative_id: int, now: datetime) -> list[Mandate]:
    """This pair's legal mandates that have not ended or expired."""
    rows = session.scalars(
        select(Mandate).where(
            Mandate.kind == MandateKind.LEGAL,
            Mandate.giver_id == client_id,
            Mandate.helper_id == representative_id,
            Mandate.ended_at.is_(None),
        )
    ).unique()
    return [m for m in rows if state_of(m, now) in (MandateState.ACTIVE, MandateState.FUTURE)]


def all_representations(session: Session) -> list[Mandate]:
    """Every registered legal mandate, newest first (ended ones too, until they are purged)."""
    return list(
        session.scalars(
            select(Mandate).where(Mandate.kind == MandateKind.LEGAL).order_by(Mandate.created_at.desc())
        ).unique()
    )


def find(session: Session, mandate_id: uuid.UUID) -> Mandate | None:
    mandate = session.get(Mandate, mandate_id)
    if mandate is None or mandate.kind is not MandateKind.LEGAL:
        return None
    return mandate


def end_representation(session: Session, mandate: Mandate, now: datetime) -> list[Mandate]:
    """The court decision ended: the representative may do nothing more from now on, and
    every mandate he gave, approved or changed while acting for the client ends with it
    (also one of his own, approved before that was refused). The representative's
    authority was the court's; what he arranged with it has no other ground. The client can
    give again what they still want.

    Returns what ended: the representation first; empty when it had already ended. The
    caller sends ``notices.ended`` for each and commits."""
    if not mandates.end(session, mandate, by_id=None, reason=EndReason.ENDED_BY_ADMIN, now=now):
        return []
    return [mandate, *mandates.end_with_representation(session, mandate, now)]


def parse_scopes(values: Iterable[str]) -> tuple[Scope, ...]:
    """Scope names as typed by the administrator; raises ValueError for an unknown one."""
    allowed = {scope.value: scope for scope in LEGAL_SCOPES}
    chosen = []
    for value in values:
        if value not in allowed:
            raise ValueError(f"Unknown scope {value!r}; choose from: {', '.join(allowed)}.")
        chosen.append(allowed[value])
    return tuple(scope for scope in LEGAL_SCOPES if scope in chosen)
