"""Reading API request bodies into their declared models (``portal.api.schemas``), with a
JSON pointer for every problem."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from portal.api.problems import Problem
from portal.api.schemas import Letter
from portal.domain.delivery import DeliveryRequest
from portal.textcheck import first_unsafe

# How deeply a request body may nest. The deepest real body is a batch: object, letters,
# letter, attachments, attachment (5). Python's parser gives up near 1,000 levels (a 500).
MAX_JSON_DEPTH = 16


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


M = TypeVar("M", bound=BaseModel)


def read_body(model: type[M], limit: int) -> M:
    """This request's body as ``model``, in the contract's order of checks: 415 (not JSON),
    413 (over ``limit`` bytes), 400 (too deep, not an object), 422 (unsafe text, then the
    fields)."""
    return validated(model, json_object(request_body(limit)))


def validated(model: type[M], data: Any, pointer: str = "") -> M:
    """``data`` as ``model``; the first broken field as a problem, ``pointer`` before its place."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise field_problem(error.errors(include_url=False)[0], pointer) from None


def field_problem(error: ErrorDetails, pointer: str = "") -> Problem:
    """A pydantic error as the contract's problem: its location as a JSON pointer, its type as
    ``missing_field`` (absent or null), ``too_many_items`` (a list too short or too long) or
    ``invalid_field`` (wrong type or format)."""
    # RFC 6901: "~" and "/" in a name are escaped.
    where = pointer + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in error["loc"])
    name = str(error["loc"][-1]) if error["loc"] else "body"
    if error["type"] == "missing":
        return Problem(422, "missing_field", f"{name} is required.", where)
    if error["type"] in ("too_short", "too_long") and isinstance(error.get("input"), list):
        bounds = error.get("ctx", {})
        limit = (f"at least {bounds.get('min_length')}" if error["type"] == "too_short"
                 else f"at most {bounds.get('max_length')}")
        return Problem(422, "too_many_items", f"Send {limit} items in {name}.", where)
    return Problem(422, "invalid_field", f"{name}: {error['msg']}.", where or "/")


def letter_request(data: Any, pointer: str = "") -> DeliveryRequest:
    """One letter of a request (``pointer`` says where, in a batch) as a delivery request."""
    data = json_object(data) if pointer == "" else data
    return validated(Letter, data, pointer).delivery_request()
