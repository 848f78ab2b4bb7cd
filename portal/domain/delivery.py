"""Delivering a letter for an organisation: checks, exactly-once placement, and the
delivery confirmation (afleverbevestiging) with its track-and-trace (rules R2–R5)."""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain.bsn import is_valid_bsn
from portal.domain.attachments import AttachmentError
from portal.domain.letters import (
    LetterDraft,
    LetterError,
    attachment_rows,
    check_letter,
    letter_row,
    place_letter,
)
from portal.domain.subscriptions import boxes_for_bsns, is_subscribed, subscribed_accounts
from portal.models import (
    Account,
    Attachment,
    Delivery,
    Letter,
    LetterEvent,
    LetterEventKind,
    Organisation,
    Person,
)

MAX_IDEMPOTENCY_KEY_LENGTH = 100


class LetterType(enum.StrEnum):
    """What kind of post this is (R3: what is now sent on paper, beschikkingen included)."""

    DECISION = "beschikking"
    ASSESSMENT = "aanslag"
    REMINDER = "herinnering"
    INFORMATION = "informatie"
    OTHER = "overig"


class DeliveryRule(enum.StrEnum):
    INVALID_BSN = "invalid_bsn"
    NO_ACTIVE_BOX = "no_active_box"
    NOT_SUBSCRIBED = "not_subscribed"
    DUPLICATE_REFERENCE = "duplicate_reference"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"


class DeliveryError(ValueError):
    def __init__(self, rule: DeliveryRule, pointer: str = "") -> None:
        super().__init__(rule.value)
        self.rule = rule
        self.pointer = pointer


@dataclass(frozen=True)
class DeliveryRequest:
    bsn: str
    letter_type: LetterType
    draft: LetterDraft


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    replayed: bool


# Signs the confirmation payload; returns a JWS compact serialisation.
Signer = Callable[[dict[str, Any]], str]


def content_sha256(request: DeliveryRequest) -> str:
    """SHA-256 over the canonical content: sorted-key JSON without spaces, UTF-8, with the
    attachments by name, kind and their own SHA-256, in the order given.

    ``not_for_helpers`` and ``if_not_done`` are part of the content (the same reference with
    another flag or consequence is another letter), but only when set: letters without them
    keep the hash they always had.
    """
    draft = request.draft
    canonical = {
        "bsn": request.bsn,
        "letter_type": request.letter_type.value,
        "subject": draft.subject,
        "body": draft.body,
        "reference": draft.reference,
        "act_by": draft.act_by.isoformat() if draft.act_by else None,
        "action": draft.action,
        "sender_url": draft.sender_url,
        "attachments": [
            {
                "filename": item.filename,
                "kind": "personal" if item.personal else "general",
                "sha256": hashlib.sha256(item.content).hexdigest(),
            }
            for item in draft.attachments
        ],
    }
    if draft.not_for_helpers:
        canonical["not_for_helpers"] = True
    if draft.if_not_done is not None:
        canonical["if_not_done"] = draft.if_not_done
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def find_box(session: Session, bsn: str) -> Account | None:
    """The account (active Berichtenbox) of this BSN, if any."""
    return session.scalar(select(Account).join(Person).where(Person.bsn == bsn))


def deliver(
    session: Session,
    organisation: Organisation,
    request: DeliveryRequest,
    *,
    idempotency_key: str | None,
    now: datetime,
    sign: Signer,
    notify: Callable[[Session, Letter], bool] | None = None,
) -> Outcome:
    """Place the letter exactly once and return its confirmation.

    A retry (same idempotency key, or same reference with the same content) returns the
    first confirmation. The same reference or key with other content is refused. Commits.
    ``notify`` queues the e-mail notification in the same transaction (R6); when it says an
    e-mail will go out, the track-and-trace shows that.
    """
    digest = content_sha256(request)
    existing = _existing(session, organisation.id, request.draft.reference, idempotency_key)
    if existing is not None:
        return _replay(existing, digest, request.draft.reference)
    if not is_valid_bsn(request.bsn):
        raise DeliveryError(DeliveryRule.INVALID_BSN, "/bsn")
    check_letter(request.draft)
    account = find_box(session, request.bsn)
    if account is None:
        raise DeliveryError(DeliveryRule.NO_ACTIVE_BOX, "/bsn")
    if not is_subscribed(session, account.id, organisation.id):
        raise DeliveryError(DeliveryRule.NOT_SUBSCRIBED, "/bsn")
    try:
        delivery = _place(session, organisation, account, request, idempotency_key, digest, now, sign)
        if notify is not None and notify(session, delivery.letter):
            session.add(LetterEvent(letter_id=delivery.letter_id, kind=LetterEventKind.NOTIFICATION_QUEUED, at=now))
        session.commit()
    except IntegrityError:
        # A concurrent retry placed it first: ours is rolled back whole, theirs is the answer.
        session.rollback()
        existing = _existing(session, organisation.id, request.draft.reference, idempotency_key)
        if existing is None:
            raise
        return _replay(existing, digest, request.draft.reference)
    return Outcome(delivery, replayed=False)


