"""The portal checks the ID token itself: signature, iss, aud, nonce and exp.

A test plays a misbehaving provider by rewriting the token response on its way back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from joserfc import jwt
from joserfc.jwk import RSAKey

from portal.demo.people import PRACTICE_PASSWORD
from portal.practice_digid.keys import load_or_create_signing_key
from tests.support.html import CheckedClient
from tests.support.wsgi_transport import route_http_to

Claims = dict[str, Any]


def forge(key: RSAKey, change: Callable[[Claims], None]) -> Callable[[str, requests.Response], None]:
    """A rewrite that re-signs the ID token with ``key`` after ``change`` edited its claims."""

    def rewrite(url: str, response: requests.Response) -> None:
        if not url.endswith("/oefen-digid/token") or response.status_code != 200:
            return
        body = json.loads(response.content)
        claims = jwt.decode(body["id_token"], load_or_create_signing_key_for_test()).claims
        change(claims)
        body["id_token"] = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        response._content = json.dumps(body).encode()

    return rewrite


_real_key: list[RSAKey] = []


def load_or_create_signing_key_for_test() -> RSAKey:
    return _real_key[0]


def log_in_through(client: CheckedClient, app: Flask, rewrite: Callable[[str, requests.Response], None]):  # type: ignore[no-untyped-def]
    with route_http_to(app, "http://localhost", rewrite):
        start = client.get("/inloggen")
        authorize = urlsplit(start.location)
        form_url = authorize.path + "?" + authorize.query
        token = client.csrf_token(form_url)
        answer = client.post(form_url, data={"username": "joke", "password": PRACTICE_PASSWORD, "csrf_token": token})
        assert answer.status_code == 302
        assert parse_qs(urlsplit(answer.location).query).get("code")
        return client.get(answer.location)


@pytest.fixture
def real_key(app: Flask, instance_path: str) -> RSAKey:
    key = load_or_create_signing_key(instance_path)
    _real_key[:] = [key]
    return key


def unchanged(claims: Claims) -> None:
    pass


def test_an_honest_token_logs_in(client: CheckedClient, app: Flask, demo, real_key: RSAKey) -> None:  # type: ignore[no-untyped-def]
    # Proves the rewrite itself keeps a good token good, so the refusals below are real.
    response = log_in_through(client, app, forge(real_key, unchanged))
    assert response.status_code == 302 and response.location == "/berichten/"


def other_key(kid: str) -> RSAKey:
    key = RSAKey.generate_key(2048, private=True)
    return RSAKey.import_key(key.private_key, {"kid": kid, "alg": "RS256"})


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("wrong audience", lambda c: c.update(aud="another-client")),
        ("wrong issuer", lambda c: c.update(iss="http://evil.example/oefen-digid")),
        ("wrong nonce", lambda c: c.update(nonce="not-the-nonce-we-sent")),
        ("expired", lambda c: c.update(exp=int(time.time()) - 600, iat=int(time.time()) - 900)),
    ],
)
def test_a_token_with_wrong_claims_is_refused(
    client: CheckedClient, app: Flask, demo, real_key: RSAKey, name: str, change: Callable[[Claims], None]  # type: ignore[no-untyped-def]
) -> None:
    response = log_in_through(client, app, forge(real_key, change))
    assert response.status_code == 400, name
    assert "Inloggen is niet gelukt" in response.get_data(as_text=True)
    assert client.get("/berichten/").status_code == 302


def test_a_token_signed_by_another_key_is_refused(client: CheckedClient, app: Flask, demo, real_key: RSAKey) -> None:  # type: ignore[no-untyped-def]
    impostor = other_key(real_key.kid)
    response = log_in_through(client, app, forge(impostor, unchanged))
    assert response.status_code == 400
    assert client.get("/berichten/").status_code == 302
