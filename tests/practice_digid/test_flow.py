"""The full authorization code flow with PKCE and a verified ID token."""

from __future__ import annotations

import hashlib
import logging
import hmac

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from portal.demo.people import by_username

from .conftest import (
    BASE_URL,
    CLIENT_ID,
    ISSUER,
    AuthRequest,
    exchange,
    get_code,
    redirect_params,
    soup,
    submit_login,
)


def verify_id_token(client: FlaskClient, id_token: str, nonce: str) -> dict[str, object]:
    keys = KeySet.import_key_set(client.get(ISSUER + "/jwks.json").get_json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    assert token.header["kid"] == keys.keys[0].kid
    JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        auth_time={"essential": True},
    ).validate(token.claims)
    return token.claims


@pytest.mark.parametrize("auth", ["basic", "post"])
def test_full_round_trip(
    portal_app: Flask, client: FlaskClient, client_secret: str, auth: str
) -> None:
    request = AuthRequest.new()
    form_page = client.get(request.url)
    assert form_page.status_code == 200
    assert "Inloggen bij Oefen-DigiD" in form_page.get_data(as_text=True)

    response = submit_login(client, request, username="joke")
    params = redirect_params(response)
    assert params["state"] == request.state
    # RFC 9207: the answer names the provider that gave it.
    assert set(params) == {"code", "state", "iss"} and params["iss"] == ISSUER

    token_response = exchange(client, params["code"], request.verifier, client_secret, auth=auth)
    assert token_response.status_code == 200, token_response.get_data(as_text=True)
    assert token_response.headers["Cache-Control"] == "no-store"
    body = token_response.get_json()
    assert body["token_type"].lower() == "bearer"
    assert body["access_token"]
    assert body["expires_in"] == 300
    assert "refresh_token" not in body

    claims = verify_id_token(client, body["id_token"], request.nonce)
    joke = by_username("joke")
    assert joke is not None
    assert claims["bsn"] == joke.bsn
    assert claims["sub"] != joke.bsn
    expected_sub = hmac.new(
        portal_app.config["SECRET_KEY"].encode(), joke.bsn.encode(), hashlib.sha256
    ).hexdigest()
    assert claims["sub"] == expected_sub
    assert claims["exp"] - claims["iat"] == 300
    assert claims["iat"] - 5 <= claims["auth_time"] <= claims["iat"]


def test_username_is_not_case_sensitive_and_sub_differs_per_person(
    client: FlaskClient, client_secret: str
) -> None:
    subjects = set()
    for username in ("Sanne", "ahmed"):
        request = AuthRequest.new()
        code = get_code(client, request, username=username)
        body = exchange(client, code, request.verifier, client_secret).get_json()
        subjects.add(verify_id_token(client, body["id_token"], request.nonce)["sub"])
    assert len(subjects) == 2


def test_bsn_never_in_a_url(client: FlaskClient, client_secret: str) -> None:
    request = AuthRequest.new()
    page = client.get(request.url).get_data(as_text=True)
    response = submit_login(client, request)
    joke = by_username("joke")
    assert joke is not None
    assert joke.bsn not in response.headers["Location"]
    assert joke.bsn not in page


def test_cancel_returns_access_denied(client: FlaskClient) -> None:
    request = AuthRequest.new()
    page = client.get(request.url)
    link = soup(page).find("a", string="Terug naar Burgerportaal")
    assert link is not None
    params = redirect_params(client.get(BASE_URL + str(link["href"])))
    assert params["error"] == "access_denied"
    assert params["state"] == request.state
    assert params["iss"] == ISSUER
    assert "code" not in params


def test_bsn_is_never_logged(
    client: FlaskClient, client_secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    request = AuthRequest.new()
    code = get_code(client, request, username="emma")
    response = exchange(client, code, request.verifier, client_secret)
    assert response.status_code == 200
    emma = by_username("emma")
    assert emma is not None
    assert caplog.records, "nothing was logged at all"
    # caplog.text is formatted when each record was emitted, as a real handler does.
    assert emma.bsn not in caplog.text
    assert response.get_json()["id_token"] not in caplog.text
    assert client_secret not in caplog.text
