"""Client credentials, scopes, and the subscription check (R2)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from portal.demo.people import by_username
from portal.domain.api_clients import create_client, revoke_client
from tests.api.conftest import ApiCaller, caller_for, get_token, organisation_named


def test_wrong_secret_gets_no_token(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    new = create_client(db, organisation_named(db, "UWV"), "t", ["letters:send"])
    db.commit()
    response = get_token(app.test_client(), new.client_id, "wrong", "letters:send")
    assert response.status_code == 401
    assert "access_token" not in response.json


def test_secret_is_stored_hashed(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    from portal.models import ApiClient

    new = create_client(db, organisation_named(db, "UWV"), "t", ["letters:send"])
    db.commit()
    row = db.query(ApiClient).filter_by(client_id=new.client_id).one()
    assert new.client_secret not in row.secret_hash and len(row.secret_hash) == 64


def test_revoked_client_token_stops_working_at_once(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    caller = caller_for(app, db, "UWV", ["subscriptions:check"])
    assert caller.post("/subscriptions/check", json={"bsns": ["999900006"]}).status_code == 200
    from portal.models import ApiClient

    row = db.query(ApiClient).filter_by(organisation_id=caller.organisation.id).one()
    assert revoke_client(db, row.client_id)
    db.commit()
    response = caller.post("/subscriptions/check", json={"bsns": ["999900006"]})
    assert response.status_code == 401 and response.json["code"] == "invalid_token"


def test_scope_is_needed(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    caller = caller_for(app, db, "UWV", ["subscriptions:check"])
    response = caller.post("/letters", json={})
    assert response.status_code == 403 and response.json["code"] == "insufficient_scope"


def test_no_token(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/subscriptions/check", json={"bsns": ["999900006"]})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_check_reports_per_bsn(belastingdienst: ApiCaller) -> None:
    bsns = [by_username(u).bsn for u in ("joke", "lotte", "noor")] + ["123456789"]  # type: ignore[union-attr]
    response = belastingdienst.post("/subscriptions/check", json={"bsns": bsns})
    assert response.status_code == 200
    assert response.json["results"] == [
        {"bsn": bsns[0], "valid": True, "active_box": True, "subscribed": True},
        {"bsn": bsns[1], "valid": True, "active_box": False, "subscribed": False},
        {"bsn": bsns[2], "valid": True, "active_box": False, "subscribed": False},
        {"bsn": "123456789", "valid": False, "code": "invalid_bsn"},
    ]


def test_check_knows_who_is_not_subscribed(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    from portal.demo.mailboxes import SUBSCRIPTIONS
    from portal.demo.organisations import BY_KEY

    # Someone not subscribed to every organisation: find an organisation they left out.
    username, keys = next((u, k) for u, k in SUBSCRIPTIONS.items() if len(k) < len(BY_KEY))
    missing = next(key for key in BY_KEY if key not in keys)
    caller = caller_for(app, db, BY_KEY[missing].name, ["subscriptions:check"])
    bsn = by_username(username).bsn  # type: ignore[union-attr]
    result = caller.post("/subscriptions/check", json={"bsns": [bsn]}).json["results"][0]
    assert result == {"bsn": bsn, "valid": True, "active_box": True, "subscribed": False}


def test_check_limits(belastingdienst: ApiCaller) -> None:
    assert belastingdienst.post("/subscriptions/check", json={"bsns": []}).status_code == 422
    assert belastingdienst.post("/subscriptions/check", json={"bsns": ["999900006"] * 251}).status_code == 422
    assert belastingdienst.post("/subscriptions/check", json={"bsns": ["999900006"] * 250}).status_code == 200
    response = belastingdienst.post("/subscriptions/check", data="nope", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_openapi_document_is_valid(client) -> None:  # type: ignore[no-untyped-def]
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_docs_page_lists_every_problem_code(client) -> None:  # type: ignore[no-untyped-def]
    from portal.api.openapi import PROBLEM_CODES

    soup = client.page("/api/v1/docs")
    for code in PROBLEM_CODES:
        assert soup.find(id=f"problem-{code}") is not None, code
