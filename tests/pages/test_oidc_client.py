"""The portal's OpenID Connect client against a provider that misbehaves (issue 16, items 4
and 10-16): pending logins that pile up, a provider session left by the previous person,
hanging and dead providers, metadata that does not fit, ``iss`` in the answer, the BSN in
userinfo or nowhere, clock leeway and the ID token algorithms.

The provider is the practice DigiD, reached through ``route_http_to``; a rewrite changes its
answers on the way back, and a real loopback server plays a provider that hangs.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask import Flask
from joserfc import jwt
from joserfc.jwk import RSAKey

from portal.auth import oidc
from portal.demo.people import PRACTICE_PASSWORD, by_username
from portal.practice_digid.keys import load_or_create_signing_key
from tests.support.html import CheckedClient, normalise
from tests.support.wsgi_transport import route_http_to

BASE = "http://localhost"
DISCOVERY = "/oefen-digid/.well-known/openid-configuration"
Rewrite = Callable[[str, requests.Response], None]
KIND_PAGE = "DigiD werkt nu niet"
FAILED_PAGE = "Inloggen is niet gelukt"


def no_change(url: str, response: requests.Response) -> None:
    pass


def chain(*rewrites: Rewrite) -> Rewrite:
    def rewrite(url: str, response: requests.Response) -> None:
        for each in rewrites:
            each(url, response)

    return rewrite


def discovery_changed(change: Callable[[dict[str, Any]], None]) -> Rewrite:
    def rewrite(url: str, response: requests.Response) -> None:
        if url.endswith(DISCOVERY):
            body = json.loads(response.content)
            change(body)
            response._content = json.dumps(body).encode()

    return rewrite


def id_token_changed(key: RSAKey, change: Callable[[dict[str, Any]], None], alg: str = "RS256") -> Rewrite:
    """Re-sign the ID token in the token response after ``change`` edited its claims."""

    def rewrite(url: str, response: requests.Response) -> None:
        if not url.endswith("/oefen-digid/token") or response.status_code != 200:
            return
        body = json.loads(response.content)
        claims = jwt.decode(body["id_token"], key).claims
        change(claims)
        # The same key, free to sign with another algorithm than the one it is marked for.
        signer = RSAKey.import_key({k: v for k, v in key.as_dict(private=True).items() if k != "alg"})
        body["id_token"] = jwt.encode({"alg": alg, "kid": key.kid}, claims, signer, algorithms=[alg])
        response._content = json.dumps(body).encode()

    return rewrite


@pytest.fixture
def key(app: Flask, instance_path: str) -> RSAKey:
    return load_or_create_signing_key(instance_path)


def authorize(client: CheckedClient, start_location: str, username: str = "joke") -> str:
    """Log in at the practice DigiD's form; returns the callback URL it sends back to."""
    authorize_url = urlsplit(start_location)
    form_url = authorize_url.path + "?" + authorize_url.query
    token = client.csrf_token(form_url)
    answer = client.post(form_url, data={"username": username, "password": PRACTICE_PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return answer.location


def callback_query(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def with_query(location: str, query: dict[str, str]) -> str:
    parts = urlsplit(location)
    return urlunsplit(parts._replace(query=urlencode(query)))


def log_in(client: CheckedClient, app: Flask, rewrite: Rewrite = no_change,
           edit_callback: Callable[[dict[str, str]], None] | None = None):  # type: ignore[no-untyped-def]
    """The whole round trip; returns the portal's answer at the callback."""
    with route_http_to(app, BASE, rewrite):
        start = client.get("/inloggen")
        assert start.status_code == 302, start.status_code
        back = authorize(client, start.location)
        if edit_callback is not None:
            query = callback_query(back)
            edit_callback(query)
            back = with_query(back, query)
        return client.get(back)


def logged_in(client: CheckedClient) -> bool:
    return client.get("/berichten/").status_code == 200


# --- item 4: pending logins ---------------------------------------------------------------


def test_100_login_starts_keep_the_cookie_small_and_a_login_still_works(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    with route_http_to(app, BASE):
        for _ in range(100):
            assert client.get("/inloggen").status_code == 302
    cookie = client.get_cookie("portal")
    assert cookie is not None
    # Browsers drop a cookie over 4,096 bytes; a few pending logins take a few hundred.
    assert len(cookie.value) < 1000, len(cookie.value)
    answer = log_in(client, app)
    assert answer.status_code == 302 and answer.location == "/berichten/"
    assert logged_in(client)


def test_only_the_newest_pending_logins_are_kept(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    with route_http_to(app, BASE):
        first = client.get("/inloggen").location
        for _ in range(oidc.MAX_PENDING_LOGINS):
            client.get("/inloggen")
        back = authorize(client, first)
        answer = client.get(back)
    assert answer.status_code == 400 and FAILED_PAGE in answer.get_data(as_text=True)
    assert not logged_in(client)


def test_a_pending_login_expires(client: CheckedClient, app: Flask, demo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    with route_http_to(app, BASE):
        start = client.get("/inloggen").location
        back = authorize(client, start)
        later = time.time() + oidc.PENDING_LOGIN_SECONDS + 1
        monkeypatch.setattr(oidc.time, "time", lambda: later)
        answer = client.get(back)
    assert answer.status_code == 400
    assert not logged_in(client)


# --- item 10: logout must end access on a shared computer ------------------------------------


def test_every_login_asks_the_provider_to_authenticate_again(client: CheckedClient, app: Flask) -> None:
    with route_http_to(app, BASE):
        start = client.get("/inloggen")
    query = parse_qs(urlsplit(start.location).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]


def test_a_provider_that_reuses_an_earlier_authentication_does_not_log_in(
    client: CheckedClient, app: Flask, demo, key: RSAKey  # type: ignore[no-untyped-def]
) -> None:
    """The previous person's provider session (auth_time before this login started) never
    opens a box: the provider ignored prompt=login."""
    earlier = id_token_changed(key, lambda c: c.update(auth_time=int(time.time()) - 600))
    answer = log_in(client, app, earlier)
    assert answer.status_code == 400 and FAILED_PAGE in answer.get_data(as_text=True)
    assert not logged_in(client)
    without = id_token_changed(key, lambda c: c.pop("auth_time"))
    assert log_in(client, app, without).status_code == 400
    assert not logged_in(client)


def test_logout_goes_to_the_configured_address_with_a_state(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    app.config["OIDC_POST_LOGOUT_REDIRECT_URI"] = "https://portal.example/uitgelogd"
    assert log_in(client, app).status_code == 302
    token = client.csrf_token("/berichten/")
    with route_http_to(app, BASE):
        answer = client.post("/uitloggen", data={"csrf_token": token})
    query = parse_qs(urlsplit(answer.location).query)
    assert answer.location.startswith(f"{BASE}/oefen-digid/logout?")
    assert query["post_logout_redirect_uri"] == ["https://portal.example/uitgelogd"]
    assert len(query["state"][0]) >= 22


def test_the_logged_out_page_only_promises_what_is_true(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    # The provider logged out too and came back with our state.
    assert log_in(client, app).status_code == 302
    token = client.csrf_token("/berichten/")
    with route_http_to(app, BASE):
        to_provider = client.post("/uitloggen", data={"csrf_token": token}).location
        back = client.get(urlsplit(to_provider).path + "?" + urlsplit(to_provider).query)
    assert back.status_code == 302 and "state=" in back.location
    text = normalise(client.page(back.location.removeprefix(BASE)).get_text(" "))
    assert "U bent ook bij DigiD uitgelogd." in text
    # The provider declined (or its logout failed): nobody came back with the state.
    assert log_in(client, app).status_code == 302
    token = client.csrf_token("/berichten/")
    with route_http_to(app, BASE):
        client.post("/uitloggen", data={"csrf_token": token})
    text = normalise(client.page("/uitgelogd").get_text(" "))
    assert "Niemand kan nu op deze computer uw gegevens zien." not in text
    assert "Misschien bent u nog wel ingelogd bij DigiD." in text
    assert "Sluit daarom de browser als u klaar bent." in text
    # A made-up state proves nothing either.
    text = normalise(client.page("/uitgelogd?state=made-up").get_text(" "))
    assert "U bent ook bij DigiD uitgelogd." not in text


# --- items 11 and 15: a provider that hangs or is gone ---------------------------------------


@pytest.fixture
def hanging_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers (for 5 s)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_hanging_discovery_gives_the_kind_page_within_the_time_out(
    client: CheckedClient, app: Flask, hanging_server: str
) -> None:
    app.config.update(OIDC_ISSUER=hanging_server + "/oefen-digid", OIDC_TIMEOUT_SECONDS=0.5)
    began = time.monotonic()
    answer = client.get("/inloggen")
    assert time.monotonic() - began < 3
    assert answer.status_code == 503 and KIND_PAGE in answer.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", ["token_endpoint", "jwks_uri"])
def test_a_hanging_token_or_jwks_call_gives_the_kind_page_within_the_time_out(
    client: CheckedClient, app: Flask, demo, hanging_server: str, endpoint: str  # type: ignore[no-untyped-def]
) -> None:
    app.config["OIDC_TIMEOUT_SECONDS"] = 0.5
    hang = discovery_changed(lambda d: d.update({endpoint: hanging_server + "/hang"}))
    with route_http_to(app, BASE):
        back = authorize(client, client.get("/inloggen").location)
    with route_http_to(app, BASE, hang):
        began = time.monotonic()
        answer = client.get(back)
        assert time.monotonic() - began < 3
    assert answer.status_code == 503 and KIND_PAGE in answer.get_data(as_text=True)
    assert not logged_in(client)


def test_a_provider_gone_after_an_earlier_login_gives_the_kind_page(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    assert log_in(client, app).status_code == 302  # the provider was there
    other = app.test_client()
    answer = other.get("/inloggen")  # now it is not: nothing answers at localhost:80
    assert answer.status_code == 503 and KIND_PAGE in answer.get_data(as_text=True)


@pytest.mark.parametrize("missing", ["authorization_endpoint", "token_endpoint", "jwks_uri"])
def test_discovery_without_a_required_endpoint_gives_the_kind_page(
    client: CheckedClient, app: Flask, demo, missing: str  # type: ignore[no-untyped-def]
) -> None:
    without = discovery_changed(lambda d: d.pop(missing))
    with route_http_to(app, BASE, without):
        assert client.get("/inloggen").status_code == 503
    # Also when it goes missing between the start and the answer.
    with route_http_to(app, BASE):
        back = authorize(client, client.get("/inloggen").location)
    with route_http_to(app, BASE, without):
        answer = client.get(back)
    assert answer.status_code == 503 and KIND_PAGE in answer.get_data(as_text=True)


# --- item 12: issuer in discovery and in the answer ------------------------------------------


def test_discovery_of_another_issuer_gives_the_kind_page(client: CheckedClient, app: Flask) -> None:
    other = discovery_changed(lambda d: d.update(issuer="http://evil.example/oefen-digid"))
    with route_http_to(app, BASE, other):
        answer = client.get("/inloggen")
    assert answer.status_code == 503 and KIND_PAGE in answer.get_data(as_text=True)
    trailing = discovery_changed(lambda d: d.update(issuer=d["issuer"] + "/"))
    with route_http_to(app, BASE, trailing):
        assert client.get("/inloggen").status_code == 503


def test_an_answer_naming_another_issuer_is_refused(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    answer = log_in(client, app, edit_callback=lambda q: q.update(iss="http://evil.example/oefen-digid"))
    assert answer.status_code == 400 and FAILED_PAGE in answer.get_data(as_text=True)
    assert not logged_in(client)


def test_an_answer_without_iss_is_refused_when_the_provider_sends_it(client: CheckedClient, app: Flask, demo) -> None:  # type: ignore[no-untyped-def]
    answer = log_in(client, app, edit_callback=lambda q: q.pop("iss"))
    assert answer.status_code == 400
    assert not logged_in(client)
    # A provider that does not say it sends iss may leave it out.
    quiet = discovery_changed(lambda d: d.pop("authorization_response_iss_parameter_supported"))
    answer = log_in(client, app, quiet, edit_callback=lambda q: q.pop("iss"))
    assert answer.status_code == 302 and answer.location == "/berichten/"


# --- items 13 and 14: where the BSN comes from ------------------------------------------------


def userinfo_provider(key: RSAKey, answer: Callable[[str], dict[str, Any]], seen: list[str]) -> Rewrite:
    """A provider that keeps the BSN out of the ID token and gives it at its userinfo
    endpoint, to the bearer of the access token."""
    subjects: list[str] = []

    def move_bsn(claims: dict[str, Any]) -> None:
        subjects.append(claims["sub"])
        claims.pop("bsn")

    def userinfo(url: str, response: requests.Response) -> None:
        if url.endswith("/oefen-digid/userinfo"):
            seen.append(response.request.headers.get("Authorization", ""))
            response.status_code = 200
            response.headers["Content-Type"] = "application/json"
            response._content = json.dumps(answer(subjects[-1])).encode()

    return chain(
        discovery_changed(lambda d: d.update(userinfo_endpoint=d["issuer"] + "/userinfo")),
        id_token_changed(key, move_bsn),
        userinfo,
    )


def test_the_bsn_is_read_from_userinfo_when_the_id_token_has_none(
    client: CheckedClient, app: Flask, demo, key: RSAKey  # type: ignore[no-untyped-def]
) -> None:
    bsn = by_username("joke").bsn
    seen: list[str] = []
    answer = log_in(client, app, userinfo_provider(key, lambda sub: {"sub": sub, "bsn": bsn}, seen))
    assert answer.status_code == 302 and answer.location == "/berichten/"
    assert "Ingelogd als Joke de Vries" in normalise(client.page("/berichten/").get_text(" "))
    assert len(seen) == 1 and seen[0].startswith("Bearer ")


def test_userinfo_for_another_subject_is_refused(
    client: CheckedClient, app: Flask, demo, key: RSAKey  # type: ignore[no-untyped-def]
) -> None:
    bsn = by_username("joke").bsn
    answer = log_in(client, app, userinfo_provider(key, lambda sub: {"sub": "someone-else", "bsn": bsn}, []))
    assert answer.status_code == 400
    assert not logged_in(client)


def test_a_missing_bsn_claim_is_a_failed_login_logged_for_the_operator(
    client: CheckedClient, app: Flask, demo, key: RSAKey, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    caplog.set_level(logging.WARNING)
    answer = log_in(client, app, id_token_changed(key, lambda c: c.pop("bsn")))
    page = answer.get_data(as_text=True)
    # Not the page that tells the citizen their BSN is wrong and to call the municipality.
    assert answer.status_code == 400 and FAILED_PAGE in page
    assert "gemeente" not in page
    messages = [record.getMessage() for record in caplog.records]
    assert any("'bsn'" in m and "PORTAL_OIDC_BSN_CLAIM" in m for m in messages), messages
    assert all(by_username("joke").bsn not in m for m in messages)


# --- item 16: leeway and algorithms ------------------------------------------------------------


def test_the_clock_leeway_is_30_seconds(client: CheckedClient, app: Flask, demo, key: RSAKey) -> None:  # type: ignore[no-untyped-def]
    assert oidc.LEEWAY_SECONDS == 30
    stale = id_token_changed(key, lambda c: c.update(exp=int(time.time()) - 60))
    assert log_in(client, app, stale).status_code == 400
    assert not logged_in(client)
    just = id_token_changed(key, lambda c: c.update(exp=int(time.time()) - 10))
    assert log_in(client, app, just).status_code == 302


def test_only_allow_listed_algorithms_are_accepted_whatever_the_provider_advertises(
    client: CheckedClient, app: Flask, demo, key: RSAKey  # type: ignore[no-untyped-def]
) -> None:
    def jwks_without_alg(url: str, response: requests.Response) -> None:
        if url.endswith("/jwks.json"):
            body = json.loads(response.content)
            for each in body["keys"]:
                each.pop("alg", None)
            response._content = json.dumps(body).encode()

    advertised = discovery_changed(lambda d: d.update(id_token_signing_alg_values_supported=["RS256", "RS384"]))
    rs384 = id_token_changed(key, lambda c: None, alg="RS384")
    answer = log_in(client, app, chain(advertised, jwks_without_alg, rs384))
    assert answer.status_code == 400
    assert not logged_in(client)
    ps256 = id_token_changed(key, lambda c: None, alg="PS256")
    assert log_in(client, app, chain(jwks_without_alg, ps256)).status_code == 302
