"""Placing a letter in a Berichtenbox (rules R3–R5)."""

from __future__ import annotations

import enum
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from portal.domain.attachments import AttachmentFile, check_attachments
from portal.models import Attachment, AttachmentKind, Letter
from portal.timeutil import utcnow

MAX_SUBJECT_LENGTH = 50
MAX_BODY_LENGTH = 4000
MAX_REFERENCE_LENGTH = 25
MAX_ACTION_LENGTH = 200
# What happens if the action is not done in time, in the sender's words.
MAX_IF_NOT_DONE_LENGTH = 200
MAX_URL_LENGTH = 300


class LetterRule(enum.StrEnum):
    SUBJECT_MISSING = "subject_missing"
    SUBJECT_TOO_LONG = "subject_too_long"
    BODY_MISSING = "body_missing"
    BODY_TOO_LONG = "body_too_long"
    REFERENCE_MISSING = "reference_missing"
    REFERENCE_TOO_LONG = "reference_too_long"
    ACTION_TOO_LONG = "action_too_long"
    ACTION_WITHOUT_DATE = "action_without_date"
    IF_NOT_DONE_TOO_LONG = "if_not_done_too_long"
    IF_NOT_DONE_WITHOUT_ACTION = "if_not_done_without_action"
    URL_NOT_HTTPS = "sender_url_not_https"
    # Not a plain web address: a control character, a space, a backslash, no host, or a user
    # name or password before the host ("https://x@evil.example" goes to evil.example).
    URL_INVALID = "sender_url_invalid"


# The field of the draft each rule is about.
RULE_FIELDS = {
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


class LetterError(ValueError):
    def __init__(self, rule: LetterRule) -> None:
        super().__init__(rule.value)
        self.rule = rule
        self.field = RULE_FIELDS[rule]


@dataclass(frozen=True)
class LetterDraft:
    subject: str
    body: str
    reference: str
    act_by: date | None = None
    action: str | None = None
    if_not_done: str | None = None
    sender_url: str | None = None
    attachments: Sequence[AttachmentFile] = field(default_factory=tuple)
    # The sender marked it "not for helpers": a helper sees that it exists, never what it says.
    not_for_helpers: bool = False


def check_letter(draft: LetterDraft) -> None:
    """Raise LetterError or AttachmentError for the first rule the draft breaks."""
    _require(draft.subject.strip(), LetterRule.SUBJECT_MISSING)
    _require(len(draft.subject) <= MAX_SUBJECT_LENGTH, LetterRule.SUBJECT_TOO_LONG)
    _require(draft.body.strip(), LetterRule.BODY_MISSING)
    _require(len(draft.body) <= MAX_BODY_LENGTH, LetterRule.BODY_TOO_LONG)
    _require(draft.reference.strip(), LetterRule.REFERENCE_MISSING)
    _require(len(draft.reference) <= MAX_REFERENCE_LENGTH, LetterRule.REFERENCE_TOO_LONG)
    if draft.action is not None:
        _require(len(draft.action) <= MAX_ACTION_LENGTH, LetterRule.ACTION_TOO_LONG)
        _require(draft.act_by is not None, LetterRule.ACTION_WITHOUT_DATE)
    if draft.if_not_done is not None:
        _require(len(draft.if_not_done) <= MAX_IF_NOT_DONE_LENGTH, LetterRule.IF_NOT_DONE_TOO_LONG)
        _require(draft.action is not None and bool(draft.if_not_done.strip()), LetterRule.IF_NOT_DONE_WITHOUT_ACTION)
    if draft.sender_url is not None:
        _require(
            draft.sender_url.startswith("https://") and len(draft.sender_url) <= MAX_URL_LENGTH,
            LetterRule.URL_NOT_HTTPS,
        )
        _require(sender_host(draft.sender_url) is not None, LetterRule.URL_INVALID)
    check_attachments(draft.attachments)


# What a sender link may hold: printable ASCII without space or backslash (RFC 3986; an
# address with other letters is sent in its punycode and percent-encoded form).
_URL_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F)) - {"\\"}


def sender_host(url: str) -> str | None:
    """The host a sender link leads to, shown next to the link; None when the link is not a
    plain https address (then it is refused)."""
    if not set(url) <= _URL_CHARACTERS:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return None
    if parts.scheme != "https" or "@" in parts.netloc or not parts.hostname:
        return None
    return parts.hostname


def _require(condition: object, rule: LetterRule) -> None:
    if not condition:
        raise LetterError(rule)


def letter_row(draft: LetterDraft, *, account_id: int, organisation_id: int, placed_at: datetime) -> dict[str, Any]:
    """The columns of a letter's row. The one mapping from a draft to a stored letter: one
    letter (``place_letter``) and a batch (``portal.domain.delivery``) both use it."""
    return {
        "id": uuid.uuid4(),
        "account_id": account_id,
        "organisation_id": organisation_id,
        "subject": draft.subject,
        "body": draft.body,
        "reference": draft.reference,
        "act_by": draft.act_by,
        "action": draft.action,
        "if_not_done": draft.if_not_done,
        "sender_url": draft.sender_url,
        "not_for_helpers": draft.not_for_helpers,
        "sent_at": placed_at,
        "placed_at": placed_at,
        "first_opened_at": None,
        "archived": False,
    }


def attachment_rows(draft: LetterDraft, letter_id: uuid.UUID) -> list[dict[str, Any]]:
    """The rows of a letter's attachments, in the order given."""
    return [
        {
            "id": uuid.uuid4(),
            "letter_id": letter_id,
            "position": position,
            "kind": AttachmentKind.PERSONAL if item.personal else AttachmentKind.GENERAL,
            "filename": item.filename,
            "content_type": "application/pdf",
            "size": len(item.content),
            "sha256": hashlib.sha256(item.content).hexdigest(),
            "content": item.content,
        }
        for position, item in enumerate(draft.attachments)
    ]


def place_letter(
    session: Session,
    *,
    account_id: int,
    organisation_id: int,
    draft: LetterDraft,
    placed_at: datetime | None = None,
) -> Letter:
    """Check the draft and add the letter to the box. The caller commits."""
    check_letter(draft)
    row = letter_row(draft, account_id=account_id, organisation_id=organisation_id, placed_at=placed_at or utcnow())
    letter = Letter(**row)
    letter.attachments = [Attachment(**item) for item in attachment_rows(draft, row["id"])]
    session.add(letter)
    return letter
