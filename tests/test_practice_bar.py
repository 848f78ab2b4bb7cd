"""Practice mode (issue 10, item 1): every page of the portal and of the practice DigiD carries
the practice bar, a named landmark; with the normal mode no page does.

The pages come from the URL maps of both apps, so a new page cannot escape: a GET route is
either in ``NOT_PAGES`` (with the reason it answers no page) or it must answer a page, and
``VISIT`` says who asks for it and with what in the URL. A route in neither fails the test.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal import create_app
from portal.auth.routes import REFUSAL_KEY
from portal.config import PortalMode
from portal.domain.eligibility import Refusal
from portal.domain.notifications import confirmation_token, request_confirmation
from portal.models import Case, Letter, Mandate
from portal.practice_digid import EXTENSION_KEY, MOUNT_PATH
from portal.practice_digid.app import PRACTICE_INFO_PATH
from portal.timeutil import utcnow
from tests.conftest import app_settings
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import make_mandate
from tests.support.wsgi_transport import route_http_to

BASE_URL = "http://localhost"
BAR_NAME = "Oefenomgeving"
BAR_TEXT = "Oefenomgeving: dit zijn geen echte gegevens"
LINK_TEXT = "Wat is dit?"

# GET routes that answer no HTML page, and why. Each is still requested: it must answer
# something other than a page, so a route that starts to show one leaves this list.
NOT_PAGES: dict[str, str] = {
    "static": "files (CSS, JavaScript, images)",
    "auth.login": "a redirect to the DigiD",
    "messages.attachment": "a PDF file",
    f"{MOUNT_PATH}:practice_digid.discovery": "the OpenID Connect discovery document (JSON)",
    f"{MOUNT_PATH}:practice_digid.jwks": "the public signing keys (JSON)",
    f"{MOUNT_PATH}:practice_digid.cancel": "a redirect back to the portal (access_denied)",
    f"{MOUNT_PATH}:static": "the practice DigiD's CSS",
}
# The organisation API answers JSON to organisations with a bearer token, never a page, with
# one exception: its documentation, a page people read, which must carry the bar too.
API_PREFIX = "api."
API_PAGES = frozenset({"api.docs"})
# Pages that answer with an error status when asked like this, and are pages all the same.
STATUS: dict[str, int] = {"auth.callback": 400}  # no code from the DigiD: "Inloggen is niet gelukt"


@dataclass
class World:
    """Joke's letter, case and the mandate she gave Sanne: ids for the URLs."""

    db: Session
    letter: Letter
    case: Case
    mandate: Mandate


@dataclass(frozen=True)
class Visit:
    who: str | None  # the practice person logged in, or None
    url: Callable[[World, Flask], str]


def _authorize_url(_world: World, _app: Flask) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return f"{MOUNT_PATH}/authorize?" + urlencode({
        "client_id": "burgerportaal", "redirect_uri": f"{BASE_URL}/inloggen/terug",
        "response_type": "code", "scope": "openid", "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16), "code_challenge": challenge,
        "code_challenge_method": "S256",
    })


def _fixed(url: str) -> Callable[[World, Flask], str]:
    return lambda _world, _app: url


def _confirm_url(world: World, app: Flask) -> str:
    """The link of a confirmation e-mail for a new address of Joke's."""
    confirmation = request_confirmation(world.db, world.letter.account_id, "joke@example.org",
                                        now=utcnow(), secret=str(app.config["SECRET_KEY"]).encode(),
                                        language="nl")
    world.db.commit()
    return "/instellingen/e-mail/bevestigen/" + confirmation_token(
        str(app.config["SECRET_KEY"]).encode(), confirmation)


