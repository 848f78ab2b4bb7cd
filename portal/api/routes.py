"""The API's views: thin, JSON in and out; the rules live in portal.domain."""

from __future__ import annotations

import uuid

from flask import Response, current_app, jsonify, render_template
from sqlalchemy.exc import IntegrityError

from portal.api import bp, schemas
from portal.api.auth import current_organisation
from portal.api.openapi import PROBLEM_CODES, Answer, Header, answer, openapi_document, operation
from portal.api.parsing import letter_request
from portal.api.problems import Problem
from portal.api.receipts import jwks, signer
from portal.db import get_session
from portal.domain import delivery as deliveries
from portal.domain.attachments import FILENAME_RULE_TEXT, AttachmentError, AttachmentRule
from portal.domain.delivery import MAX_IDEMPOTENCY_KEY_LENGTH
from portal.domain.letters import LetterError
from portal.domain.notifications import notify_new_letter, notify_new_letters
from portal.domain.subscriptions import check_reachability
from portal.models import Delivery, SubscriptionCheck
from portal.public_urls import public_url
from portal.timeutil import utcnow

MAX_LETTER_REQUEST_BYTES = 4 * 1024 * 1024  # R4 attachments (2.5 MB) in base64, and the text
MAX_BATCH_REQUEST_BYTES = 32 * 1024 * 1024
MAX_CHECK_REQUEST_BYTES = 64 * 1024
IDEMPOTENCY_KEY = Header("Idempotency-Key", MAX_IDEMPOTENCY_KEY_LENGTH, "invalid_idempotency_key")


@operation("post", "/subscriptions/check", scope="subscriptions:check",
           summary="Can these citizens be reached here? (opvragen geabonneerden)",
           body=schemas.SubscriptionCheck, max_bytes=MAX_CHECK_REQUEST_BYTES,
           answers={200: Answer("One result per BSN, in order.", schemas.CheckResult)})
def check_subscriptions(body: schemas.SubscriptionCheck) -> tuple[Response, int]:
    """Per BSN: does it have an active Berichtenbox, subscribed to this organisation (R2)."""
    db = get_session()
    results = check_reachability(db, current_organisation().id, body.bsns)
    # Counted for the usage report; no BSN is kept.
    db.add(SubscriptionCheck(organisation_id=current_organisation().id, bsn_count=len(body.bsns)))
    db.commit()
    return answer(schemas.CheckResult(results=[schemas.CheckItem(**result.as_dict()) for result in results]))


@operation("post", "/letters", scope="letters:send", summary="Deliver one letter (exactly once)",
           body=schemas.Letter, max_bytes=MAX_LETTER_REQUEST_BYTES, headers=(IDEMPOTENCY_KEY,),
           answers={201: Answer("Delivered: the delivery confirmation.", schemas.Receipt),
                    200: Answer("Already delivered: the first confirmation.", schemas.Receipt),
                    409: "Reference or key used for other content."})
def send_letter(body: schemas.Letter, idempotency_key: str | None) -> tuple[Response, int]:
    outcome = _deliver(body.delivery_request(), idempotency_key, signer(), pointer="")
    return answer(_receipt(outcome.delivery), 200 if outcome.replayed else 201)


@operation("post", "/letters/batch", scope="letters:send",
           summary="Deliver up to 1,000 letters; a result per letter",
           body=schemas.LetterBatch, max_bytes=MAX_BATCH_REQUEST_BYTES,
           answers={200: Answer("One result per letter.", schemas.BatchResult)})
def send_letters(body: schemas.LetterBatch) -> tuple[Response, int]:
    """Up to 1,000 letters in one transaction; each gets its own result. Retrying the batch
    is safe: letters already delivered (same reference and content) return their first
    confirmation."""
    results: dict[int, schemas.BatchItem] = {}
    parsed: dict[int, deliveries.DeliveryRequest] = {}
    for index, item in enumerate(body.letters):
        try:
            parsed[index] = letter_request(item, f"/letters/{index}")
        except Problem as problem:
            results[index] = schemas.BatchItem(index=index, status=problem.status, problem=problem.details())
    outcomes = deliveries.deliver_batch(
        get_session(), current_organisation(), list(parsed.values()),
        now=utcnow(), sign=signer(), notify=notify_new_letters,
    )
    for index, outcome in zip(parsed, outcomes, strict=True):
        if isinstance(outcome, deliveries.Outcome):
            results[index] = schemas.BatchItem(index=index, status=200 if outcome.replayed else 201,
                                               receipt=_receipt(outcome.delivery))
        else:
            problem = _problem(outcome, f"/letters/{index}")
            results[index] = schemas.BatchItem(index=index, status=problem.status, problem=problem.details())
    return answer(schemas.BatchResult(results=[results[index] for index in range(len(body.letters))]))


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
                       f"{pointer}/{error.field}")
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
def _receipt(delivery: Delivery) -> schemas.Receipt:
    return schemas.Receipt.of(delivery, public_url(current_app, "api.signing_keys"))


@operation("get", "/letters/<uuid:letter_id>", scope="letters:send",
           summary="A delivered letter's confirmation and track-and-trace",
           answers={200: Answer("Confirmation and events.", schemas.LetterStatus), 404: "Not delivered by you."})
def letter_receipt(letter_id: uuid.UUID) -> tuple[Response, int]:
    db = get_session()
    found = deliveries.find_delivery(db, current_organisation().id, letter_id)
    if found is None:
        raise Problem(404, "not_found", "No letter with this id was delivered by you.")
    events = [schemas.LetterEvent(kind=event.kind.value, at=event.at) for event in deliveries.events(db, letter_id)]
    return answer(schemas.LetterStatus(**dict(_receipt(found)), events=events))


@operation("get", "/jwks.json", summary="Public key(s) to check confirmation signatures",
           answers={200: Answer("A JSON Web Key Set.", schemas.Jwks)})
def signing_keys() -> tuple[Response, int]:
    """The public key that checks delivery confirmation signatures."""
    return answer(schemas.Jwks(**jwks()))


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/docs")
def docs() -> str:
    return render_template(
        "views/api/docs.html", document=openapi_document(), problem_codes=PROBLEM_CODES
    )
