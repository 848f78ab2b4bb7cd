"""Every request and response body of /api/v1, declared once as pydantic models.

The views read bodies with these models (``portal.api.parsing``), answer with them, and the
OpenAPI document is generated from them (``portal.api.openapi``). The models check shape and
type only; the rules (lengths, the elfproef, R4) stay in ``portal.domain``, which gives each
its own problem code. A limit that is a domain rule is shown in the document (``shown``) from
the domain's constant, not checked here.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticUndefined

from portal.domain import attachments as attachment_rules
from portal.domain import cases as case_rules
from portal.domain import letters as letter_rules
from portal.domain.attachments import AttachmentFile, normal_filename
from portal.domain.delivery import DeliveryRequest, LetterType
from portal.domain.letters import LetterDraft
from portal.models import Delivery
from portal.timeutil import as_utc

# Where the document keeps the named schemas.
REF = "#/components/schemas/{model}"
MAX_CHECK_BSNS = 250
MAX_BATCH_LETTERS = 1000


def shown(description: str | None = None, *, default: Any = PydanticUndefined, **constraints: Any) -> Any:
    """A field whose limits the document shows but the domain checks (with its own code)."""
    return Field(default, description=description, json_schema_extra=constraints or None)


def _iso_date(value: Any) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "must be a date (YYYY-MM-DD)")


def _base64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "must be a string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise PydanticCustomError("base64_decode", "must be base64") from None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Base64File = Annotated[bytes, BeforeValidator(_base64), WithJsonSchema(
    {"type": "string", "contentEncoding": "base64", "description": "A PDF file, judged by its content."})]
Moment = Annotated[datetime, PlainSerializer(lambda moment: as_utc(moment).isoformat(), return_type=str),
                   WithJsonSchema({"type": "string", "format": "date-time"})]
ATTACHMENT_LIMITS = (
    f"At most {attachment_rules.MAX_PERSONAL_ATTACHMENTS} personal "
    f"({attachment_rules.MAX_PERSONAL_BYTES // 1024} KB together) and {attachment_rules.MAX_GENERAL_ATTACHMENTS} "
    f"general ({attachment_rules.MAX_GENERAL_BYTES // 1024 // 1024} MB together).")
IF_NOT_DONE = ("What happens if the action is not done by act_by, in plain words for the citizen; "
               "needs action.")


class Request(BaseModel):
    """A request body: unknown fields are ignored, numbers are not taken for text, and a
    required field that is null counts as missing (``missing_field``), as an absent one."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _null_is_missing(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        required = {name for name, field in cls.model_fields.items() if field.is_required()}
        return {key: value for key, value in data.items() if value is not None or key not in required}


class Inline(Request):
    """A request body shown in its operation, not as a named schema of its own."""


# Requests


class Attachment(Request):
    filename: StrictStr = shown(minLength=1, maxLength=attachment_rules.MAX_FILENAME_LENGTH)
    kind: Literal["personal", "general"]
    content: Base64File

    def file(self) -> AttachmentFile:
        return AttachmentFile(filename=normal_filename(self.filename), content=self.content,
                              personal=self.kind == "personal")


class Letter(Request):
    bsn: StrictStr = shown(pattern="^[0-9]{9}$")
    letter_type: LetterType
    subject: StrictStr = shown(minLength=1, maxLength=letter_rules.MAX_SUBJECT_LENGTH)
    body: StrictStr = shown(minLength=1, maxLength=letter_rules.MAX_BODY_LENGTH)
    reference: StrictStr = shown("Your reference, unique within your organisation.",
                                 minLength=1, maxLength=letter_rules.MAX_REFERENCE_LENGTH)
    act_by: IsoDate | None = None
    action: StrictStr | None = shown("What the citizen must do; needs act_by.", default=None,
                                     maxLength=letter_rules.MAX_ACTION_LENGTH)
    if_not_done: StrictStr | None = shown(IF_NOT_DONE, default=None, maxLength=letter_rules.MAX_IF_NOT_DONE_LENGTH)
    sender_url: StrictStr | None = shown(default=None, maxLength=letter_rules.MAX_URL_LENGTH, pattern="^https://")
    attachments: list[Attachment] = Field(default_factory=list, description=ATTACHMENT_LIMITS, json_schema_extra={
        "maxItems": attachment_rules.MAX_PERSONAL_ATTACHMENTS + attachment_rules.MAX_GENERAL_ATTACHMENTS})
    not_for_helpers: StrictBool | None = Field(False, description=(
        "Only for the citizen: a helper who acts for them with a mandate (machtiging) sees that "
        "the letter exists, never its subject, text or attachments. Default false. "
        "Part of the content: the same reference with another value is a conflict."))

    def delivery_request(self) -> DeliveryRequest:
        draft = LetterDraft(
            subject=self.subject, body=self.body, reference=self.reference, act_by=self.act_by,
            action=self.action, if_not_done=self.if_not_done, sender_url=self.sender_url,
            attachments=tuple(item.file() for item in self.attachments),
            not_for_helpers=bool(self.not_for_helpers),
        )
        return DeliveryRequest(bsn=self.bsn, letter_type=self.letter_type, draft=draft)