# Who asks for each page, and its URL. Pages for anyone logged in are asked by Joke.
VISIT: dict[str, Visit] = {
    "start.index": Visit(None, _fixed("/")),
    "auth.login": Visit(None, _fixed("/inloggen")),
    "auth.callback": Visit(None, _fixed("/inloggen/terug")),
    "auth.eidas": Visit(None, _fixed("/inloggen/europees")),
    "auth.logged_out": Visit(None, _fixed("/uitgelogd")),
    "auth.refused": Visit(None, _fixed("/geen-account")),  # with a reason in the session
    "messages.inbox": Visit("joke", _fixed("/berichten/")),
    "messages.archive": Visit("joke", _fixed("/berichten/archief")),
    "messages.letter": Visit("joke", lambda w, _app: f"/berichten/{w.letter.id}"),
    "messages.print_view": Visit("joke", lambda w, _app: f"/berichten/{w.letter.id}/afdrukken"),
    "messages.attachment": Visit("joke", lambda w, _app: f"/berichten/{w.letter.id}/bijlagen/{w.letter.attachments[0].id}"),
    "cases.index": Visit("joke", _fixed("/zaken/")),
    "cases.case": Visit("joke", lambda w, _app: f"/zaken/{w.case.id}"),
    "settings.index": Visit("joke", _fixed("/instellingen")),
    "settings.email": Visit("joke", _fixed("/instellingen/e-mail")),
    "settings.email_address_form": Visit("joke", _fixed("/instellingen/e-mail/adres")),
    "settings.email_confirm_page": Visit("joke", _confirm_url),
    "profile.index": Visit("joke", _fixed("/gegevens")),
    "mandates.choose": Visit("kees", _fixed("/handelen-voor")),
    "mandates.index": Visit("joke", _fixed("/machtigingen/")),
    "mandates.grant_form": Visit("joke", _fixed("/machtigingen/geven")),
    "mandates.detail": Visit("joke", lambda w, _app: f"/machtigingen/{w.mandate.id}"),
    "mandates.change_form": Visit("joke", lambda w, _app: f"/machtigingen/{w.mandate.id}/wijzigen"),
    "mandates.log": Visit("joke", _fixed("/machtigingen/logboek")),
    "mandates.held": Visit("sanne", lambda w, _app: f"/machtigingen/gekregen/{w.mandate.id}"),
    "mandates.request_form": Visit("sanne", _fixed("/machtigingen/vragen")),
    "mandates.activate_form": Visit("sanne", _fixed("/machtigingen/activeren")),
    "mandates.my_actions": Visit("sanne", _fixed("/machtigingen/mijn-acties")),
    "helpdesk.index": Visit("marieke", _fixed("/balie/")),
    "help.index": Visit(None, _fixed("/hulp")),
    "help.practice": Visit(None, _fixed("/hulp/oefenomgeving")),
    "static": Visit(None, _fixed("/static/css/portal.css")),
    "api.docs": Visit(None, _fixed("/api/v1/docs")),
    f"{MOUNT_PATH}:practice_digid.discovery": Visit(None, _fixed(f"{MOUNT_PATH}/.well-known/openid-configuration")),
    f"{MOUNT_PATH}:practice_digid.jwks": Visit(None, _fixed(f"{MOUNT_PATH}/jwks.json")),
    f"{MOUNT_PATH}:practice_digid.authorize": Visit(None, _authorize_url),
    f"{MOUNT_PATH}:practice_digid.cancel": Visit(None, lambda w, app: _authorize_url(w, app).replace("/authorize?", "/annuleren?")),
    f"{MOUNT_PATH}:practice_digid.logout": Visit(None, _fixed(f"{MOUNT_PATH}/logout")),
    f"{MOUNT_PATH}:static": Visit(None, _fixed(f"{MOUNT_PATH}/static/digid.css")),
}


def get_routes(app: Flask) -> list[str]:
    """Every GET endpoint of the portal and of the practice DigiD (``/oefen-digid:name``)."""
    names = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    provider = app.extensions[EXTENSION_KEY]
    names |= {f"{MOUNT_PATH}:{rule.endpoint}" for rule in provider.url_map.iter_rules()
              if "GET" in (rule.methods or ())}
    return sorted(name for name in names if not name.startswith(API_PREFIX) or name in API_PAGES)


def make_app(engine: Engine, database_url: str, instance_path: str, monkeypatch: pytest.MonkeyPatch,
             mode: PortalMode) -> Iterator[Flask]:
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", instance_path)
    application = create_app({**app_settings(database_url, BASE_URL), "MODE": mode})
    application.test_client_class = CheckedClient
    yield application
    application.extensions["portal.engine"].dispose()


@pytest.fixture
def practice_app(engine: Engine, database_url: str, instance_path: str,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    yield from make_app(engine, database_url, instance_path, monkeypatch, PortalMode.PRACTICE)


@pytest.fixture
def world(db: Session, demo, now: datetime) -> World:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.attachments.any())).first()
    case = db.scalars(select(Case).where(Case.account_id == joke.id)).first()
    assert letter is not None and case is not None
    mandate = make_mandate(db, joke, account_of(db, "sanne"), now=now)
    db.commit()
    return World(db=db, letter=letter, case=case, mandate=mandate)


def bar_of(soup: BeautifulSoup) -> Tag | None:
    """The practice bar, found as a screen reader finds it: the landmark named "Oefenomgeving"."""
    bars = [tag for tag in soup.find_all(["section", "aside"])
            if normalise(str(tag.get("aria-label") or "")) == BAR_NAME]
    assert len(bars) <= 1, "one practice bar per page"
    return bars[0] if bars else None


