"""RP-initiated logout: only ever back to the registered post-logout URI."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from .conftest import (
    CLIENT_ID,
    ISSUER,
    POST_LOGOUT_URI,
    AuthRequest,
    exchange,
    get_code,
    redirect_params,
    soup,
)


@pytest.fixture
def id_token(client: FlaskClient, client_secret: str) -> str:
    request = AuthRequest.new()
    code = get_code(client, request)
    return exchange(client, code, request.verifier, client_secret).get_json()["id_token"]


def logout(client: FlaskClient, **params: str):
    return client.get(f"{ISSUER}/logout?{urlencode(params)}")


def assert_logged_out_page(response) -> None:
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert soup(response).find("h1").get_text(strip=True) == "U bent uitgelogd bij Oefen-DigiD"


def test_logout_redirects_to_the_registered_uri(client: FlaskClient, id_token: str) -> None:
    response = logout(client, id_token_hint=id_token, post_logout_redirect_uri=POST_LOGOUT_URI,
                      state="xyz")
    assert redirect_params(response, POST_LOGOUT_URI) == {"state": "xyz"}


def test_logout_with_client_id_instead_of_hint(client: FlaskClient) -> None:
    response = logout(client, client_id=CLIENT_ID, post_logout_redirect_uri=POST_LOGOUT_URI)
    assert redirect_params(response, POST_LOGOUT_URI) == {}


def test_logout_also_by_post(client: FlaskClient, id_token: str) -> None:
    response = client.post(ISSUER + "/logout", data={
        "id_token_hint": id_token, "post_logout_redirect_uri": POST_LOGOUT_URI})
    redirect_params(response, POST_LOGOUT_URI)


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/uitgelogd", POST_LOGOUT_URI + "/", POST_LOGOUT_URI + "?next=x",
     "http://127.0.0.1:5000/"],
)
def test_logout_never_redirects_elsewhere(client: FlaskClient, id_token: str, target: str) -> None:
    assert_logged_out_page(logout(client, id_token_hint=id_token, post_logout_redirect_uri=target))


def test_logout_without_redirect_shows_a_page(client: FlaskClient) -> None:
    assert_logged_out_page(logout(client))


def test_logout_without_any_client_proof_shows_a_page(client: FlaskClient) -> None:
    assert_logged_out_page(logout(client, post_logout_redirect_uri=POST_LOGOUT_URI))


def test_logout_with_a_forged_hint_shows_a_page(client: FlaskClient) -> None:
    forged = jwt.encode({"alg": "RS256"}, {"iss": ISSUER, "aud": CLIENT_ID, "sub": "x"},
                        RSAKey.generate_key(2048), algorithms=["RS256"])
    assert_logged_out_page(
        logout(client, id_token_hint=forged, post_logout_redirect_uri=POST_LOGOUT_URI)
    )


def test_logout_clears_the_provider_session(client: FlaskClient) -> None:
    client.get(AuthRequest.new().url)
    assert client.get_cookie("oefen_digid", domain="127.0.0.1", path="/oefen-digid") is not None
    logout(client)
    assert client.get_cookie("oefen_digid", domain="127.0.0.1", path="/oefen-digid") is None
