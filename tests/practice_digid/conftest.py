"""Fixtures for the practice DigiD: the portal with the provider mounted at /oefen-digid.

``portal.create_app`` imports blueprints other people are still writing. When one of
those modules does not exist (yet), the provider is mounted on a bare Flask app with the
same settings instead, so these tests only depend on the practice DigiD itself.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import portal.models  # noqa: F401  (every table in Base.metadata)
from portal.db import Base, make_engine
from portal.demo.people import PEOPLE, PRACTICE_PASSWORD
from portal.practice_digid.logins import create_practice_login

BASE_URL = "http://127.0.0.1:5000"
ISSUER = BASE_URL + "/oefen-digid"
CLIENT_ID = "burgerportaal"
REDIRECT_URI = BASE_URL + "/inloggen/terug"
POST_LOGOUT_URI = BASE_URL + "/uitgelogd"
TEST_SECRET_KEY = "test-secret-key-not-for-production"


def _fallback_portal(instance_path: str, database_url: str) -> Flask:
    """What ``create_app`` sets up that the practice DigiD relies on, and nothing more."""
    from portal import db
    from portal.practice_digid import mount

    app = Flask("portal", instance_path=instance_path)
    app.config.update(
        TESTING=True,
        SECRET_KEY=TEST_SECRET_KEY,
        BASE_URL=BASE_URL,
        DATABASE_URL=database_url,
        PRACTICE_DIGID=True,
        OIDC_ISSUER=ISSUER,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=None,
        OIDC_REDIRECT_URI=REDIRECT_URI,
        SESSION_COOKIE_SECURE=False,
        LOG_SQL=False,
    )
    db.init_app(app)
    mount(app)
    return app


def build_portal(instance_path: str, database_url: str) -> Flask:
    try:
        from portal import create_app

        return create_app(
            {
                "ENV": "test",
                "DATABASE_URL": database_url,
                "BASE_URL": BASE_URL,
                "PRACTICE_DIGID": True,
            }
        )
    except ImportError as error:
        if (error.name or "").startswith("portal.practice_digid"):
            raise
        return _fallback_portal(instance_path, database_url)


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    # One folder for the whole run: the RSA key is made once, not for every test.
    return str(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tables and practice logins, made once; every test gets its own copy of the file.

    Seeding hashes the practice password ten times; doing that for every test would
    cost more than all the tests themselves.
    """
    path = tmp_path_factory.mktemp("template") / "portal.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for person in PEOPLE:
            create_practice_login(session, person)
        session.commit()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def portal_app(
    tmp_path: Path, instance_dir: str, seeded_database: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    for name in list(os.environ):
        if name.startswith("PORTAL_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("AUTHLIB_INSECURE_TRANSPORT", raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", instance_dir)
    database = tmp_path / "portal.sqlite3"
    shutil.copyfile(seeded_database, database)
    app = build_portal(instance_dir, f"sqlite:///{database}")
    yield app
    app.extensions["portal.engine"].dispose()


@pytest.fixture
def provider(portal_app: Flask) -> Flask:
    return portal_app.extensions["portal.practice_digid"]


@pytest.fixture
def client(portal_app: Flask) -> FlaskClient:
    return portal_app.test_client()


@pytest.fixture
def client_secret(portal_app: Flask) -> str:
    return portal_app.config["OIDC_CLIENT_SECRET"]


# -- helpers ---------------------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


@dataclass
class AuthRequest:
    """One authorization request, with its PKCE verifier, state and nonce."""

    verifier: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls, **overrides: str | None) -> AuthRequest:
        verifier, challenge = pkce_pair()
        params: dict[str, str | None] = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid",
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(24),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return cls(verifier, {k: v for k, v in params.items() if v is not None})

    @property
    def url(self) -> str:
        return f"{ISSUER}/authorize?{urlencode(self.params)}"

    @property
    def state(self) -> str:
        return self.params["state"]

    @property
    def nonce(self) -> str:
        return self.params["nonce"]


def soup(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token_from(response: TestResponse) -> str:
    field_ = soup(response).find("input", attrs={"name": "csrf_token"})
    assert field_ is not None, "login form without CSRF token"
    return str(field_["value"])


def submit_login(
    client: FlaskClient,
    request: AuthRequest,
    username: str = "joke",
    password: str = PRACTICE_PASSWORD,
) -> TestResponse:
    """GET the login form, then POST the credentials to its action."""
    form_page = client.get(request.url)
    assert form_page.status_code == 200, form_page.get_data(as_text=True)
    form = soup(form_page).find("form")
    assert form is not None
    return client.post(
        BASE_URL + str(form["action"]),
        data={
            "csrf_token": csrf_token_from(form_page),
            "username": username,
            "password": password,
        },
    )


def redirect_params(response: TestResponse, expected_base: str = REDIRECT_URI) -> dict[str, str]:
    """The query of a redirect to ``expected_base`` (asserts it goes there exactly)."""
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == expected_base
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def get_code(client: FlaskClient, request: AuthRequest, username: str = "joke") -> str:
    params = redirect_params(submit_login(client, request, username=username))
    assert params["state"] == request.state
    return params["code"]


def exchange(
    client: FlaskClient,
    code: str,
    verifier: str | None,
    secret: str,
    *,
    redirect_uri: str = REDIRECT_URI,
    auth: str = "basic",
    client_id: str = CLIENT_ID,
) -> TestResponse:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        data["code_verifier"] = verifier
    headers = {}
    if auth == "basic":
        raw = f"{client_id}:{secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
    else:
        data.update(client_id=client_id, client_secret=secret)
    return client.post(ISSUER + "/token", data=data, headers=headers)
