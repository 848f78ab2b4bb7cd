"""The OpenAPI 3.1 description of the organisation API, generated from the declarations: each
view is declared with ``operation`` (path, scope, body model, answers), and every schema comes
from ``portal.api.schemas``. Contract tests hold the API to it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from flask import Response, jsonify, request
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from portal.api import bp, schemas
from portal.api.auth import require_scope
from portal.api.parsing import read_body
from portal.api.problems import HTTP_CODES, Problem
from portal.domain.attachments import AttachmentRule
from portal.domain.cases import CaseRule
from portal.domain.delivery import DeliveryRule
from portal.domain.letters import LetterRule

_EXPLAINED = {"not_found", "request_too_large", "unsupported_media_type", "method_not_allowed"}

PROBLEM_CODES: dict[str, str] = {
    "missing_token": "No bearer token was sent.",
    "invalid_token": "The token is unknown, expired or its client was revoked.",
    "insufficient_scope": "The token lacks the scope this endpoint needs.",
    "invalid_json": "The body is not a JSON object.",
    "invalid_text": "A text holds a control character or broken Unicode (see pointer).",
    "method_not_allowed": "This method is not allowed here (405).",
    "unsupported_media_type": "The body is not application/json.",
    "missing_field": "A required field is missing (see pointer).",
    "invalid_field": "A field has the wrong type or format (see pointer).",
    "too_many_items": "A list has too few or too many items.",
    "invalid_idempotency_key": "The Idempotency-Key header is empty or too long.",
    "request_too_large": "The body is over the limit for this endpoint (413).",
    "not_found": "No such resource for your organisation.",
    "conflict": "A concurrent request changed this; retry.",
    "rate_limited": "Too many requests from this client; wait Retry-After seconds (429).",
    **{rule.value: f"Delivery rule: {rule.value}." for rule in DeliveryRule},
    **{rule.value: f"Letter rule: {rule.value}." for rule in LetterRule},
    **{rule.value: f"Attachment rule (R4): {rule.value}." for rule in AttachmentRule},
    **{rule.value: f"Case rule: {rule.value}." for rule in CaseRule},
    **{code: f"HTTP {status}." for status, code in HTTP_CODES.items() if code not in _EXPLAINED},
    "error": "Any other HTTP error.",
}


SCOPES = {
    "letters:send": "Deliver letters and read their confirmations.",
    "subscriptions:check": "Check whether citizens can be reached.",
    "cases:write": "Open and update cases (Lopende Zaken).",
}


@dataclass(frozen=True)
class Answer:
    """A documented answer: a JSON body of ``model``, or (no model) a problem."""

    description: str
    model: type[BaseModel] | None = None


@dataclass(frozen=True)
class Header:
    """A request header: 1 to ``max_length`` printable ASCII characters when sent, else 400."""

    name: str
    max_length: int
    code: str

    def checked(self) -> str | None:
        value = request.headers.get(self.name)
        if value is not None and not (1 <= len(value) <= self.max_length and value.isascii() and value.isprintable()):
            raise Problem(400, self.code,
                          f"{self.name} must be 1 to {self.max_length} printable ASCII characters.")
        return value

    def parameter(self) -> dict[str, Any]:
        return {"name": self.name, "in": "header", "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": self.max_length}}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as OpenAPI writes it: /cases/{case_id}
    summary: str
    scope: str | None
    body: type[BaseModel] | None
    answers: Mapping[int, Answer]
    headers: tuple[Header, ...]
    path_parameters: tuple[str, ...]
    endpoint: str


OPERATIONS: list[Operation] = []
_ERRORS = {
    400: Answer("The body is not a JSON object (invalid_json), or a header is wrong."),
    401: Answer("No valid bearer token (missing_token, invalid_token)."),
    403: Answer("The token lacks the scope (insufficient_scope)."),
    413: Answer("The body is too large (request_too_large)."),
    415: Answer("The body is not JSON."),
    422: Answer("The request breaks a rule; `code` says which, `pointer` where."),
    429: Answer("Too many requests (rate_limited); wait Retry-After seconds."),
}
_TOKEN_ERRORS = (401, 403, 429)
_RULE = re.compile(r"<(?:uuid:)?(\w+)>")


def operation(
    method: str,
    rule: str,
    *,
    summary: str,
    answers: Mapping[int, Answer | str],
    scope: str | None = None,
    body: type[BaseModel] | None = None,
    max_bytes: int = 0,
    headers: tuple[Header, ...] = (),
    load: tuple[str, Callable[..., Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a view once: the Flask rule (path parameters are UUIDs), the scope it needs, the
    body model it reads (passed as ``body``, at most ``max_bytes``), the headers it reads
    (passed by their snake_case name) and its answers (a text: a problem). The token errors,
    and for a body its errors, are added to the answers.

    ``load`` is (name, function): the function gets the path parameters and finds what they
    name, before the body is read (another organisation's case is a 404 whatever the body);
    the view gets the result as ``name`` instead of the parameters."""
    assert rule.count("<") == rule.count("<uuid:"), "path parameters are UUIDs"
    errors = (_ERRORS if body is not None else {status: _ERRORS[status] for status in _TOKEN_ERRORS}) if scope else {}

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        OPERATIONS.append(Operation(
            method=method, path=_RULE.sub(r"{\1}", rule), summary=summary, scope=scope, body=body,
            answers={**{status: a if isinstance(a, Answer) else Answer(a) for status, a in answers.items()},
                     **{status: a for status, a in errors.items() if status not in answers}},
            headers=headers, path_parameters=tuple(_RULE.findall(rule)), endpoint=f"{bp.name}.{view.__name__}",
        ))

        @wraps(view)
        def declared_view(**kwargs: Any) -> Any:
            if load is not None:
                name, find = load
                kwargs = {name: find(**kwargs)}
            for header in headers:
                kwargs[header.name.lower().replace("-", "_")] = header.checked()
            if body is not None:
                kwargs["body"] = read_body(body, max_bytes)
            return view(**kwargs)

        guarded = require_scope(scope)(declared_view) if scope else declared_view
        bp.add_url_rule(rule, view_func=guarded, methods=[method.upper()])
        return guarded

    return decorate


