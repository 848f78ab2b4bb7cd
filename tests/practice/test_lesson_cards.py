"""Lesson cards (issue 10, item 5): every card of every lesson has a screenshot in every
language, taken by scripts/lesson-cards, and the heading its page had then is the heading
the page has now. When a page changes, this test says which card to take again."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy.orm import Session

from portal.i18n import LANGUAGES
from portal.practice import cards, scenarios
from tests.support.html import CheckedClient, normalise
from tests.support.practice import begin, log_in_sandbox

# Years and other numbers in a heading (a letter's subject says which year) follow the day
# the world is made: the card shows the page, whatever the year.
_NUMBERS = re.compile(r"\d+")


def _shape(heading: str) -> str:
    return _NUMBERS.sub("#", normalise(heading))


def _lessons_with_cards(app: Flask) -> list[scenarios.Lesson]:
    with app.app_context():
        return [lesson for lesson in scenarios.lessons() if lesson.scenario.cards]


def test_every_lesson_has_cards(practice_app: Flask) -> None:
    keys = {lesson.key for lesson in _lessons_with_cards(practice_app)}
    assert keys >= {"beginnen", "berichtenbox", "lopende-zaken", "machtigen", "instellingen"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_cards_screenshot_shows_the_page_it_is_about_now(
    practice_app: Flask, db: Session, now: datetime, language: str
) -> None:
    for lesson in _lessons_with_cards(practice_app):
        shots = cards.recorded(lesson.key).get(language)
        assert shots is not None, f"{lesson.key}: no screenshots in {language}: run ./scripts/lesson-cards"
        assert [shot["path"] for shot in shots] == [card.path for card in lesson.scenario.cards], (
            f"{lesson.key}: the cards changed: run ./scripts/lesson-cards")
        client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
        sandbox = begin(client, db, lesson.key, now)
        for number, (card, shot) in enumerate(zip(lesson.scenario.cards, shots, strict=True), start=1):
            assert (cards.CARDS_DIR / lesson.key / shot["image"]).is_file(), shot["image"]
            if card.logged_in:
                log_in_sandbox(client, db, sandbox.id, lesson.people[0])
            with practice_app.app_context():
                path = cards.path_of(db, sandbox.id, lesson, card)
            page = client.get(path, headers={"Accept-Language": language})
            assert page.status_code == 200, (lesson.key, number, path, page.status_code)
            heading = BeautifulSoup(page.get_data(as_text=True), "html.parser").h1
            assert heading is not None
            assert _shape(heading.get_text()) == _shape(shot["heading"]), (
                f"{lesson.key}, card {number} ({language}): the page now says {normalise(heading.get_text())!r}, "
                f"the screenshot {shot['heading']!r}: run ./scripts/lesson-cards")


def test_the_print_view_shows_every_card_with_its_screenshot(practice_app: Flask) -> None:
    client: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    for lesson in _lessons_with_cards(practice_app):
        soup = client.page(f"/oefenen/kaarten/{lesson.key}", headers={"Accept-Language": "en"})
        items = soup.select(".lesson-card")
        assert len(items) == len(lesson.scenario.cards), lesson.key
        for item, card in zip(items, lesson.scenario.cards, strict=True):
            assert normalise(item.select_one(".lesson-card__text").get_text()) == card.text_in("en")  # type: ignore[union-attr]
            image = item.find("img")
            assert image is not None and "/en-" in str(image["src"]) and str(image["alt"]).startswith("The screen")
    index = client.page("/oefenen/kaarten/")
    assert len(index.select("main li a")) == len(_lessons_with_cards(practice_app))
    assert client.get("/oefenen/kaarten/bestaat-niet").status_code == 404
