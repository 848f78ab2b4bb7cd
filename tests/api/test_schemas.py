"""Issue 15, item 1: the bodies are declared once (portal/api/schemas.py); the document, the
validation and the problem pointers all come from those declarations."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from portal.api import schemas
from portal.api.openapi import OPERATIONS, openapi_document
from portal.api.parsing import validated
from portal.api.problems import Problem
from tests.api.test_letters import letter

# A valid body of each declared request model.
SAMPLES: dict[type[BaseModel], dict[str, Any]] = {
    schemas.Letter: letter(),
    schemas.LetterBatch: {"letters": [letter()]},
    schemas.SubscriptionCheck: {"bsns": ["999990019"]},
    schemas.NewCase: {"bsn": "999990019", "title": "Bezwaar", "reference": "BZ-1", "steps": ["Ontvangen"]},
    schemas.StatusChange: {"step": 2, "text": "We kijken ernaar.", "action": "Bel ons.", "act_by": "2030-01-31",
                           "if_not_done": "Dan stopt het."},
    schemas.CaseClosing: {"text": "Klaar."},
    schemas.CaseLetter: {"letter_id": "00000000-0000-4000-8000-00000000d001"},
}


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The document's schema of a request body, with a named schema looked up."""
    document = openapi_document()
    for op in OPERATIONS:
        if op.body is model:
            schema = document["paths"][op.path][op.method]["requestBody"]["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            return schema
    raise AssertionError(f"{model.__name__} is the body of no operation")


def problem(model: type[BaseModel], data: Any, pointer: str = "") -> tuple[str, str | None]:
    with pytest.raises(Problem) as raised:
        validated(model, data, pointer)
    assert raised.value.status == 422
    return raised.value.code, raised.value.pointer


def test_every_request_body_has_a_sample() -> None:
    assert {op.body for op in OPERATIONS if op.body is not None} == set(SAMPLES)


@pytest.mark.parametrize("model", list(SAMPLES), ids=lambda model: model.__name__)
def test_the_document_and_the_validation_agree_on_the_fields(model: type[BaseModel]) -> None:
    schema = body_schema(model)
    assert set(schema["properties"]) == set(model.model_fields)
    validated(model, SAMPLES[model])  # the sample is valid
    for name in schema["properties"]:
        without = {key: value for key, value in SAMPLES[model].items() if key != name}
        if name in schema.get("required", []):
            assert problem(model, without) == ("missing_field", f"/{name}")
            assert problem(model, {**without, name: None}) == ("missing_field", f"/{name}"), "null is missing"
        else:
            validated(model, without)  # optional: may be left out


@pytest.mark.parametrize(
    ("model", "changes", "code", "pointer"),
    [
        (schemas.Letter, {"subject": 12}, "invalid_field", "/subject"),
        (schemas.Letter, {"not_for_helpers": "yes"}, "invalid_field", "/not_for_helpers"),
        (schemas.Letter, {"act_by": 20301231}, "invalid_field", "/act_by"),
        (schemas.Letter, {"attachments": [{"filename": "a.pdf", "kind": "personal"}]},
         "missing_field", "/attachments/0/content"),
        (schemas.Letter, {"attachments": [{"filename": "a.pdf", "kind": "secret", "content": ""}]},
         "invalid_field", "/attachments/0/kind"),
        (schemas.Letter, {"attachments": ["a.pdf"]}, "invalid_field", "/attachments/0"),
        (schemas.StatusChange, {"step": True}, "invalid_field", "/step"),
        (schemas.CaseLetter, {"letter_id": "not-a-uuid"}, "invalid_field", "/letter_id"),
        (schemas.SubscriptionCheck, {"bsns": []}, "too_many_items", "/bsns"),
        (schemas.SubscriptionCheck, {"bsns": ["999990019"] * (schemas.MAX_CHECK_BSNS + 1)}, "too_many_items", "/bsns"),
        (schemas.SubscriptionCheck, {"bsns": ["999990019", 999990019]}, "invalid_field", "/bsns/1"),
    ],
)
def test_each_error_is_the_contracts_problem_at_its_pointer(
    model: type[BaseModel], changes: dict[str, Any], code: str, pointer: str
) -> None:
    assert problem(model, {**SAMPLES[model], **changes}) == (code, pointer)


def test_a_letter_in_a_batch_points_into_the_batch() -> None:
    broken = letter(attachments=[{"filename": "a.pdf", "kind": "personal", "content": "%%%"}])
    assert problem(schemas.Letter, broken, "/letters/3") == ("invalid_field", "/letters/3/attachments/0/content")


def test_limits_of_domain_rules_are_shown_but_left_to_the_domain() -> None:
    """The document shows the domain's maximum length; the domain refuses it with its own code."""
    from portal.domain.letters import MAX_SUBJECT_LENGTH

    assert body_schema(schemas.Letter)["properties"]["subject"]["maxLength"] == MAX_SUBJECT_LENGTH
    long = validated(schemas.Letter, letter(subject="x" * (MAX_SUBJECT_LENGTH + 1)))
    assert len(long.subject) == MAX_SUBJECT_LENGTH + 1  # subject_too_long comes from the domain


def test_every_letter_rule_points_at_a_field_of_the_letter_body() -> None:
    from portal.domain.letters import RULE_FIELDS, LetterRule

    assert set(RULE_FIELDS) == set(LetterRule)
    assert set(RULE_FIELDS.values()) <= set(schemas.Letter.model_fields)


def test_a_case_is_looked_up_before_its_body_is_read(app, db, demo) -> None:  # type: ignore[no-untyped-def]
    """Another organisation's case is a 404 whatever the body, as before the bodies were models."""
    from tests.api.conftest import caller_for
    from tests.api.test_cases import JOKE

    owner = caller_for(app, db, "Belastingdienst", ["cases:write"])
    other = caller_for(app, db, "RDW", ["cases:write"])
    case = owner.post("/cases", json={"bsn": JOKE, "title": "Bezwaar", "reference": "BZ-9", "steps": ["a", "b"]})
    assert case.status_code == 201, case.json
    for action, broken in (("status", {}), ("close", {"text": 5}), ("letters", {})):
        path = f"/cases/{case.json['case_id']}/{action}"
        assert other.post(path, json=broken).status_code == 404, action
        assert owner.post(path, json=broken).status_code == 422, action


def test_a_pointer_escapes_slash_and_tilde() -> None:
    from portal.api.parsing import field_problem

    error = {"type": "string_type", "loc": ("a/b", "~c", 0), "msg": "Input should be a valid string", "input": 1}
    assert field_problem(error, "/letters/2").pointer == "/letters/2/a~1b/~0c/0"  # type: ignore[arg-type]