def named(model: type[BaseModel]) -> WithJsonSchema:
    """Shown as the named schema of ``model``, without checking it here."""
    return WithJsonSchema({"$ref": REF.format(model=model.__name__)})


class LetterBatch(Inline):
    # Each letter is read on its own (a broken one gets its own result), so not here.
    letters: list[Annotated[Any, named(Letter)]] = Field(min_length=1, max_length=MAX_BATCH_LETTERS)


class SubscriptionCheck(Inline):
    bsns: list[StrictStr] = Field(min_length=1, max_length=MAX_CHECK_BSNS)


class NewCase(Request):
    bsn: StrictStr
    title: StrictStr = shown(minLength=1, maxLength=case_rules.MAX_TITLE_LENGTH)
    reference: StrictStr = shown(minLength=1, maxLength=case_rules.MAX_REFERENCE_LENGTH)
    steps: list[Annotated[StrictStr, shown(minLength=1, maxLength=case_rules.MAX_STEP_NAME_LENGTH)]] = shown(
        minItems=1, maxItems=case_rules.MAX_STEPS)


class StatusChange(Request):
    step: StrictInt = shown("Counts from 1.", minimum=1)
    text: StrictStr = shown("Plain language for the citizen.", minLength=1,
                            maxLength=case_rules.MAX_STATUS_TEXT_LENGTH)
    action: StrictStr | None = shown(default=None, maxLength=case_rules.MAX_ACTION_LENGTH)
    act_by: IsoDate | None = None
    if_not_done: StrictStr | None = shown(IF_NOT_DONE, default=None, maxLength=case_rules.MAX_IF_NOT_DONE_LENGTH)


class CaseClosing(Inline):
    text: StrictStr | None = shown(default=None, maxLength=case_rules.MAX_STATUS_TEXT_LENGTH)


class CaseLetter(Inline):
    letter_id: uuid.UUID


# Responses


class Problem(BaseModel):
    """Problem details (RFC 9457) with a stable machine code."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    pointer: str | None = Field(None, description="JSON pointer to the offending field.")


class Receipt(BaseModel):
    """The delivery confirmation (afleverbevestiging)."""

    receipt_id: uuid.UUID
    letter_id: uuid.UUID
    reference: str
    letter_type: str
    delivered_at: Moment = Field(description="The moment the letter counts as delivered (verstrekt).")
    content_sha256: str = Field(pattern="^[0-9a-f]{64}$")
    signature: str = Field(description="JWS (RS256) over the confirmation.")
    jwks_uri: str

    @classmethod
    def of(cls, delivery: Delivery, jwks_uri: str) -> Receipt:
        return cls(receipt_id=delivery.id, letter_id=delivery.letter_id, reference=delivery.reference,
                   letter_type=delivery.letter_type, delivered_at=delivery.delivered_at,
                   content_sha256=delivery.content_sha256, signature=delivery.signature,
                   jwks_uri=jwks_uri)


class LetterEvent(BaseModel):
    kind: Literal["received", "placed", "notification_queued", "notification_sent"]
    at: Moment


class LetterStatus(Receipt):
    events: list[LetterEvent]


class BatchItem(BaseModel):
    index: int
    status: int
    receipt: Receipt | None = None
    problem: Problem | None = None


class BatchResult(BaseModel):
    results: list[BatchItem]


class CheckItem(BaseModel):
    bsn: str
    valid: bool
    code: Literal["invalid_bsn"] | None = None
    active_box: bool | None = None
    subscribed: bool | None = None


class CheckResult(BaseModel):
    results: list[CheckItem]


class CaseChange(BaseModel):
    at: Moment
    step: int
    text: str


class CaseState(BaseModel):
    case_id: uuid.UUID
    reference: str
    title: str
    status: Literal["open", "closed"]
    current_step: int
    steps: list[str]
    action: str | None
    act_by: date | None
    if_not_done: str | None
    updated_at: Moment
    history: list[CaseChange]


class Jwks(BaseModel):
    """A JSON Web Key Set."""

    keys: list[dict[str, Any]]
