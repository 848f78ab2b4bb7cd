"""API fixtures: organisations with clients and tokens, and a contract check on every answer."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.api_clients import create_client
from portal.models import Organisation
from tests.api.contract import assert_matches_contract


@dataclass
class ApiCaller:
    """Calls the API as one organisation's client; checks every answer against the contract."""

    client: FlaskClient
    token: str
    organisation: Organisation

    def call(self, method: str, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        response = self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
        assert_matches_contract(method, path, response)
        return response

    def post(self, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.call("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.call("GET", path, **kwargs)


def get_token(client: FlaskClient, client_id: str, secret: str, scope: str) -> Any:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials", "scope": scope},
        headers={"Authorization": f"Basic {basic}"},
    )


def organisation_named(db: Session, name: str) -> Organisation:
    found = db.scalar(select(Organisation).where(Organisation.name == name))
    assert found is not None, name
    return found


def caller_for(app: Flask, db: Session, name: str, scopes: list[str]) -> ApiCaller:
    organisation = organisation_named(db, name)
    new = create_client(db, organisation, "tests", scopes)
    db.commit()
    client = app.test_client()
    response = get_token(client, new.client_id, new.client_secret, " ".join(scopes))
    assert response.status_code == 200, response.json
    return ApiCaller(client, response.json["access_token"], organisation)


@pytest.fixture
def belastingdienst(app: Flask, db: Session, demo) -> ApiCaller:  # type: ignore[no-untyped-def]
    return caller_for(app, db, "Belastingdienst", ["letters:send", "subscriptions:check"])


@pytest.fixture
def rdw(app: Flask, db: Session, demo) -> ApiCaller:  # type: ignore[no-untyped-def]
    return caller_for(app, db, "RDW", ["letters:send", "subscriptions:check"])
