"""The sender's "not for helpers" flag: set at delivery, single and batch, part of the content
that idempotent replays compare, and described in the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.api.openapi import openapi_document
from portal.api.parsing import letter_request
from portal.domain.delivery import content_sha256
from portal.models import Letter
from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter


def placed(db: Session, reference: str) -> Letter:
    db.expire_all()
    found = db.scalars(select(Letter).where(Letter.reference == reference)).one()
    return found


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (None, False)])
def test_single_delivery_stores_the_flag(
    belastingdienst: ApiCaller, db: Session, value: bool | None, expected: bool
) -> None:
    response = belastingdienst.post("/letters", json=letter(reference="NFH-1", not_for_helpers=value))
    assert response.status_code == 201
    assert placed(db, "NFH-1").not_for_helpers is expected


def test_without_the_flag_a_letter_is_for_helpers_too(belastingdienst: ApiCaller, db: Session) -> None:
    assert belastingdienst.post("/letters", json=letter(reference="NFH-0")).status_code == 201
    assert placed(db, "NFH-0").not_for_helpers is False


@pytest.mark.parametrize("value", ["true", 1, 0, [], {}])
def test_a_flag_that_is_not_a_boolean_is_refused_with_a_pointer(belastingdienst: ApiCaller, value: Any) -> None:
    response = belastingdienst.post("/letters", json=letter(not_for_helpers=value))
    assert response.status_code == 422
    assert response.json["code"] == "invalid_field"
    assert response.json["pointer"] == "/not_for_helpers"


def test_batch_delivery_stores_the_flag_per_letter(belastingdienst: ApiCaller, db: Session) -> None:
    batch = {"letters": [
        letter(reference="NFH-B0", not_for_helpers=True),
        letter(reference="NFH-B1"),
        letter(reference="NFH-B2", not_for_helpers=False),
        letter(reference="NFH-B3", not_for_helpers="ja"),
    ]}
    response = belastingdienst.post("/letters/batch", json=batch)
    assert [r["status"] for r in response.json["results"]] == [201, 201, 201, 422]
    assert response.json["results"][3]["problem"]["pointer"] == "/letters/3/not_for_helpers"
    assert [placed(db, f"NFH-B{i}").not_for_helpers for i in range(3)] == [True, False, False]


def test_a_retry_with_the_same_flag_replays(belastingdienst: ApiCaller, db: Session) -> None:
    body = letter(reference="NFH-R", not_for_helpers=True)
    first = belastingdienst.post("/letters", json=body)
    again = belastingdienst.post("/letters", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    assert placed(db, "NFH-R").not_for_helpers is True


@pytest.mark.parametrize(("first", "second"), [(False, True), (True, False), (None, True)])
def test_the_same_reference_with_another_flag_is_other_content(
    belastingdienst: ApiCaller, db: Session, first: bool | None, second: bool
) -> None:
    assert belastingdienst.post("/letters", json=letter(reference="NFH-C", not_for_helpers=first)).status_code == 201
    conflict = belastingdienst.post("/letters", json=letter(reference="NFH-C", not_for_helpers=second))
    assert conflict.status_code == 409
    assert conflict.json["code"] == "duplicate_reference"
    assert placed(db, "NFH-C").not_for_helpers is bool(first)


def test_the_same_idempotency_key_with_another_flag_is_refused(belastingdienst: ApiCaller) -> None:
    key = {"Idempotency-Key": "nfh-key-1"}
    assert belastingdienst.post("/letters", json=letter(reference="NFH-K"), headers=key).status_code == 201
    again = belastingdienst.post("/letters", json=letter(reference="NFH-K", not_for_helpers=True), headers=key)
    assert again.status_code == 409


def test_a_batch_retry_with_another_flag_is_a_conflict_for_that_letter(belastingdienst: ApiCaller) -> None:
    belastingdienst.post("/letters/batch", json={"letters": [letter(reference="NFH-BR")]})
    again = belastingdienst.post("/letters/batch", json={"letters": [
        letter(reference="NFH-BR", not_for_helpers=True), letter(reference="NFH-BR2", not_for_helpers=True),
    ]})
    results = again.json["results"]
    assert results[0]["status"] == 409 and results[0]["problem"]["code"] == "duplicate_reference"
    assert results[1]["status"] == 201


def test_the_content_hash_covers_the_flag_and_is_unchanged_without_it(belastingdienst: ApiCaller) -> None:
    plain = content_sha256(letter_request(letter()))
    assert content_sha256(letter_request(letter(not_for_helpers=False))) == plain
    assert content_sha256(letter_request(letter(not_for_helpers=None))) == plain
    flagged = content_sha256(letter_request(letter(not_for_helpers=True)))
    assert flagged != plain
    receipt = belastingdienst.post("/letters", json=letter(not_for_helpers=True)).json
    assert receipt["content_sha256"] == flagged


def test_the_openapi_document_describes_the_flag() -> None:
    letter_schema = openapi_document()["components"]["schemas"]["Letter"]
    flag = letter_schema["properties"]["not_for_helpers"]
    assert "boolean" in flag["type"] and flag["default"] is False
    assert "not_for_helpers" not in letter_schema["required"]
    assert "helper" in flag["description"]
    # The batch uses the same letter schema.
    batch = openapi_document()["paths"]["/letters/batch"]["post"]["requestBody"]["content"]["application/json"]
    assert batch["schema"]["properties"]["letters"]["items"] == {"$ref": "#/components/schemas/Letter"}
