"""Lopende Zaken through the API: open, change, link a letter, close; the citizen sees it."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.demo.people import by_username
from tests.api.conftest import ApiCaller, caller_for
from tests.api.test_letters import letter

JOKE = by_username("joke").bsn  # type: ignore[union-attr]


@pytest.fixture
def toeslagen(app: Flask, db: Session, demo) -> ApiCaller:  # type: ignore[no-untyped-def]
    return caller_for(app, db, "Belastingdienst", ["cases:write", "letters:send"])


def new_case(caller: ApiCaller, **changes) -> dict:  # type: ignore[no-untyped-def]
    body = {"bsn": JOKE, "title": "Bezwaar aanslag 2025", "reference": "BZ-1",
            "steps": ["Ontvangen", "In behandeling", "Besluit"], **changes}
    response = caller.post("/cases", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_open_change_and_close_a_case(toeslagen: ApiCaller) -> None:
    case = new_case(toeslagen)
    assert (case["status"], case["current_step"]) == ("open", 1)
    changed = toeslagen.post(f"/cases/{case['case_id']}/status", json={
        "step": 2, "text": "We bekijken uw bezwaar.", "action": "Stuur uw loonstrook.", "act_by": "2026-12-20",
        "if_not_done": "Dan beslissen wij zonder uw loonstrook."})
    assert changed.status_code == 200
    assert (changed.json["current_step"], changed.json["act_by"]) == (2, "2026-12-20")
    assert changed.json["if_not_done"] == "Dan beslissen wij zonder uw loonstrook."
    closed = toeslagen.post(f"/cases/{case['case_id']}/close", json={"text": "U krijgt gelijk."})
    assert closed.json["status"] == "closed" and closed.json["action"] is None
    assert closed.json["if_not_done"] is None
    again = toeslagen.post(f"/cases/{case['case_id']}/status", json={"step": 3, "text": "x"})
    assert again.status_code == 409 and again.json["code"] == "case_closed"
    history = toeslagen.get(f"/cases/{case['case_id']}").json["history"]
    assert [h["text"] for h in history][:2] == ["U krijgt gelijk.", "We bekijken uw bezwaar."]


def test_the_citizen_sees_the_changed_case(toeslagen: ApiCaller, client, db: Session) -> None:  # type: ignore[no-untyped-def]
    from tests.support.login import log_in

    case = new_case(toeslagen)
    toeslagen.post(f"/cases/{case['case_id']}/status", json={"step": 2, "text": "We bekijken uw bezwaar."})
    log_in(client, db, "joke")
    soup = client.page(f"/zaken/{case['case_id']}")
    assert "We bekijken uw bezwaar." in soup.get_text()


def test_reference_is_unique_per_organisation(toeslagen: ApiCaller) -> None:
    new_case(toeslagen)
    response = toeslagen.post("/cases", json={"bsn": JOKE, "title": "T", "reference": "BZ-1", "steps": ["a"]})
    assert response.status_code == 409 and response.json["code"] == "reference_taken"


@pytest.mark.parametrize(
    ("body", "code", "pointer"),
    [
        ({"step": 9, "text": "x"}, "step_out_of_range", "/step"),
        ({"step": 2, "text": ""}, "text_missing", "/text"),
        ({"step": 2, "text": "x", "action": "Bel ons"}, "action_without_date", "/action"),
        ({"step": 2, "text": "x", "if_not_done": "Dan stopt het."}, "if_not_done_without_action", "/if_not_done"),
        ({"step": "2", "text": "x"}, "invalid_field", "/step"),
        ({"text": "x"}, "missing_field", "/step"),
    ],
)
def test_status_rules(toeslagen: ApiCaller, body: dict, code: str, pointer: str) -> None:  # type: ignore[type-arg]
    case = new_case(toeslagen)
    response = toeslagen.post(f"/cases/{case['case_id']}/status", json=body)
    assert response.status_code == 422
    assert (response.json["code"], response.json["pointer"]) == (code, pointer)


def test_another_organisation_cannot_touch_the_case(app: Flask, db: Session, toeslagen: ApiCaller) -> None:
    case = new_case(toeslagen)
    rdw = caller_for(app, db, "RDW", ["cases:write"])
    assert rdw.get(f"/cases/{case['case_id']}").status_code == 404
    assert rdw.post(f"/cases/{case['case_id']}/status", json={"step": 2, "text": "x"}).status_code == 404


def test_link_a_delivered_letter(toeslagen: ApiCaller, client, db: Session) -> None:  # type: ignore[no-untyped-def]
    from tests.support.login import log_in

    case = new_case(toeslagen)
    receipt = toeslagen.post("/letters", json=letter()).json
    linked = toeslagen.post(f"/cases/{case['case_id']}/letters", json={"letter_id": receipt["letter_id"]})
    assert linked.status_code == 200
    log_in(client, db, "joke")
    soup = client.page(f"/zaken/{case['case_id']}")
    assert soup.find("a", href=f"/berichten/{receipt['letter_id']}") is not None


def test_case_for_someone_without_a_box(toeslagen: ApiCaller) -> None:
    response = toeslagen.post("/cases", json={
        "bsn": by_username("lotte").bsn, "title": "T", "reference": "X", "steps": ["a"]})  # type: ignore[union-attr]
    assert response.status_code == 422 and response.json["code"] == "no_active_box"
