"""Discovery, JWKS, the signing key and the headers on every response."""

from __future__ import annotations

import os
import stat

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc.jwk import KeySet, RSAKey

from portal.practice_digid import create_provider_app
from portal.practice_digid.keys import KEY_FILENAME
from portal.practice_digid.server import derive_client_secret

from .conftest import BASE_URL, CLIENT_ID, ISSUER, REDIRECT_URI, TEST_SECRET_KEY

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    f"form-action 'self' {BASE_URL}; frame-ancestors 'none'; base-uri 'none'"
)


def test_discovery_document(client: FlaskClient) -> None:
    response = client.get(ISSUER + "/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["issuer"] == ISSUER
    assert doc["authorization_endpoint"] == ISSUER + "/authorize"
    assert doc["token_endpoint"] == ISSUER + "/token"
    assert doc["jwks_uri"] == ISSUER + "/jwks.json"
    assert doc["end_session_endpoint"] == ISSUER + "/logout"
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert "userinfo_endpoint" not in doc
    assert doc["response_types_supported"] == ["code"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert doc["scopes_supported"] == ["openid"]
    assert doc["grant_types_supported"] == ["authorization_code"]
    assert "bsn" in doc["claims_supported"]


def test_jwks_has_the_rsa_key_with_its_thumbprint_as_kid(client: FlaskClient) -> None:
    response = client.get(ISSUER + "/jwks.json")
    assert response.status_code == 200
    keys = response.get_json()["keys"]
    assert len(keys) == 1
    jwk = keys[0]
    assert jwk["kty"] == "RSA"
    assert jwk["use"] == "sig"
    assert jwk["alg"] == "RS256"
    assert {"d", "p", "q", "dp", "dq", "qi"}.isdisjoint(jwk), "private parts published"
    key = RSAKey.import_key(jwk)
    assert jwk["kid"] == key.thumbprint()
    assert key.raw_value.key_size == 2048
    KeySet.import_key_set(response.get_json())


def test_signing_key_file_is_private_and_reused(
    portal_app: Flask, instance_dir: str, client: FlaskClient
) -> None:
    path = os.path.join(instance_dir, KEY_FILENAME)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    kid = client.get(ISSUER + "/jwks.json").get_json()["keys"][0]["kid"]
    again = create_provider_app(dict(portal_app.config), instance_path=instance_dir,
                                engine=portal_app.extensions["portal.engine"])
    assert again.test_client().get("/jwks.json").get_json()["keys"][0]["kid"] == kid


def test_client_secret_is_derived_and_written_back(portal_app: Flask) -> None:
    assert portal_app.config["OIDC_CLIENT_SECRET"] == derive_client_secret(
        portal_app.config["SECRET_KEY"]
    )
    assert derive_client_secret(TEST_SECRET_KEY) != derive_client_secret("another key")


def test_a_configured_client_secret_is_kept(portal_app: Flask, instance_dir: str) -> None:
    config = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "BASE_URL": BASE_URL,
        "OIDC_ISSUER": ISSUER,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": "configured-secret",
        "OIDC_REDIRECT_URI": REDIRECT_URI,
        "DATABASE_URL": "sqlite://",
    }
    create_provider_app(config, instance_path=instance_dir,
                        engine=portal_app.extensions["portal.engine"])
    assert config["OIDC_CLIENT_SECRET"] == "configured-secret"


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for path in ("/.well-known/openid-configuration", "/jwks.json", "/static/digid.css",
                 "/logout", "/bestaat-niet"):
        response = client.get(ISSUER + path)
        assert response.headers["Content-Security-Policy"] == CSP, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Cache-Control"] == "no-store", path
        response.close()


def test_stylesheet_is_served_from_the_provider(client: FlaskClient) -> None:
    response = client.get(ISSUER + "/static/digid.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b":focus-visible" in response.data
    response.close()


def test_unknown_page_is_a_plain_dutch_page(client: FlaskClient) -> None:
    response = client.get(ISSUER + "/bestaat-niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_provider_cookie_settings(portal_app: Flask, instance_dir: str) -> None:
    config = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "BASE_URL": "https://portal.example",
        "OIDC_ISSUER": "https://portal.example/oefen-digid",
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_REDIRECT_URI": "https://portal.example/inloggen/terug",
        "DATABASE_URL": "sqlite://",
        "SESSION_COOKIE_SECURE": True,
    }
    provider = create_provider_app(
        config, engine=portal_app.extensions["portal.engine"], instance_path=instance_dir
    )
    query = (
        "response_type=code&client_id=burgerportaal&scope=openid&state=s&nonce=n"
        "&redirect_uri=https%3A%2F%2Fportal.example%2Finloggen%2Fterug"
        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    )
    response = provider.test_client().get(
        "/authorize?" + query, base_url="https://portal.example/oefen-digid"
    )
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("oefen_digid=")
    for part in ("Secure", "HttpOnly", "Path=/oefen-digid", "SameSite=Lax"):
        assert part in cookie
    assert "form-action 'self' https://portal.example;" in response.headers[
        "Content-Security-Policy"
    ]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_never_in_production(portal_app: Flask, instance_dir: str) -> None:
    config = dict(portal_app.config, ENV_NAME="production")
    with pytest.raises(RuntimeError):
        create_provider_app(config, instance_path=instance_dir,
                            engine=portal_app.extensions["portal.engine"])
