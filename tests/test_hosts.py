"""The Host header is trusted only from the configured list, X-Forwarded-* only behind the
configured number of proxies, and the API's absolute URLs come from BASE_URL (issue 16, item 7)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, jsonify, request
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app
from tests.conftest import app_settings

PATHS = ["/", "/berichten/", "/static/css/portal.css", "/api/v1/openapi.json",
         "/oefen-digid/.well-known/openid-configuration"]


@pytest.fixture
def make_app(engine: Engine, database_url: str, instance_path: str,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Flask]]:
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", instance_path)
    made: list[Flask] = []

    def make(**settings: object) -> Flask:
        application = create_app({**app_settings(database_url, "http://localhost"), **settings})
        # What the request looked like to the portal, for the proxy tests.
        application.add_url_rule("/api/v1/test-probe", "test_probe", lambda: jsonify(
            scheme=request.scheme, host=request.host, remote_addr=request.remote_addr))
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions["portal.engine"].dispose()


@pytest.mark.parametrize("path", PATHS)
def test_an_untrusted_host_gets_400(make_app, path: str) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TRUSTED_HOSTS=["localhost"]).test_client()
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(path, headers={"Host": "localhost"}).status_code in (200, 302)


def test_an_untrusted_host_cannot_post_either(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TRUSTED_HOSTS=["localhost"]).test_client()
    response = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                           headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_production_trusts_the_base_url_host(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in {
        "SECRET_KEY": "s" * 32, "OIDC_ISSUER": "https://digid.example", "OIDC_CLIENT_SECRET": "c" * 32,
        "DATABASE_URL": "postgresql://portal@db/portal", "BASE_URL": "https://portaal.example",
    }.items():
        monkeypatch.setenv(f"PORTAL_{name}", value)
    for name in ("PRACTICE_DIGID", "TRUSTED_HOSTS", "PROXY_COUNT", "OIDC_REDIRECT_URI"):
        monkeypatch.delenv(f"PORTAL_{name}", raising=False)
    application = make_app(ENV="production", PRACTICE_DIGID=False, BASE_URL="https://portaal.example",
                           OIDC_ISSUER="https://digid.example")
    client = application.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", base_url="https://portaal.example").status_code == 200


def test_without_a_list_every_host_is_served_as_before(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app().test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_forwarded_headers_are_ignored_without_a_proxy_count(make_app) -> None:  # type: ignore[no-untyped-def]
    application = make_app(TRUSTED_HOSTS=["localhost"])
    assert not isinstance(application.wsgi_app, ProxyFix)
    seen = application.test_client().get("/api/v1/test-probe", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example"}).json
    assert seen == {"scheme": "http", "host": "localhost", "remote_addr": "127.0.0.1"}


def test_behind_one_proxy_its_forwarded_headers_are_used(make_app) -> None:  # type: ignore[no-untyped-def]
    application = make_app(TRUSTED_HOSTS=["portaal.example"], PROXY_COUNT=1)
    proxy = application.wsgi_app
    assert isinstance(proxy, ProxyFix)
    assert (proxy.x_for, proxy.x_proto, proxy.x_host, proxy.x_port, proxy.x_prefix) == (1, 1, 1, 0, 0)
    client = application.test_client()
    seen = client.get("/api/v1/test-probe", headers={
        "X-Forwarded-For": "198.51.100.1, 203.0.113.9", "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "portaal.example"}).json
    # Only the last proxy's entry counts: a client cannot put itself in the list.
    assert seen == {"scheme": "https", "host": "portaal.example", "remote_addr": "203.0.113.9"}
    # The forwarded host is checked against the list too.
    response = client.get("/", headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400
