"""What the provider refuses, and how: never a code, never a redirect to a stranger."""

from __future__ import annotations

import base64

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.practice_digid import server

from .conftest import (
    BASE_URL,
    ISSUER,
    REDIRECT_URI,
    AuthRequest,
    csrf_token_from,
    exchange,
    get_code,
    pkce_pair,
    redirect_params,
    submit_login,
)


def assert_error_page(response, text: str) -> None:
    assert response.status_code == 400
    assert "Location" not in response.headers
    body = response.get_data(as_text=True)
    assert text in body
    assert "Traceback" not in body


def assert_token_error(response: TestResponse, error: str, statuses: tuple[int, ...] = (400,)) -> None:
    """The token endpoint refused with this OAuth ``error`` code."""
    assert response.status_code in statuses
    assert response.get_json()["error"] == error


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"scope": None}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"prompt": "none"}, "login_required"),
    ],
    ids=["no-pkce", "no-method", "plain", "no-nonce", "no-openid", "no-scope", "implicit",
         "prompt-none"],
)
def test_bad_authorization_requests_go_back_with_an_error(
    client: FlaskClient, overrides: dict[str, str | None], error: str
) -> None:
    request = AuthRequest.new(**overrides)
    params = redirect_params(client.get(request.url))
    assert params["error"] == error
    assert params["state"] == request.state
    assert "code" not in params


def test_plain_pkce_gets_no_code_even_when_credentials_are_posted(client: FlaskClient) -> None:
    good = AuthRequest.new()
    token = csrf_token_from(client.get(good.url))
    verifier, _ = pkce_pair()
    plain = AuthRequest.new(code_challenge=verifier, code_challenge_method="plain")
    response = client.post(plain.url, data={"csrf_token": token, "username": "joke",
                                            "password": "oefenen"})
    params = redirect_params(response)
    assert params["error"] == "invalid_request"
    assert "code" not in params


def test_unknown_client_gets_a_page_not_a_redirect(client: FlaskClient) -> None:
    response = client.get(AuthRequest.new(client_id="somebody-else").url)
    assert_error_page(response, "Onbekende website")


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/inloggen/terug",
        REDIRECT_URI + "/",
        REDIRECT_URI + "?x=1",
        BASE_URL.upper() + "/inloggen/terug",
        "http://127.0.0.1:5000/inloggen/TERUG",
    ],
)
def test_wrong_redirect_uri_gets_a_page_not_a_redirect(
    client: FlaskClient, redirect_uri: str
) -> None:
    response = client.get(AuthRequest.new(redirect_uri=redirect_uri).url)
    assert_error_page(response, "Het terugstuuradres klopt niet")


def test_missing_redirect_uri_gets_a_page(client: FlaskClient) -> None:
    response = client.get(AuthRequest.new(redirect_uri=None).url)
    assert_error_page(response, "Het terugstuuradres ontbreekt")


def test_repeated_parameter_gets_a_page(client: FlaskClient) -> None:
    request = AuthRequest.new()
    response = client.get(request.url + "&redirect_uri=https%3A%2F%2Fevil.example%2F")
    assert_error_page(response, "De inlogvraag klopt niet")


def test_wrong_password_shows_the_form_again_without_a_code(client: FlaskClient) -> None:
    response = submit_login(client, AuthRequest.new(), password="fout")
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert "code=" not in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_answer(client: FlaskClient) -> None:
    response = submit_login(client, AuthRequest.new(), username="niemand")
    assert response.status_code == 200
    assert "De gebruikersnaam of het wachtwoord is niet juist" in response.get_data(as_text=True)


def test_login_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    request = AuthRequest.new()
    client.get(request.url)
    response = client.post(request.url, data={"username": "joke", "password": "oefenen"})
    assert_error_page(response, "Het inloggen is verlopen")


def test_wrong_verifier(client: FlaskClient, client_secret: str) -> None:
    request = AuthRequest.new()
    code = get_code(client, request)
    other_verifier, _ = pkce_pair()
    response = exchange(client, code, other_verifier, client_secret)
    assert_token_error(response, "invalid_grant")


def test_missing_verifier(client: FlaskClient, client_secret: str) -> None:
    request = AuthRequest.new()
    code = get_code(client, request)
    response = exchange(client, code, None, client_secret)
    assert_token_error(response, "invalid_request")


def test_wrong_redirect_uri_at_the_token_endpoint(client: FlaskClient, client_secret: str) -> None:
    request = AuthRequest.new()
    code = get_code(client, request)
    response = exchange(client, code, request.verifier, client_secret,
                        redirect_uri=BASE_URL + "/elders")
    assert_token_error(response, "invalid_grant")