def answer(model: BaseModel, status: int = 200) -> tuple[Response, int]:
    """A JSON answer from its declared model; fields never set (optional ones) are left out."""
    declared = next(op.answers.get(status) for op in OPERATIONS if op.endpoint == request.endpoint)
    assert declared is not None and type(model) is declared.model, f"{request.endpoint} {status} is not declared"
    return jsonify(model.model_dump(mode="json", exclude_unset=True)), status


class _Schemas(GenerateJsonSchema):
    """Pydantic's JSON Schema, written as the document always was: no generated titles on
    fields, and an optional value as ``"type": ["string", "null"]``, not ``anyOf``."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str) and not {"enum", "const"} & set(inner):
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}


def _schemas() -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    """The schema of every declared body (a $ref or, for ``schemas.Inline``, in place), and the
    named schemas they refer to."""
    inputs = list(dict.fromkeys(op.body for op in OPERATIONS if op.body is not None))
    outputs = list(dict.fromkeys([schemas.Problem] + [
        a.model for op in OPERATIONS for a in op.answers.values() if a.model is not None]))
    keys = [(model, "validation") for model in inputs] + [(model, "serialization") for model in outputs]
    refs, top = models_json_schema(keys, ref_template=schemas.REF, schema_generator=_Schemas)
    components = top["$defs"]
    components["Problem"]["properties"]["code"]["enum"] = sorted(PROBLEM_CODES)
    by_model: dict[Any, dict[str, Any]] = {}
    for (model, _mode), ref in refs.items():
        if isinstance(model, type) and issubclass(model, schemas.Inline):
            ref = components.pop(ref["$ref"].rsplit("/", 1)[1])
        by_model[model] = ref
    return by_model, components


def _content(media: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {media: {"schema": schema}}


def _path_item(op: Operation, by_model: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    problem = by_model[schemas.Problem]
    responses: dict[str, Any] = {}
    for status, documented in op.answers.items():
        responses[str(status)] = {
            "description": documented.description,
            "content": (_content("application/json", by_model[documented.model]) if documented.model
                        else _content("application/problem+json", problem)),
        }
        if status == 429:
            responses[str(status)]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    item: dict[str, Any] = {"summary": op.summary, "security": [{"oauth2": [op.scope]}] if op.scope else []}
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
                  for name in op.path_parameters] + [header.parameter() for header in op.headers]
    if parameters:
        item["parameters"] = parameters
    if op.body is not None:
        item["requestBody"] = {"required": True, "content": _content("application/json", by_model[op.body])}
    item["responses"] = responses
    return item


@cache
def openapi_document() -> dict[str, Any]:
    by_model, components = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _path_item(op, by_model)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Burgerportaal organisation API",
            "version": "1.0.0",
            "description": (
                "Check whether citizens can be reached, deliver letters with proof of "
                "delivery. Authenticate with OAuth2 client credentials."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "/api/v1/oauth/token", "scopes": SCOPES}},
                }
            },
            "schemas": components,
        },
        "paths": paths,
    }
