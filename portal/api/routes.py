"""The API's views: thin, JSON in and out; the rules live in portal.domain."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app, jsonify, render_template, request
from sqlalchemy.exc import IntegrityError

from portal.api import bp
from portal.api.auth import current_organisation, require_scope
from portal.api.openapi import PROBLEM_CODES, openapi_document
from portal.api.parsing import json_object, letter_request, request_body
from portal.api.problems import Problem
from portal.api.receipts import jwks, signer
from portal.db import get_session
from portal.domain import delivery as deliveries
from portal.domain.attachments import FILENAME_RULE_TEXT, AttachmentError, AttachmentRule
from portal.domain.delivery import MAX_IDEMPOTENCY_KEY_LENGTH
from portal.domain.letters import LetterError, LetterRule
from portal.domain.notifications import notify_new_letter, notify_new_letters
from portal.domain.subscriptions import check_reachability
from portal.models import Delivery, SubscriptionCheck
from portal.public_urls import public_url
from portal.timeutil import as_utc, utcnow

MAX_CHECK_BSNS = 250
MAX_BATCH_LETTERS = 1000
MAX_LETTER_REQUEST_BYTES = 4 * 1024 * 1024  # R4 attachments (2.5 MB) in base64, and the text
MAX_BATCH_REQUEST_BYTES = 32 * 1024 * 1024
MAX_CHECK_REQUEST_BYTES = 64 * 1024


@bp.post("/subscriptions/check")
@require_scope("subscriptions:check")
def check_subscriptions() -> Response:
    """Per BSN: does it have an active Berichtenbox, subscribed to this organisation (R2)."""
    body = json_object(request_body(MAX_CHECK_REQUEST_BYTES))
    bsns = body.get("bsns")
    if not isinstance(bsns, list) or not all(isinstance(b, str) for b in bsns):
        raise Problem(422, "invalid_field", "bsns must be a list of strings.", "/bsns")
    if not 1 <= len(bsns) <= MAX_CHECK_BSNS:
        raise Problem(422, "too_many_items", f"Send 1 to {MAX_CHECK_BSNS} BSNs.", "/bsns")
    db = get_session()
    results = check_reachability(db, current_organisation().id, bsns)
    # Counted for the usage report; no BSN is kept.
    db.add(SubscriptionCheck(organisation_id=current_organisation().id, bsn_count=len(bsns)))
    db.commit()
    return jsonify({"results": [result.as_dict() for result in results]})


@bp.post("/letters")
@require_scope("letters:send")
def send_letter() -> tuple[Response, int]:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= MAX_IDEMPOTENCY_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise Problem(400, "invalid_idempotency_key",
                      f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.")
    outcome = _deliver(letter_request(request_body(MAX_LETTER_REQUEST_BYTES)), key, signer(), pointer="")
    return jsonify(_receipt(outcome.delivery)), 200 if outcome.replayed else 201


@bp.post("/letters/batch")
@require_scope("letters:send")
def send_letters() -> Response:
    """Up to 1,000 letters in one transaction; each gets its own result. Retrying the batch
    is safe: letters already delivered (same reference and content) return their first
    confirmation."""
    body = json_object(request_body(MAX_BATCH_REQUEST_BYTES))
    letters = body.get("letters")
    if not isinstance(letters, list) or not 1 <= len(letters) <= MAX_BATCH_LETTERS:
        raise Problem(422, "too_many_items", f"Send 1 to {MAX_BATCH_LETTERS} letters.", "/letters")
    results: dict[int, dict[str, Any]] = {}
    parsed: dict[int, deliveries.DeliveryRequest] = {}
    for index, item in enumerate(letters):
        try:
            parsed[index] = letter_request(item, f"/letters/{index}")
        except Problem as problem:
            results[index] = {"index": index, "status": problem.status, "problem": problem.body()}
    outcomes = deliveries.deliver_batch(
        get_session(), current_organisation(), list(parsed.values()),
        now=utcnow(), sign=signer(), notify=notify_new_letters,
    )
    for index, outcome in zip(parsed, outcomes, strict=True):
        if isinstance(outcome, deliveries.Outcome):
            results[index] = {"index": index, "status": 200 if outcome.replayed else 201,
                              "receipt": _receipt(outcome.delivery)}
        else:
            problem = _problem(outcome, f"/letters/{index}")
            results[index] = {"index": index, "status": problem.status, "problem": problem.body()}
    return jsonify({"results": [results[index] for index in range(len(letters))]})


def _deliver(
    request_data: deliveries.DeliveryRequest, key: str | None, sign: deliveries.Signer, *, pointer: str
) -> deliveries.Outcome:
    db = get_session()
    try:
        return deliveries.deliver(
            db,
            current_organisation(),
            request_data,
            idempotency_key=key,
            now=utcnow(),
            sign=sign,
            notify=notify_new_letter,
        )
    except (deliveries.DeliveryError, LetterError, AttachmentError) as error:
        db.rollback()
        raise _problem(error, pointer) from None
    except IntegrityError:
        db.rollback()
        raise Problem(409, "conflict", "A concurrent request changed this; retry.") from None


def _problem(error: Exception, pointer: str) -> Problem:
    """The problem details for a broken delivery, letter or attachment rule."""
    if isinstance(error, deliveries.DeliveryError):
        status = 409 if error.rule in _CONFLICTS else 422
        return Problem(status, error.rule.value, _DETAILS[error.rule], pointer + error.pointer)
    if isinstance(error, LetterError):
        return Problem(422, error.rule.value, f"The letter breaks the rule {error.rule.value}.",
                       f"{pointer}/{_LETTER_FIELDS[error.rule]}")
    assert isinstance(error, AttachmentError), error
    where = f"{pointer}/attachments" + (f"/{error.index}" if error.index is not None else "")
    if error.rule is AttachmentRule.BAD_FILENAME:
        return Problem(422, error.rule.value, FILENAME_RULE_TEXT, f"{where}/filename")
    return Problem(422, error.rule.value, f"The attachments break the rule {error.rule.value} (R4).", where)


_CONFLICTS = {deliveries.DeliveryRule.DUPLICATE_REFERENCE, deliveries.DeliveryRule.IDEMPOTENCY_KEY_REUSED}
_DETAILS = {
    deliveries.DeliveryRule.INVALID_BSN: "The BSN does not pass the elfproef.",
    deliveries.DeliveryRule.NO_ACTIVE_BOX: "This person has no active Berichtenbox: send on paper.",
    deliveries.DeliveryRule.NOT_SUBSCRIBED: "This person does not want post from you here: send on paper.",
    deliveries.DeliveryRule.DUPLICATE_REFERENCE: "This reference was used for another letter.",
    deliveries.DeliveryRule.IDEMPOTENCY_KEY_REUSED: "This Idempotency-Key was used for another letter.",
}
# The request field each letter rule is about.
_LETTER_FIELDS = {
    LetterRule.SUBJECT_MISSING: "subject",
    LetterRule.SUBJECT_TOO_LONG: "subject",
    LetterRule.BODY_MISSING: "body",
    LetterRule.BODY_TOO_LONG: "body",
    LetterRule.REFERENCE_MISSING: "reference",
    LetterRule.REFERENCE_TOO_LONG: "reference",
    LetterRule.ACTION_TOO_LONG: "action",
    LetterRule.ACTION_WITHOUT_DATE: "act_by",
    LetterRule.IF_NOT_DONE_TOO_LONG: "if_not_done",
    LetterRule.IF_NOT_DONE_WITHOUT_ACTION: "if_not_done",
    LetterRule.URL_NOT_HTTPS: "sender_url",
    LetterRule.URL_INVALID: "sender_url",
}


def _receipt(delivery: Delivery) -> dict[str, Any]:
    return {
        "receipt_id": str(delivery.id),
        "letter_id": str(delivery.letter_id),
        "reference": delivery.reference,
        "letter_type": delivery.letter_type,
        "delivered_at": as_utc(delivery.delivered_at).isoformat(),
        "content_sha256": delivery.content_sha256,
        "signature": delivery.signature,
        "jwks_uri": public_url(current_app, "api.signing_keys"),
    }


@bp.get("/letters/<uuid:letter_id>")
@require_scope("letters:send")
def letter_receipt(letter_id: uuid.UUID) -> Response:
    db = get_session()
    found = deliveries.find_delivery(db, current_organisation().id, letter_id)
    if found is None:
        raise Problem(404, "not_found", "No letter with this id was delivered by you.")
    events = [
        {"kind": event.kind.value, "at": as_utc(event.at).isoformat()}
        for event in deliveries.events(db, letter_id)
    ]
    return jsonify({**_receipt(found), "events": events})


@bp.get("/jwks.json")
def signing_keys() -> Response:
    """The public key that checks delivery confirmation signatures."""
    return jsonify(jwks())


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/docs")
def docs() -> str:
    return render_template(
        "views/api/docs.html", document=openapi_document(), problem_codes=PROBLEM_CODES
    )