def fetch(app: Flask, world: World, endpoint: str):  # type: ignore[no-untyped-def]
    visit = VISIT[endpoint]
    client: CheckedClient = app.test_client()  # type: ignore[assignment]
    if visit.who:
        log_in(client, world.db, visit.who)
    if endpoint == "auth.refused":
        with client.session_transaction() as session:
            session[REFUSAL_KEY] = Refusal.TOO_YOUNG.value
    # The login asks the practice DigiD's discovery document over HTTP: answered in process.
    with route_http_to(app, BASE_URL):
        return client.get(visit.url(world, app))


def is_page(response) -> bool:  # type: ignore[no-untyped-def]
    return response.mimetype == "text/html" and not 300 <= response.status_code < 400


def test_every_get_route_is_visited_or_named_as_no_page(app: Flask) -> None:
    routes = get_routes(app)
    assert sorted(set(routes) - set(VISIT)) == [], "a new page: add it to VISIT"
    assert sorted(set(VISIT) - set(routes)) == [], "VISIT names a route that is gone"
    assert set(NOT_PAGES) <= set(routes)


def test_in_practice_mode_every_page_carries_the_bar(practice_app: Flask, world: World) -> None:
    pages = 0
    for endpoint in get_routes(practice_app):
        response = fetch(practice_app, world, endpoint)
        if endpoint in NOT_PAGES:
            assert not is_page(response), f"{endpoint} now answers a page: take it out of NOT_PAGES"
            continue
        assert response.status_code == STATUS.get(endpoint, 200), (endpoint, response.status_code, response.location)
        assert is_page(response), (endpoint, response.mimetype)
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        bar = bar_of(soup)
        assert bar is not None, f"{endpoint}: no practice bar"
        assert BAR_TEXT in normalise(bar.get_text()), endpoint
        link = bar.find("a", string=lambda text: normalise(text or "") == LINK_TEXT)
        assert link is not None, endpoint
        # The skip link stays the first thing to Tab to; the bar comes right after it.
        first_link = soup.body.find("a")
        assert first_link is not None and "skip-link" in first_link.get("class", []), endpoint
        assert first_link.find_next(["section", "aside", "header", "div"]) is bar, endpoint
        pages += 1
    assert pages >= 30  # the portal's pages and the practice DigiD's (a check on the walk itself)


def test_with_the_normal_mode_no_page_carries_the_bar(app: Flask, world: World) -> None:
    pages = 0
    for endpoint in get_routes(app):
        response = fetch(app, world, endpoint)
        if is_page(response):
            text = response.get_data(as_text=True)
            assert bar_of(BeautifulSoup(text, "html.parser")) is None, endpoint
            assert BAR_TEXT not in text, endpoint
            pages += 1
    assert pages >= 30


def test_the_bar_is_on_error_pages_too(practice_app: Flask, world: World) -> None:
    client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    log_in(client, world.db, "joke")  # a visitor is sent to the start page instead
    for url in ("/bestaat-niet", f"{MOUNT_PATH}/bestaat-niet"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert bar_of(BeautifulSoup(response.get_data(as_text=True), "html.parser")) is not None, url


def test_what_is_this_leads_to_the_explanation_from_the_portal_and_the_practice_digid(
    practice_app: Flask, world: World
) -> None:
    client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    for url in ("/", _authorize_url(world, practice_app)):
        bar = bar_of(BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser"))
        assert bar is not None
        href = str(bar.find("a")["href"])  # type: ignore[index]
        assert href.removeprefix(BASE_URL) == PRACTICE_INFO_PATH, url
    soup = client.page(PRACTICE_INFO_PATH)
    assert normalise(soup.h1.get_text()) == "Wat is de oefenomgeving?"  # type: ignore[union-attr]
    text = normalise(soup.main.get_text())  # type: ignore[union-attr]
    assert "U bent nu in de oefenomgeving" in text
    assert "Het zijn geen echte gegevens" in text
    assert "komt niet bij een echte organisatie" in text


def test_the_explanation_says_the_normal_portal_is_real(client: CheckedClient) -> None:
    text = normalise(client.page(PRACTICE_INFO_PATH).main.get_text())  # type: ignore[union-attr]
    assert "Dit is het echte Burgerportaal" in text
    assert "U bent nu in de oefenomgeving" not in text


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Practice environment: this is not real data"),
    ("ar", "بيئة التدريب: هذه ليست بيانات حقيقية"),
    ("uk", "Середовище для тренування: це не справжні дані"),
])
def test_the_bar_speaks_the_page_language(practice_app: Flask, language: str, text: str) -> None:
    client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    for url in ("/", f"{MOUNT_PATH}/logout"):
        response = client.get(url, headers={"Accept-Language": language})
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert soup.html["lang"] == language, url  # type: ignore[index]
        bar = soup.find("section", class_="practice-bar")
        assert bar is not None and text in normalise(bar.get_text()), url
