"""Lopende Zaken for organisations: open a case, post status changes, link letters, close.

Every change queues the citizen's e-mail notification in the same transaction (R6).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Response, jsonify

from portal.api import bp
from portal.api.auth import current_organisation, require_scope
from portal.api.parsing import json_object, request_body
from portal.api.problems import Problem
from portal.db import get_session
from portal.domain import cases as case_rules
from portal.domain.bsn import is_valid_bsn
from portal.domain.delivery import find_box
from portal.domain.notifications import notify_case_change
from portal.models import Case, Letter
from portal.timeutil import as_utc, utcnow

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


def _json() -> dict[str, Any]:
    return json_object(request_body(MAX_CASE_REQUEST_BYTES))


def _field(data: dict[str, Any], key: str, kind: type, *, required: bool = True) -> Any:
    value = data.get(key)
    if value is None:
        if required:
            raise Problem(422, "missing_field", f"{key} is required.", f"/{key}")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Problem(422, "invalid_field", f"{key} has the wrong type.", f"/{key}")
    return value


def _rule_problem(error: case_rules.CaseError) -> Problem:
    status = 409 if error.rule in _CONFLICTS else 422
    return Problem(status, error.rule.value, f"The case breaks the rule {error.rule.value}.",
                   _POINTERS.get(error.rule))


def _state(case: Case) -> dict[str, Any]:
    return {
        "case_id": str(case.id),
        "reference": case.reference,
        "title": case.title,
        "status": case.status.value,
        "current_step": case.current_step,
        "steps": [step.name for step in case.steps],
        "action": case.action,
        "act_by": case.act_by.isoformat() if case.act_by else None,
        "if_not_done": case.if_not_done,
        "updated_at": as_utc(case.updated_at).isoformat(),
        "history": [
            {"at": as_utc(change.at).isoformat(), "step": change.step, "text": change.text}
            for change in case.changes
        ],
    }


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


@bp.post("/cases")
@require_scope("cases:write")
def open_case() -> tuple[Response, int]:
    data = _json()
    bsn = _field(data, "bsn", str)
    if not is_valid_bsn(bsn):
        raise Problem(422, "invalid_bsn", "The BSN does not pass the elfproef.", "/bsn")
    steps = _field(data, "steps", list)
    if not all(isinstance(step, str) for step in steps):
        raise Problem(422, "invalid_field", "steps must be a list of strings.", "/steps")
    db = get_session()
    account = find_box(db, bsn)
    if account is None:
        raise Problem(422, "no_active_box", "This person has no active Berichtenbox.", "/bsn")
    try:
        case = case_rules.open_case(
            db, account_id=account.id, organisation_id=current_organisation().id,
            title=_field(data, "title", str), reference=_field(data, "reference", str),
            steps=steps, opened_at=utcnow(),
        )
    except case_rules.CaseError as error:
        db.rollback()
        raise _rule_problem(error) from None
    _commit_change(case)
    return jsonify(_state(case)), 201


@bp.get("/cases/<uuid:case_id>")
@require_scope("cases:write")
def case_state(case_id: uuid.UUID) -> Response:
    return jsonify(_state(_own_case(case_id)))


@bp.post("/cases/<uuid:case_id>/status")
@require_scope("cases:write")
def post_status(case_id: uuid.UUID) -> Response:
    case = _own_case(case_id)
    data = _json()
    act_by_text = _field(data, "act_by", str, required=False)
    try:
        act_by = date.fromisoformat(act_by_text) if act_by_text else None
    except ValueError:
        raise Problem(422, "invalid_field", "act_by must be a date (YYYY-MM-DD).", "/act_by") from None
    try:
        case_rules.post_status(
            get_session(), case, step=_field(data, "step", int), text=_field(data, "text", str),
            action=_field(data, "action", str, required=False), act_by=act_by, at=utcnow(),
            if_not_done=_field(data, "if_not_done", str, required=False),
        )
    except case_rules.CaseError as error:
        get_session().rollback()
        raise _rule_problem(error) from None
    _commit_change(case)
    return jsonify(_state(case))


@bp.post("/cases/<uuid:case_id>/close")
@require_scope("cases:write")
def close_case(case_id: uuid.UUID) -> Response:
    case = _own_case(case_id)
    data = _json()
    try:
        case_rules.close_case(get_session(), case, text=_field(data, "text", str, required=False), at=utcnow())
    except case_rules.CaseError as error:
        get_session().rollback()
        raise _rule_problem(error) from None
    _commit_change(case)
    return jsonify(_state(case))


@bp.post("/cases/<uuid:case_id>/letters")
@require_scope("cases:write")
def link_letter(case_id: uuid.UUID) -> Response:
    """Show a letter you delivered on the case page."""
    case = _own_case(case_id)
    data = _json()
    try:
        letter_id = uuid.UUID(_field(data, "letter_id", str))
    except ValueError:
        raise Problem(422, "invalid_field", "letter_id must be a UUID.", "/letter_id") from None
    db = get_session()
    letter = db.get(Letter, letter_id)
    if letter is None or letter.organisation_id != current_organisation().id:
        raise Problem(422, "letter_not_in_box", "No such letter of yours.", "/letter_id")
    try:
        case_rules.link_letter(db, case, letter)
    except case_rules.CaseError as error:
        db.rollback()
        raise _rule_problem(error) from None
    db.commit()
    return jsonify(_state(case))