@pytest.mark.parametrize("auth", ["basic", "post"])
def test_wrong_client_secret(client: FlaskClient, auth: str) -> None:
    request = AuthRequest.new()
    code = get_code(client, request)
    response = exchange(client, code, request.verifier, "not-the-secret", auth=auth)
    assert_token_error(response, "invalid_client", statuses=(400, 401))
    assert "id_token" not in response.get_json()


def test_unknown_client_at_the_token_endpoint(client: FlaskClient, client_secret: str) -> None:
    request = AuthRequest.new()
    code = get_code(client, request)
    response = exchange(client, code, request.verifier, client_secret, client_id="someone")
    assert_token_error(response, "invalid_client", statuses=(400, 401))


def test_code_is_single_use(client: FlaskClient, client_secret: str) -> None:
    request = AuthRequest.new()
    code = get_code(client, request)
    assert exchange(client, code, request.verifier, client_secret).status_code == 200
    again = exchange(client, code, request.verifier, client_secret)
    assert_token_error(again, "invalid_grant")


def exchange_after(
    client: FlaskClient, client_secret: str, monkeypatch: pytest.MonkeyPatch, seconds: int
) -> TestResponse:
    """Get a code, then exchange it ``seconds`` after it was issued (the provider's clock)."""
    issued = server.now()
    monkeypatch.setattr(server, "now", lambda: issued)
    request = AuthRequest.new()
    code = get_code(client, request)
    monkeypatch.setattr(server, "now", lambda: issued + seconds)
    return exchange(client, code, request.verifier, client_secret)


def test_code_expires_after_60_seconds(
    client: FlaskClient, client_secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = exchange_after(client, client_secret, monkeypatch, 61)
    assert_token_error(response, "invalid_grant")


def test_code_still_valid_at_59_seconds(
    client: FlaskClient, client_secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert exchange_after(client, client_secret, monkeypatch, 59).status_code == 200


def test_token_endpoint_only_takes_authorization_codes(
    client: FlaskClient, client_secret: str
) -> None:
    basic = base64.b64encode(f"burgerportaal:{client_secret}".encode()).decode()
    response = client.post(ISSUER + "/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": "Basic " + basic})
    assert_token_error(response, "unsupported_grant_type")


def test_code_is_single_use_under_a_race(
    client: FlaskClient, client_secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two token requests that both found the code: only the one that deletes it wins."""
    grant = server.PracticeAuthorizationCodeGrant
    original = grant.query_authorization_code
    found = []

    def remember(self, code, client_):  # type: ignore[no-untyped-def]
        item = original(self, code, client_)
        found.append(item)
        return item

    monkeypatch.setattr(grant, "query_authorization_code", remember)
    request = AuthRequest.new()
    code = get_code(client, request)
    assert exchange(client, code, request.verifier, client_secret).status_code == 200
    # The second request "found" the row before the first one deleted it.
    monkeypatch.setattr(grant, "query_authorization_code", lambda self, c, cl: found[0])
    again = exchange(client, code, request.verifier, client_secret)
    assert again.status_code == 400
    assert again.get_json() == {
        "error": "invalid_grant",
        "error_description": "Invalid 'code' in request.",
    }


def test_oversized_post_gets_a_plain_page(client: FlaskClient) -> None:
    request = AuthRequest.new()
    response = client.post(request.url, data={"username": "x" * 100_000, "password": "y"})
    assert response.status_code == 413
    assert "Te veel gegevens" in response.get_data(as_text=True)


# -- "Terug naar Burgerportaal" on the login page: the person stops -----------------------------


def cancel_url(request: AuthRequest) -> str:
    """The login page's cancel link for this request (the same query, another path)."""
    return request.url.replace("/authorize?", "/annuleren?", 1)


def test_cancel_goes_back_with_access_denied(client: FlaskClient) -> None:
    request = AuthRequest.new()
    params = redirect_params(client.get(cancel_url(request)))
    assert params["error"] == "access_denied"
    assert params["state"] == request.state
    assert "code" not in params


def test_cancel_of_a_bad_request_goes_back_with_its_error(client: FlaskClient) -> None:
    request = AuthRequest.new(code_challenge_method="plain")
    params = redirect_params(client.get(cancel_url(request)))
    assert params["error"] == "invalid_request"
    assert params["state"] == request.state


def test_cancel_for_an_unknown_client_gets_a_page_not_a_redirect(client: FlaskClient) -> None:
    response = client.get(cancel_url(AuthRequest.new(client_id="somebody-else")))
    assert_error_page(response, "Onbekende website")
