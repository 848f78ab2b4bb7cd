"""Reading API request bodies into domain objects, with a JSON pointer for every problem."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from flask import request

from portal.api.problems import Problem
from portal.textcheck import first_unsafe
from portal.domain.attachments import AttachmentFile, normal_filename
from portal.domain.delivery import DeliveryRequest, LetterType
from portal.domain.letters import LetterDraft

ATTACHMENT_KINDS = {"personal": True, "general": False}
# How deeply a request body may nest. The deepest real body is a batch: object, letters,
# letter, attachments, attachment (5). Python's parser gives up near 1,000 levels (a 500).
MAX_JSON_DEPTH = 16


def invalid(pointer: str, detail: str, code: str = "invalid_field") -> Problem:
    return Problem(422, code, detail, pointer)


def request_body(limit: int) -> Any:
    """The JSON body of this request (at most ``limit`` bytes), or None when it is not JSON.
    Refused when it is no JSON at all (415) or nests deeper than ``MAX_JSON_DEPTH`` (400)."""
    request.max_content_length = limit
    if not request.is_json:
        raise Problem(415, "unsupported_media_type", "Send application/json.")
    too_deep = Problem(400, "invalid_json", f"The body nests deeper than {MAX_JSON_DEPTH} levels.", "")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise too_deep from None
    if _depth(body) > MAX_JSON_DEPTH:
        raise too_deep
    return body


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar: 0); without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_JSON_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


def json_object(body: Any) -> dict[str, Any]:
    """The request body, refused when it is not a JSON object or holds text the portal does
    not store (NUL, lone surrogates, control characters other than tab and line breaks)."""
    if not isinstance(body, dict):
        raise Problem(400, "invalid_json", "The body must be a JSON object.", "")
    unsafe = first_unsafe(body)
    if unsafe is not None:
        raise Problem(422, "invalid_text", "Text may not hold control characters or broken Unicode.", unsafe)
    return body


def _string(data: dict[str, Any], key: str, pointer: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise invalid(f"{pointer}/{key}", f"{key} is required.", "missing_field")
        return None
    if not isinstance(value, str):
        raise invalid(f"{pointer}/{key}", f"{key} must be a string.")
    return value


def _boolean(data: dict[str, Any], key: str, pointer: str) -> bool:
    """An optional flag: missing or null is false."""
    value = data.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise invalid(f"{pointer}/{key}", f"{key} must be true or false.")
    return value


def letter_request(data: Any, pointer: str = "") -> DeliveryRequest:
    data = json_object(data) if pointer == "" else data
    if not isinstance(data, dict):
        raise invalid(pointer or "/", "Each letter must be a JSON object.")
    bsn = _string(data, "bsn", pointer) or ""
    letter_type_text = _string(data, "letter_type", pointer) or ""
    try:
        letter_type = LetterType(letter_type_text)
    except ValueError:
        allowed = ", ".join(t.value for t in LetterType)
        raise invalid(f"{pointer}/letter_type", f"letter_type must be one of: {allowed}.") from None
    act_by_text = _string(data, "act_by", pointer, required=False)
    act_by = None
    if act_by_text is not None:
        try:
            act_by = date.fromisoformat(act_by_text)
        except ValueError:
            raise invalid(f"{pointer}/act_by", "act_by must be a date (YYYY-MM-DD).") from None
    draft = LetterDraft(
        subject=_string(data, "subject", pointer) or "",
        body=_string(data, "body", pointer) or "",
        reference=_string(data, "reference", pointer) or "",
        act_by=act_by,
        action=_string(data, "action", pointer, required=False),
        if_not_done=_string(data, "if_not_done", pointer, required=False),
        sender_url=_string(data, "sender_url", pointer, required=False),
        attachments=_attachments(data.get("attachments", []), f"{pointer}/attachments"),
        not_for_helpers=_boolean(data, "not_for_helpers", pointer),
    )
    return DeliveryRequest(bsn=bsn, letter_type=letter_type, draft=draft)


def _attachments(items: Any, pointer: str) -> tuple[AttachmentFile, ...]:
    if not isinstance(items, list):
        raise invalid(pointer, "attachments must be a list.")
    files = []
    for index, item in enumerate(items):
        here = f"{pointer}/{index}"
        if not isinstance(item, dict):
            raise invalid(here, "Each attachment must be a JSON object.")
        filename = _string(item, "filename", here) or ""
        kind = _string(item, "kind", here) or ""
        if kind not in ATTACHMENT_KINDS:
            raise invalid(f"{here}/kind", "kind must be personal or general.")
        content = _string(item, "content", here) or ""
        try:
            raw = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise invalid(f"{here}/content", "content must be base64.") from None
        files.append(AttachmentFile(filename=normal_filename(filename), content=raw, personal=ATTACHMENT_KINDS[kind]))
    return tuple(files)
