"""What happens if the citizen does not act in time: an optional field of a letter, single and
batch, checked, part of the content only when given, shown on the letter's page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.api.openapi import openapi_document
from portal.api.parsing import letter_request
from portal.domain.delivery import content_sha256
from portal.domain.letters import MAX_IF_NOT_DONE_LENGTH
from portal.models import Letter
from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter
from tests.support.html import CheckedClient, normalise
from tests.support.login import log_in

CONSEQUENCE = "Dan krijgt u een herinnering. Daarna betaalt u ook kosten."


def placed(db: Session, reference: str) -> Letter:
    db.expire_all()
    return db.scalars(select(Letter).where(Letter.reference == reference)).one()


def test_a_letter_says_what_happens_if_not_done_on_its_page(
    belastingdienst: ApiCaller, db: Session, client: CheckedClient
) -> None:
    response = belastingdienst.post("/letters", json=letter(reference="INT-1", if_not_done=CONSEQUENCE))
    assert response.status_code == 201, response.json
    stored = placed(db, "INT-1")
    assert stored.if_not_done == CONSEQUENCE
    log_in(client, db, "joke")
    soup = client.page(f"/berichten/{stored.id}")
    block = normalise(soup.find("h2", string="Wat moet ik doen?").parent.get_text(" "))
    assert f"Doet u het niet op tijd? {CONSEQUENCE}" in block
    assert "verdergaan zonder uw antwoord" not in block  # the general line gives way


def test_without_an_action_or_too_long_is_refused_with_a_pointer(belastingdienst: ApiCaller) -> None:
    lone = letter(reference="INT-2", if_not_done=CONSEQUENCE, action=None, act_by=None)
    response = belastingdienst.post("/letters", json=lone)
    assert (response.status_code, response.json["code"], response.json["pointer"]) == (
        422, "if_not_done_without_action", "/if_not_done")
    long = letter(reference="INT-3", if_not_done="a" * (MAX_IF_NOT_DONE_LENGTH + 1))
    response = belastingdienst.post("/letters", json=long)
    assert (response.status_code, response.json["pointer"]) == (422, "/if_not_done")


def test_batch_delivery_stores_it_per_letter(belastingdienst: ApiCaller, db: Session) -> None:
    batch = {"letters": [letter(reference="INT-B0", if_not_done=CONSEQUENCE), letter(reference="INT-B1")]}
    response = belastingdienst.post("/letters/batch", json=batch)
    assert [r["status"] for r in response.json["results"]] == [201, 201]
    assert [placed(db, f"INT-B{i}").if_not_done for i in range(2)] == [CONSEQUENCE, None]


def test_the_content_hash_covers_it_and_is_unchanged_without_it(belastingdienst: ApiCaller) -> None:
    plain = content_sha256(letter_request(letter()))
    assert content_sha256(letter_request(letter(if_not_done=None))) == plain
    told = content_sha256(letter_request(letter(if_not_done=CONSEQUENCE)))
    assert told != plain
    assert belastingdienst.post("/letters", json=letter(if_not_done=CONSEQUENCE)).json["content_sha256"] == told
    other = belastingdienst.post("/letters", json=letter(if_not_done="Dan gebeurt er iets anders."))
    assert other.status_code == 409 and other.json["code"] == "duplicate_reference"


def test_the_openapi_document_describes_it() -> None:
    schemas = openapi_document()["components"]["schemas"]
    for name in ("Letter", "StatusChange"):
        field = schemas[name]["properties"]["if_not_done"]
        assert field["maxLength"] == MAX_IF_NOT_DONE_LENGTH and "needs action" in field["description"]
