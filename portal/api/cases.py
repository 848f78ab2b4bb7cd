"""Lopende Zaken for organisations: open a case, post status changes, link letters, close.

Every change queues the citizen's e-mail notification in the same transaction (R6).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Response
from sqlalchemy.orm import Session

from portal.api import schemas
from portal.api.auth import current_organisation
from portal.api.openapi import Answer, answer, operation
from portal.api.problems import Problem
from portal.db import get_session
from portal.domain import cases as case_rules
from portal.domain.bsn import is_valid_bsn
from portal.domain.delivery import find_box
from portal.domain.notifications import notify_case_change
from portal.models import Case, Letter
from portal.timeutil import utcnow

MAX_CASE_REQUEST_BYTES = 64 * 1024

_Rule = case_rules.CaseRule
# Where in the request each broken case rule points.
_POINTERS = {
    _Rule.TITLE_MISSING: "/title", _Rule.TITLE_TOO_LONG: "/title",
    _Rule.REFERENCE_MISSING: "/reference", _Rule.REFERENCE_TOO_LONG: "/reference",
    _Rule.REFERENCE_TAKEN: "/reference",
    _Rule.STEPS_MISSING: "/steps", _Rule.TOO_MANY_STEPS: "/steps",
    _Rule.STEP_NAME_MISSING: "/steps", _Rule.STEP_NAME_TOO_LONG: "/steps",
    _Rule.STEP_OUT_OF_RANGE: "/step",
    _Rule.TEXT_MISSING: "/text", _Rule.TEXT_TOO_LONG: "/text",
    _Rule.ACTION_MISSING: "/action", _Rule.ACTION_TOO_LONG: "/action",
    _Rule.ACTION_WITHOUT_DATE: "/action", _Rule.DATE_WITHOUT_ACTION: "/act_by",
    _Rule.IF_NOT_DONE_TOO_LONG: "/if_not_done", _Rule.IF_NOT_DONE_WITHOUT_ACTION: "/if_not_done",
    _Rule.LETTER_NOT_IN_BOX: "/letter_id", _Rule.LETTER_FROM_OTHER_ORGANISATION: "/letter_id",
}
_CONFLICTS = {_Rule.REFERENCE_TAKEN, _Rule.CASE_CLOSED}


@contextmanager
def _case_rules() -> Iterator[Session]:
    """The session, for a change the case rules judge: a broken rule rolls it back and is
    answered as a problem."""
    db = get_session()
    try:
        yield db
    except case_rules.CaseError as error:
        db.rollback()
        status = 409 if error.rule in _CONFLICTS else 422
        raise Problem(status, error.rule.value, f"The case breaks the rule {error.rule.value}.",
                      _POINTERS.get(error.rule)) from None


def _state(case: Case) -> schemas.CaseState:
    return schemas.CaseState(
        case_id=case.id, reference=case.reference, title=case.title, status=case.status.value,
        current_step=case.current_step, steps=[step.name for step in case.steps], action=case.action,
        act_by=case.act_by, if_not_done=case.if_not_done, updated_at=case.updated_at,
        history=[schemas.CaseChange(at=change.at, step=change.step, text=change.text) for change in case.changes],
    )


def _own_case(case_id: uuid.UUID) -> Case:
    case = get_session().get(Case, case_id)
    if case is None or case.organisation_id != current_organisation().id:
        raise Problem(404, "not_found", "No case with this id is yours.")
    return case


def _commit_change(case: Case) -> None:
    """Queue the citizen's e-mail in the same transaction as the change (R6), then commit."""
    db = get_session()
    notify_case_change(db, case.account_id, case.organisation_id)
    db.commit()


_NOT_YOURS = "Not your case."
_CASE = ("case", _own_case)  # the case of the path, yours or a 404


@operation("post", "/cases", scope="cases:write", summary="Open a case (Lopende Zaken) in a citizen's box",
           body=schemas.NewCase, max_bytes=MAX_CASE_REQUEST_BYTES,
           answers={201: Answer("Opened, standing at step 1.", schemas.CaseState),
                    409: "Reference taken (reference_taken)."})
def open_case(body: schemas.NewCase) -> tuple[Response, int]:
    if not is_valid_bsn(body.bsn):
        raise Problem(422, "invalid_bsn", "The BSN does not pass the elfproef.", "/bsn")
    account = find_box(get_session(), body.bsn)
    if account is None:
        raise Problem(422, "no_active_box", "This person has no active Berichtenbox.", "/bsn")
    with _case_rules() as db:
        case = case_rules.open_case(
            db, account_id=account.id, organisation_id=current_organisation().id,
            title=body.title, reference=body.reference, steps=body.steps, opened_at=utcnow(),
        )
    _commit_change(case)
    return answer(_state(case), 201)


@operation("get", "/cases/<uuid:case_id>", scope="cases:write", summary="A case's state and history",
           answers={200: Answer("The case.", schemas.CaseState), 404: _NOT_YOURS}, load=_CASE)
def case_state(case: Case) -> tuple[Response, int]:
    return answer(_state(case))


@operation("post", "/cases/<uuid:case_id>/status", scope="cases:write",
           summary="Post a status change (step, plain text, optional action by a date)",
           body=schemas.StatusChange, max_bytes=MAX_CASE_REQUEST_BYTES, load=_CASE,
           answers={200: Answer("Changed.", schemas.CaseState), 404: _NOT_YOURS,
                    409: "The case is closed (case_closed)."})
def post_status(case: Case, body: schemas.StatusChange) -> tuple[Response, int]:
    with _case_rules() as db:
        case_rules.post_status(
            db, case, step=body.step, text=body.text, action=body.action, act_by=body.act_by,
            at=utcnow(), if_not_done=body.if_not_done,
        )
    _commit_change(case)
    return answer(_state(case))


@operation("post", "/cases/<uuid:case_id>/close", scope="cases:write", summary="Close a case; its history stays",
           body=schemas.CaseClosing, max_bytes=MAX_CASE_REQUEST_BYTES, load=_CASE,
           answers={200: Answer("Closed.", schemas.CaseState), 404: _NOT_YOURS,
                    409: "Already closed (case_closed)."})
def close_case(case: Case, body: schemas.CaseClosing) -> tuple[Response, int]:
    with _case_rules() as db:
        case_rules.close_case(db, case, text=body.text, at=utcnow())
    _commit_change(case)
    return answer(_state(case))


@operation("post", "/cases/<uuid:case_id>/letters", scope="cases:write",
           summary="Show a letter you delivered on the case page",
           body=schemas.CaseLetter, max_bytes=MAX_CASE_REQUEST_BYTES, load=_CASE,
           answers={200: Answer("Linked.", schemas.CaseState), 404: _NOT_YOURS})
def link_letter(case: Case, body: schemas.CaseLetter) -> tuple[Response, int]:
    """Show a letter you delivered on the case page."""
    db = get_session()
    letter = db.get(Letter, body.letter_id)
    if letter is None or letter.organisation_id != current_organisation().id:
        raise Problem(422, "letter_not_in_box", "No such letter of yours.", "/letter_id")
    with _case_rules():
        case_rules.link_letter(db, case, letter)
    db.commit()
    return answer(_state(case))