def _place(
    session: Session,
    organisation: Organisation,
    account: Account,
    request: DeliveryRequest,
    idempotency_key: str | None,
    digest: str,
    now: datetime,
    sign: Signer,
) -> Delivery:
    letter = place_letter(
        session,
        account_id=account.id,
        organisation_id=organisation.id,
        draft=request.draft,
        placed_at=now,
    )
    session.flush()
    delivery = _delivery(organisation, request, letter.id, idempotency_key, digest, now, sign)
    delivery.letter = letter
    session.add(delivery)
    session.add_all(
        [
            LetterEvent(letter_id=letter.id, kind=LetterEventKind.RECEIVED, at=now),
            LetterEvent(letter_id=letter.id, kind=LetterEventKind.PLACED, at=now),
        ]
    )
    # Flush now: a concurrent twin fails here, on the unique constraints, not later.
    session.flush()
    return delivery


def _delivery(
    organisation: Organisation,
    request: DeliveryRequest,
    letter_id: uuid.UUID,
    idempotency_key: str | None,
    digest: str,
    now: datetime,
    sign: Signer,
) -> Delivery:
    """The signed delivery confirmation of a letter: the one mapping, for one and for a batch."""
    delivery = Delivery(
        id=uuid.uuid4(),
        organisation_id=organisation.id,
        reference=request.draft.reference,
        idempotency_key=idempotency_key,
        letter_id=letter_id,
        letter_type=request.letter_type.value,
        content_sha256=digest,
        delivered_at=now,
    )
    delivery.signature = sign(confirmation_payload(delivery, organisation))
    return delivery


def _existing(
    session: Session, organisation_id: int, reference: str, idempotency_key: str | None
) -> Delivery | None:
    if idempotency_key:
        found = session.scalar(
            select(Delivery).where(
                Delivery.organisation_id == organisation_id,
                Delivery.idempotency_key == idempotency_key,
            )
        )
        if found is not None:
            return found
    return session.scalar(
        select(Delivery).where(
            Delivery.organisation_id == organisation_id, Delivery.reference == reference
        )
    )


def _replay(existing: Delivery, digest: str, reference: str) -> Outcome:
    if existing.content_sha256 != digest:
        if existing.reference == reference:
            raise DeliveryError(DeliveryRule.DUPLICATE_REFERENCE, "/reference")
        raise DeliveryError(DeliveryRule.IDEMPOTENCY_KEY_REUSED)
    return Outcome(existing, replayed=True)


def confirmation_payload(delivery: Delivery, organisation: Organisation) -> dict[str, Any]:
    """What the portal signs: enough for the organisation to prove delivery later."""
    return {
        "receipt_id": str(delivery.id),
        "letter_id": str(delivery.letter_id),
        "organisation_oin": organisation.oin,
        "reference": delivery.reference,
        "delivered_at": delivery.delivered_at.isoformat(),
        "content_sha256": delivery.content_sha256,
    }


def record_notification_sent(session: Session, account_id: int, organisation_id: int, now: datetime) -> None:
    """The e-mail about new post from this organisation went out: trace it on every letter
    it was queued for (one e-mail may cover several letters). The caller commits."""
    already_sent = select(LetterEvent.letter_id).where(LetterEvent.kind == LetterEventKind.NOTIFICATION_SENT)
    waiting = session.scalars(
        select(LetterEvent.letter_id)
        .join(Letter, Letter.id == LetterEvent.letter_id)
        .where(
            Letter.account_id == account_id,
            Letter.organisation_id == organisation_id,
            LetterEvent.kind == LetterEventKind.NOTIFICATION_QUEUED,
            LetterEvent.letter_id.not_in(already_sent),
        )
    )
    session.add_all(
        LetterEvent(letter_id=letter_id, kind=LetterEventKind.NOTIFICATION_SENT, at=now)
        for letter_id in list(waiting)
    )


def find_delivery(session: Session, organisation_id: int, letter_id: uuid.UUID) -> Delivery | None:
    """Only the organisation that delivered a letter can see its confirmation."""
    return session.scalar(
        select(Delivery).where(
            Delivery.letter_id == letter_id, Delivery.organisation_id == organisation_id
        )
    )


def events(session: Session, letter_id: uuid.UUID) -> list[LetterEvent]:
    return list(
        session.scalars(
            select(LetterEvent).where(LetterEvent.letter_id == letter_id).order_by(LetterEvent.at, LetterEvent.id)
        )
    )


BatchResult = Outcome | DeliveryError | LetterError | AttachmentError
# Queues e-mails for many boxes of one organisation; returns the accounts that get one.
NotifyMany = Callable[[Session, int, set[int]], set[int]]


