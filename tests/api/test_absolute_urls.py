"""Absolute URLs the API gives out come from BASE_URL, never from the request's Host header
(issue 16, item 7)."""

from __future__ import annotations

from flask import Flask

from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}


def test_problem_type_is_on_the_base_url_whatever_the_host(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/letters", json={}, headers=EVIL)
    assert response.status_code == 401
    assert response.json["type"] == "http://localhost/api/v1/docs#problem-" + response.json["code"]
    app.config["BASE_URL"] = "https://portaal.example"
    response = client.get("/api/v1/bestaat-niet", headers=EVIL)
    assert response.json["type"] == "https://portaal.example/api/v1/docs#problem-not_found"


def test_receipt_jwks_uri_is_on_the_base_url_whatever_the_host(belastingdienst: ApiCaller) -> None:
    receipt = belastingdienst.post("/letters", json=letter(), headers=EVIL).json
    assert receipt["jwks_uri"] == "http://localhost/api/v1/jwks.json"
    again = belastingdienst.get(f"/letters/{receipt['letter_id']}", headers=EVIL).json
    assert again["jwks_uri"] == "http://localhost/api/v1/jwks.json"
