"""Checks an API answer against /api/v1/openapi.json: the status is documented for that
operation, and the body matches the documented schema."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.api.openapi import openapi_document


@cache
def _registry() -> Registry:
    document = Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    return Registry().with_resource("urn:openapi", document)


def _operation(method: str, path: str) -> dict[str, Any]:
    path = path.split("?")[0]
    for template, operations in openapi_document()["paths"].items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def assert_matches_contract(method: str, path: str, response: Any) -> None:
    if path.startswith("/oauth/"):
        return  # the token endpoint is OAuth2's own (RFC 6749), not part of the document
    operation = _operation(method, path)
    status = str(response.status_code)
    responses = operation["responses"]
    assert status in responses, f"{method} {path} answered {status}, not documented"
    content = responses[status].get("content")
    if not content:
        return
    media = response.mimetype
    assert media in content, f"{method} {path} {status} answered {media}, documented {list(content)}"
    schema = content[media]["schema"]
    validator = Draft202012Validator(
        {"$ref": "urn:openapi#" + schema["$ref"][1:]} if "$ref" in schema else schema,
        registry=_registry(),
    )
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert not errors, f"{method} {path} {status}: {errors[0].message}"
