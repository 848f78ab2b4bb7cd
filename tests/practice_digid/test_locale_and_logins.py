"""Language choice on the provider app, and the practice logins."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo.people import PEOPLE, PRACTICE_PASSWORD, by_username
from portal.models.practice_digid import PracticeLogin
from portal.practice_digid import create_provider_app
from portal.practice_digid.logins import check_practice_login, create_practice_login

from .conftest import (
    BASE_URL,
    CLIENT_ID,
    ISSUER,
    REDIRECT_URI,
    TEST_SECRET_KEY,
    AuthRequest,
    soup,
)


@pytest.fixture
def english_provider(tmp_path: Path, portal_app: Flask, instance_dir: str) -> Flask:
    """The provider on its own, with a tiny compiled English catalogue."""
    catalog = Catalog(locale="en")
    catalog.add("Inloggen bij Oefen-DigiD", "Log in to Practice DigiD")
    target = tmp_path / "translations" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    config = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "BASE_URL": BASE_URL,
        "OIDC_ISSUER": ISSUER,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_REDIRECT_URI": REDIRECT_URI,
        "DATABASE_URL": "sqlite://",
        "TESTING": True,
        "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations"),
    }
    return create_provider_app(
        config, engine=portal_app.extensions["portal.engine"], instance_path=instance_dir
    )


def page_language(
    app: Flask, query: dict[str, str] | None = None, **headers: str
) -> tuple[str, str]:
    request = AuthRequest.new(**(query or {}))
    # Straight at the provider app, as if mounted: SCRIPT_NAME is /oefen-digid.
    response = app.test_client().get(
        request.url.removeprefix(ISSUER), base_url=ISSUER, headers=headers
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    page = soup(response)
    return page.find("html")["lang"], page.find("h1").get_text(strip=True)


def test_default_is_dutch(english_provider: Flask) -> None:
    assert page_language(english_provider) == ("nl", "Inloggen bij Oefen-DigiD")


def test_accept_language_picks_english(english_provider: Flask) -> None:
    assert page_language(english_provider, **{"Accept-Language": "en-GB,en;q=0.9"}) == (
        "en", "Log in to Practice DigiD")


def test_ui_locales_wins_over_accept_language(english_provider: Flask) -> None:
    assert page_language(english_provider, {"ui_locales": "fr en"},
                         **{"Accept-Language": "nl"})[0] == "en"
    assert page_language(english_provider, {"ui_locales": "nl"},
                         **{"Accept-Language": "en"})[0] == "nl"


def test_unsupported_language_falls_back_to_dutch(english_provider: Flask) -> None:
    assert page_language(english_provider, {"ui_locales": "fr"},
                         **{"Accept-Language": "de"})[0] == "nl"


def test_practice_logins_are_seeded_once_and_hashed(portal_app: Flask) -> None:
    engine = portal_app.extensions["portal.engine"]
    with Session(engine) as session:
        joke = by_username("joke")
        assert joke is not None
        again = create_practice_login(session, joke)  # seeding twice is fine
        session.commit()
        assert session.scalar(select(func.count()).select_from(PracticeLogin)) == len(PEOPLE)
        assert again.password_hash.startswith("pbkdf2:sha256:50000$")
        assert PRACTICE_PASSWORD not in again.password_hash
        assert again.bsn == joke.bsn
        assert check_practice_login(session, " Joke ", PRACTICE_PASSWORD) is not None
        assert check_practice_login(session, "joke", "Oefenen") is None
        assert check_practice_login(session, "niemand", PRACTICE_PASSWORD) is None
