"""Lopende Zaken: the rules for a case an organisation runs, and the citizen's view of them.

Organisations open a case, post status changes, close it and link letters to it (through the
organisation API); the citizen reads the lists and a case page. The functions that change a
case add to the session and never commit: the caller owns the transaction. Every citizen-side
query takes the box's account id (see ``portal.acting``).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case as when, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from portal.models import Case, CaseLetter, CaseStatus, CaseStatusChange, CaseStep, Letter
from portal.timeutil import as_utc, utcnow

MAX_TITLE_LENGTH = 80
MAX_REFERENCE_LENGTH = 25
MAX_STEPS = 10
MAX_STEP_NAME_LENGTH = 80
MAX_STATUS_TEXT_LENGTH = 1000
MAX_ACTION_LENGTH = 200
# What happens if the action is not done in time, in the sender's words (as for letters).
MAX_IF_NOT_DONE_LENGTH = 200


class CaseRule(enum.StrEnum):
    """Why a change to a case was refused; the value is a stable machine code."""

    TITLE_MISSING = "title_missing"
    TITLE_TOO_LONG = "title_too_long"
    REFERENCE_MISSING = "reference_missing"
    REFERENCE_TOO_LONG = "reference_too_long"
    REFERENCE_TAKEN = "reference_taken"
    STEPS_MISSING = "steps_missing"
    TOO_MANY_STEPS = "too_many_steps"
    STEP_NAME_MISSING = "step_name_missing"
    STEP_NAME_TOO_LONG = "step_name_too_long"
    STEP_OUT_OF_RANGE = "step_out_of_range"
    TEXT_MISSING = "text_missing"
    TEXT_TOO_LONG = "text_too_long"
    ACTION_MISSING = "action_missing"
    ACTION_TOO_LONG = "action_too_long"
    ACTION_WITHOUT_DATE = "action_without_date"
    DATE_WITHOUT_ACTION = "date_without_action"
    IF_NOT_DONE_TOO_LONG = "if_not_done_too_long"
    IF_NOT_DONE_WITHOUT_ACTION = "if_not_done_without_action"
    CASE_CLOSED = "case_closed"
    OUT_OF_ORDER = "at_before_last_change"
    LETTER_NOT_IN_BOX = "letter_not_in_box"
    LETTER_FROM_OTHER_ORGANISATION = "letter_from_other_organisation"


class CaseError(ValueError):
    def __init__(self, rule: CaseRule) -> None:
        super().__init__(rule.value)
        self.rule = rule


def _require(condition: object, rule: CaseRule) -> None:
    if not condition:
        raise CaseError(rule)


# -- the organisation's side -------------------------------------------------------------


def open_case(
    session: Session,
    *,
    account_id: int,
    organisation_id: int,
    title: str,
    reference: str,
    steps: Sequence[str],
    opened_at: datetime,
) -> Case:
    """Open a case in the citizen's box, standing at its first step. The caller commits.

    Raises CaseError for the first rule broken; ``reference_taken`` when the organisation
    already has a case with this reference, also when two requests race for it (the
    database's unique constraint decides).
    """
    _require(title.strip(), CaseRule.TITLE_MISSING)
    _require(len(title) <= MAX_TITLE_LENGTH, CaseRule.TITLE_TOO_LONG)
    _require(reference.strip(), CaseRule.REFERENCE_MISSING)
    _require(len(reference) <= MAX_REFERENCE_LENGTH, CaseRule.REFERENCE_TOO_LONG)
    _require(len(steps) > 0, CaseRule.STEPS_MISSING)
    _require(len(steps) <= MAX_STEPS, CaseRule.TOO_MANY_STEPS)
    for name in steps:
        _require(name.strip(), CaseRule.STEP_NAME_MISSING)
        _require(len(name) <= MAX_STEP_NAME_LENGTH, CaseRule.STEP_NAME_TOO_LONG)
    _require(
        find_case_for_organisation(session, organisation_id, reference) is None,
        CaseRule.REFERENCE_TAKEN,
    )
    case = Case(
        account_id=account_id,
        organisation_id=organisation_id,
        title=title,
        reference=reference,
        status=CaseStatus.OPEN,
        current_step=1,
        opened_at=opened_at,
        updated_at=opened_at,
    )
    case.steps = [CaseStep(position=index, name=name) for index, name in enumerate(steps, 1)]
    try:
        # In a savepoint: if another request took the reference a moment ago, only this
        # case is undone, and the caller still gets the rule rather than a database error.
        with session.begin_nested():
            session.add(case)
            session.flush()
    except IntegrityError:
        if find_case_for_organisation(session, organisation_id, reference) is not None:
            raise CaseError(CaseRule.REFERENCE_TAKEN) from None
        raise
    return case


def post_status(
    session: Session,
    case: Case,
    *,
    step: int,
    text: str,
    action: str | None,
    act_by: date | None,
    at: datetime,
    if_not_done: str | None = None,
) -> CaseStatusChange:
    """Record where the case stands now (``step`` counts from 1) and what the citizen must do.

    An action needs a date and a date needs an action; a new status without an action ends
    the action asked before. Changes come in order: ``at`` may not be before the last change.
    The case counts as changed for the citizen until they look at it. The caller commits.
    """
    _require(case.is_open, CaseRule.CASE_CLOSED)
    _require(1 <= step <= case.step_count, CaseRule.STEP_OUT_OF_RANGE)
    _check_text(text)
    if action is not None:
        _require(action.strip(), CaseRule.ACTION_MISSING)
        _require(len(action) <= MAX_ACTION_LENGTH, CaseRule.ACTION_TOO_LONG)
        _require(act_by is not None, CaseRule.ACTION_WITHOUT_DATE)
    _require(act_by is None or action is not None, CaseRule.DATE_WITHOUT_ACTION)
    if if_not_done is not None:
        _require(len(if_not_done) <= MAX_IF_NOT_DONE_LENGTH, CaseRule.IF_NOT_DONE_TOO_LONG)
        _require(action is not None and bool(if_not_done.strip()), CaseRule.IF_NOT_DONE_WITHOUT_ACTION)
    _check_order(case, at)
    change = CaseStatusChange(
        step=step, text=text, action=action, act_by=act_by, if_not_done=if_not_done, at=at
    )
    case.changes.insert(0, change)
    case.current_step = step
    _ask(session, case, action=action, act_by=act_by, if_not_done=if_not_done, at=at)
    return change


def close_case(session: Session, case: Case, *, text: str | None, at: datetime) -> None:
    """Close the case; its steps and history stay for the citizen to read.

    ``text`` (the outcome, in plain words) becomes the last line of the history. An action
    still open ends: nothing can be done in a closed case. The caller commits.
    """
    _require(case.is_open, CaseRule.CASE_CLOSED)
    if text is not None:
        _check_text(text)
    _check_order(case, at)
    if text is not None:
        case.changes.insert(0, CaseStatusChange(step=case.current_step, text=text, at=at))
    case.status = CaseStatus.CLOSED
    case.closed_at = at
    _ask(session, case, action=None, act_by=None, if_not_done=None, at=at)


def _ask(session: Session, case: Case, *, action: str | None, act_by: date | None,
         if_not_done: str | None, at: datetime) -> None:
    """What the case asks of the citizen from now on (all None: nothing), as of ``at``."""
    case.action = action
    case.act_by = act_by
    case.if_not_done = if_not_done
    case.updated_at = at
    session.flush()


def find_case_for_organisation(
    session: Session, organisation_id: int, reference: str
) -> Case | None:
    """The organisation's case with this reference, in whatever box it is; else None."""
    return session.scalar(
        select(Case).where(Case.organisation_id == organisation_id, Case.reference == reference)
    )


def link_letter(session: Session, case: Case, letter: Letter) -> CaseLetter:
    """Show ``letter`` (already in the citizen's box) on the case page. Linking twice is harmless.

    Only a letter of the same organisation in the same box. Linking does not mark the case
    changed: the letter itself is new in the Berichtenbox, and one signal is enough.
    The caller commits.
    """
    _require(letter.account_id == case.account_id, CaseRule.LETTER_NOT_IN_BOX)
    _require(
        letter.organisation_id == case.organisation_id, CaseRule.LETTER_FROM_OTHER_ORGANISATION
    )
    existing = session.scalar(
        select(CaseLetter).where(CaseLetter.case_id == case.id, CaseLetter.letter_id == letter.id)
    )
    if existing is not None:
        return existing
    link = CaseLetter(case_id=case.id, letter_id=letter.id)
    session.add(link)
    session.flush()
    return link


def _check_text(text: str) -> None:
    _require(text.strip(), CaseRule.TEXT_MISSING)
    _require(len(text) <= MAX_STATUS_TEXT_LENGTH, CaseRule.TEXT_TOO_LONG)


def _check_order(case: Case, at: datetime) -> None:
    _require(as_utc(at) >= as_utc(case.updated_at), CaseRule.OUT_OF_ORDER)


# -- the citizen's side ------------------------------------------------------------------


def _box_query(account_id: int, status: CaseStatus):  # type: ignore[no-untyped-def]
    return (
        select(Case)
        .where(Case.account_id == account_id, Case.status == status)
        .options(selectinload(Case.steps))
    )


def running_cases(session: Session, account_id: int) -> list[Case]:
    """The running cases of this box: changed ones first, then by the newest change.

    Changed first, because what changed is why the citizen came (R11: the essence first);
    within each group the newest change first, as in the Berichtenbox.
    """
    changed_first = when(
        ((Case.seen_at.is_(None)) | (Case.updated_at > Case.seen_at), 0), else_=1
    )
    query = _box_query(account_id, CaseStatus.OPEN).order_by(
        changed_first, Case.updated_at.desc(), Case.id
    )
    return list(session.scalars(query))


def closed_cases(session: Session, account_id: int) -> list[Case]:
    """The closed cases of this box, the most recently closed first."""
    query = _box_query(account_id, CaseStatus.CLOSED).order_by(
        Case.closed_at.desc(), Case.id
    )
    return list(session.scalars(query))


def find_case(session: Session, account_id: int, case_id: uuid.UUID) -> Case | None:
    """The case with its steps and history if it is in this box, else None (the caller
    answers 404, so a case in another box is not revealed)."""
    return session.scalar(
        select(Case)
        .where(Case.id == case_id, Case.account_id == account_id)
        .options(selectinload(Case.steps), selectinload(Case.changes))
    )


def linked_letters(session: Session, case: Case) -> list[Letter]:
    """The letters linked to the case that are in the case's own box, newest first."""
    query = (
        select(Letter)
        .join(CaseLetter, CaseLetter.letter_id == Letter.id)
        .where(CaseLetter.case_id == case.id, Letter.account_id == case.account_id)
        .order_by(Letter.placed_at.desc(), Letter.id)
    )
    return list(session.scalars(query))


class StepState(enum.StrEnum):
    DONE = "done"
    CURRENT = "current"
    TO_COME = "to_come"
    # A closed case may end before its last step (e.g. the application was withdrawn).
    NOT_NEEDED = "not_needed"


def step_states(case: Case) -> list[tuple[CaseStep, StepState]]:
    """Each step with where the case is: done, now, still to come, or not needed (closed)."""
    states = []
    for step in case.steps:
        if step.position < case.current_step or (
            not case.is_open and step.position == case.current_step
        ):
            state = StepState.DONE
        elif step.position == case.current_step:
            state = StepState.CURRENT
        elif case.is_open:
            state = StepState.TO_COME
        else:
            state = StepState.NOT_NEEDED
        states.append((step, state))
    return states


def changes_since(case: Case, moment: datetime | None) -> set[int]:
    """Ids of the status changes after ``moment`` (the citizen's previous visit).

    None when they never looked: then everything is new, and pointing that out says nothing.
    """
    if moment is None:
        return set()
    since = as_utc(moment)
    return {change.id for change in case.changes if as_utc(change.at) > since}


def mark_seen(session: Session, case: Case) -> None:
    """The citizen looked at the case now: it no longer counts as changed.

    Never earlier than the last change, so a change dated ahead of the server's clock
    cannot keep the case "changed" for ever.
    """
    moment = utcnow()
    updated = as_utc(case.updated_at)
    case.seen_at = max(moment, updated)
