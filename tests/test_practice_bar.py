"""Practice mode (issue 10, item 1): every page of the portal and of the practice DigiD carries
the practice bar, a named landmark; with the normal mode no page does.

The pages come from the URL maps of both apps, so a new page cannot escape: a GET route is
either in ``NOT_PAGES`` (with the reason it answers no page) or it must answer a page, and
``VISIT`` (tests/support/visits.py) says who asks for it and with what in the URL. A route in
neither fails the test. In practice mode the pages are asked by a learner's browser, with
its own sandbox (issue 10, item 2); with the normal mode, by the shared demo world.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal import create_app
from portal.config import PortalMode
from portal.practice import browser, classes
from portal.practice_digid import MOUNT_PATH
from portal.practice_digid.app import PRACTICE_INFO_PATH, PRACTICE_START_PATH
from tests.conftest import app_settings
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of
from tests.support.practice import log_in_sandbox, sandbox_world
from tests.support.visits import (
    BASE_URL,
    NOT_PAGES,
    STATUS,
    VISIT,
    World,
    authorize_url,
    fetch,
    get_routes,
    is_page,
    world_between,
)

BAR_NAME = "Oefenomgeving"
BAR_TEXT = "Oefenomgeving: dit zijn geen echte gegevens"
LINK_TEXT = "Wat is dit?"

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
    """The shared demo world of a portal in the normal mode."""
    return world_between(db, account_of(db, "joke"), account_of(db, "sanne"), now)


@pytest.fixture
def practice_world(practice_app: Flask, db: Session, now: datetime) -> World:
    """A learner's sandbox with every practice person (the demo scenario), in practice mode."""
    found = sandbox_world(practice_app, db, "demo", now)
    found.trainer_code = classes.create(db, "beginnen", 2, now).trainer_code
    return found


def bar_of(soup: BeautifulSoup) -> Tag | None:
    """The practice bar, found as a screen reader finds it: the landmark named "Oefenomgeving"."""
    bars = [tag for tag in soup.find_all(["section", "aside"])
            if normalise(str(tag.get("aria-label") or "")) == BAR_NAME]
    assert len(bars) <= 1, "one practice bar per page"
    return bars[0] if bars else None


def test_every_get_route_is_visited_or_named_as_no_page(app: Flask) -> None:
    routes = get_routes(app)
    assert sorted(set(routes) - set(VISIT)) == [], "a new page: add it to VISIT"
    assert sorted(set(VISIT) - set(routes)) == [], "VISIT names a route that is gone"
    assert set(NOT_PAGES) <= set(routes)


def test_in_practice_mode_every_page_carries_the_bar(practice_app: Flask, practice_world: World) -> None:
    pages = 0
    for endpoint in get_routes(practice_app):
        response = fetch(practice_app, practice_world, endpoint)
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
        # The learner's browser has a sandbox: the bar offers to start again.
        assert "Opnieuw beginnen" in normalise(bar.get_text()), endpoint
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


def test_the_bar_is_on_error_pages_too(practice_app: Flask, practice_world: World) -> None:
    client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    client.set_cookie(browser.COOKIE_NAME, str(practice_world.token))
    log_in_sandbox(client, practice_world.db, int(str(practice_world.sandbox_id)), "joke")  # a visitor is sent to the start page instead
    for url in ("/bestaat-niet", f"{MOUNT_PATH}/bestaat-niet"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert bar_of(BeautifulSoup(response.get_data(as_text=True), "html.parser")) is not None, url


def test_what_is_this_leads_to_the_explanation_from_the_portal_and_the_practice_digid(
    practice_app: Flask, world: World
) -> None:
    client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    for url in ("/", authorize_url(world, practice_app)):
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


def test_before_practising_the_bar_leads_to_begin_and_after_it_offers_to_start_again(
    practice_app: Flask, practice_world: World
) -> None:
    """Without a sandbox the bar links to "Begin met oefenen"; with one, the portal's bar has
    an "Opnieuw beginnen" button (a POST form) and the practice DigiD's a link to the page
    that has it (that app cannot make the portal's CSRF token)."""
    fresh: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    for url in ("/", authorize_url(practice_world, practice_app)):
        bar = bar_of(BeautifulSoup(fresh.get(url).get_data(as_text=True), "html.parser"))
        assert bar is not None
        begin_link = bar.find("a", string=lambda text: normalise(text or "") == "Begin met oefenen")
        assert begin_link is not None, url
        assert str(begin_link["href"]).removeprefix(BASE_URL) == PRACTICE_START_PATH, url
        assert bar.find("button") is None, url
    learner: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    learner.set_cookie(browser.COOKIE_NAME, str(practice_world.token))
    portal_bar = bar_of(BeautifulSoup(learner.get("/").get_data(as_text=True), "html.parser"))
    assert portal_bar is not None
    form = portal_bar.find("form")
    assert form is not None and form["method"] == "post" and form["action"] == "/oefenen/opnieuw"
    assert form.find("input", attrs={"name": "csrf_token"}) is not None
    assert normalise(form.find("button").get_text()) == "Opnieuw beginnen"  # type: ignore[union-attr]
    digid_bar = bar_of(BeautifulSoup(learner.get(authorize_url(practice_world, practice_app)).get_data(as_text=True),
                                     "html.parser"))
    assert digid_bar is not None and digid_bar.find("form") is None
    again = digid_bar.find("a", string=lambda text: normalise(text or "") == "Opnieuw beginnen")
    assert again is not None and str(again["href"]).removeprefix(BASE_URL) == PRACTICE_START_PATH