def deliver_batch(
    session: Session,
    organisation: Organisation,
    requests: Sequence[DeliveryRequest],
    *,
    now: datetime,
    sign: Signer,
    notify: NotifyMany | None = None,
) -> list[BatchResult]:
    """Deliver many letters in one transaction: a result per request, in order.

    The same rules and the same exactly-once promise as ``deliver``, with a few queries for
    the whole batch instead of several per letter. If a concurrent request placed one of
    these letters first (a unique constraint fails at commit), the batch is rolled back and
    delivered letter by letter with ``deliver``, which answers such a letter with the first
    confirmation. Commits.
    """
    digests = [content_sha256(request) for request in requests]
    references = {request.draft.reference for request in requests}
    earlier = {
        delivery.reference: delivery
        for delivery in session.scalars(
            select(Delivery).where(
                Delivery.organisation_id == organisation.id, Delivery.reference.in_(references)
            )
        )
    }
    bsns = {request.bsn for request in requests if is_valid_bsn(request.bsn)}
    boxes = boxes_for_bsns(session, bsns)
    subscribed = subscribed_accounts(session, organisation.id, set(boxes.values()))

    results: list[BatchResult] = []
    rows = _BatchRows()
    for request, digest in zip(requests, digests, strict=True):
        reference = request.draft.reference
        previous = earlier.get(reference)
        if previous is not None:
            results.append(_replay_or_error(previous, digest, reference))
            continue
        try:
            account_id = _checked_box(request, boxes, subscribed)
        except (DeliveryError, LetterError, AttachmentError) as error:
            results.append(error)
            continue
        delivery = rows.add(organisation, request, account_id, digest, now, sign)
        earlier[reference] = delivery
        results.append(Outcome(delivery, replayed=False))

    if rows.letters:
        try:
            rows.insert(session)
            if notify is not None:
                told = notify(session, organisation.id, set(rows.accounts.values()))
                rows.insert_events(session, [
                    {"letter_id": letter_id, "kind": LetterEventKind.NOTIFICATION_QUEUED, "at": now}
                    for letter_id, account_id in rows.accounts.items() if account_id in told
                ])
            session.commit()
        except IntegrityError:
            session.rollback()
            return _one_by_one(session, organisation, requests, now=now, sign=sign, notify=notify)
    return results


def _replay_or_error(previous: Delivery, digest: str, reference: str) -> BatchResult:
    try:
        return _replay(previous, digest, reference)
    except DeliveryError as error:
        return error


def _checked_box(request: DeliveryRequest, boxes: dict[str, int], subscribed: set[int]) -> int:
    if not is_valid_bsn(request.bsn):
        raise DeliveryError(DeliveryRule.INVALID_BSN, "/bsn")
    check_letter(request.draft)
    account_id = boxes.get(request.bsn)
    if account_id is None:
        raise DeliveryError(DeliveryRule.NO_ACTIVE_BOX, "/bsn")
    if account_id not in subscribed:
        raise DeliveryError(DeliveryRule.NOT_SUBSCRIBED, "/bsn")
    return account_id


class _BatchRows:
    """The rows of a batch, written with one multi-row INSERT per table."""

    def __init__(self) -> None:
        self.letters: list[dict[str, Any]] = []
        self.attachments: list[dict[str, Any]] = []
        self.deliveries: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.accounts: dict[uuid.UUID, int] = {}

    def add(
        self,
        organisation: Organisation,
        request: DeliveryRequest,
        account_id: int,
        digest: str,
        now: datetime,
        sign: Signer,
    ) -> Delivery:
        letter = letter_row(request.draft, account_id=account_id, organisation_id=organisation.id, placed_at=now)
        self.accounts[letter["id"]] = account_id
        self.letters.append(letter)
        self.attachments.extend(attachment_rows(request.draft, letter["id"]))
        delivery = _delivery(organisation, request, letter["id"], None, digest, now, sign)
        self.deliveries.append({column.key: getattr(delivery, column.key) for column in Delivery.__table__.columns})
        self.events.extend(
            {"letter_id": letter["id"], "kind": kind, "at": now}
            for kind in (LetterEventKind.RECEIVED, LetterEventKind.PLACED)
        )
        return delivery

    def insert(self, session: Session) -> None:
        session.execute(insert(Letter), self.letters)
        if self.attachments:
            session.execute(insert(Attachment), self.attachments)
        session.execute(insert(Delivery), self.deliveries)
        self.insert_events(session, self.events)

    @staticmethod
    def insert_events(session: Session, events: list[dict[str, Any]]) -> None:
        if events:
            session.execute(insert(LetterEvent), events)


def _one_by_one(
    session: Session,
    organisation: Organisation,
    requests: Sequence[DeliveryRequest],
    *,
    now: datetime,
    sign: Signer,
    notify: NotifyMany | None,
) -> list[BatchResult]:
    def notify_one(db: Session, letter: Letter) -> bool:
        return notify is not None and letter.account_id in notify(db, organisation.id, {letter.account_id})

    results: list[BatchResult] = []
    for request in requests:
        try:
            results.append(deliver(session, organisation, request, idempotency_key=None, now=now,
                                   sign=sign, notify=notify_one))
        except (DeliveryError, LetterError, AttachmentError) as error:
            session.rollback()
            results.append(error)
    return results
