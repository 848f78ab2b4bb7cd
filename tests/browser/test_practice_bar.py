"""Practice mode in a real browser (issue 10, items 1 and 2): the bar on the start page, the
practice page, the practice DigiD's login and the Berichtenbox is a named landmark, axe-clean,
the second Tab stop after the skip link, and readable at 320 px, at 200% text and in forced
colours. A learner begins a lesson, logs in as the lesson's person, starts again; the practice
page passes axe and the checks beyond axe in every language of the run.

A second live server runs the same database in practice mode, beside the normal one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.demo.people import PRACTICE_PASSWORD
from portal.i18n import text_direction
from tests.browser.conftest import LiveServer, browser_locale, languages_for_this_run, new_context
from tests.browser.test_accessibility import Sweep
from tests.browser.test_languages import words
from tests.support import a11y
from tests.support.axe import assert_accessible

BAR_NAME = "Oefenomgeving"
BAR_TEXT = "Oefenomgeving: dit zijn geen echte gegevens"


@pytest.fixture
def practice_page(browser: Browser, practice_server: LiveServer, demo_site: LiveServer) -> Iterator[Page]:
    context = new_context(browser, practice_server.url)
    page = context.new_page()
    yield page
    context.close()


def check_bar(page: Page) -> None:
    """The bar as a screen reader finds it, axe-clean, right after the skip link, and whole
    at 320 px, at 200% text and in forced colours."""
    bar = page.get_by_role("region", name=BAR_NAME, exact=True)
    expect(bar).to_have_count(1)
    expect(bar).to_contain_text(BAR_TEXT)
    expect(bar.get_by_role("link", name="Wat is dit?")).to_be_visible()
    assert_accessible(page)
    # Tab: first the skip link (it stays the first stop), then "Wat is dit?" in the bar.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class("skip-link")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Wat is dit?")
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": 320, "height": 640})
    expect(bar).to_be_in_viewport()
    box = bar.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    page.set_viewport_size(size)
    a11y.check_reflow(page)
    a11y.check_forced_colours(page)


def test_a_learner_begins_logs_in_and_starts_again(practice_page: Page) -> None:
    page = practice_page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_bar(page)

    bar = page.get_by_role("region", name=BAR_NAME, exact=True)
    bar.get_by_role("link", name="Begin met oefenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oefenen")
    check_bar(page)
    page.get_by_role("button", name="Begin met oefenen").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies een les.")
    page.get_by_role("radio", name="Beginnen", exact=False).check()
    page.get_by_role("button", name="Begin met oefenen").click()
    expect(page.get_by_role("status")).to_contain_text("U kunt beginnen")

    page.get_by_role("link", name="Inloggen met DigiD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Oefen-DigiD")
    check_bar(page)
    accounts = page.get_by_role("table")
    expect(accounts.get_by_role("row")).to_have_count(2)  # the header and this lesson's Joke
    expect(accounts).to_contain_text("joke")

    page.get_by_label("Gebruikersnaam").fill("joke")
    page.get_by_label("Wachtwoord").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    check_bar(page)

    page.get_by_role("region", name=BAR_NAME, exact=True).get_by_role("button", name="Opnieuw beginnen").click()
    expect(page.get_by_role("status")).to_contain_text("Alles staat weer zoals aan het begin")
    expect(page.get_by_role("link", name="Inloggen met DigiD")).to_be_visible()
    check_bar(page)

    page.get_by_role("region", name=BAR_NAME, exact=True).get_by_role("link", name="Wat is dit?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat is de oefenomgeving?")
    check_bar(page)


def test_the_normal_portal_beside_it_has_no_bar(page: Page, demo_site: LiveServer, practice_server: LiveServer) -> None:
    page.goto(demo_site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("region", name=BAR_NAME, exact=True)).to_have_count(0)


@contextmanager
def _sweep_in(browser: Browser, server: LiveServer, code: str, path: str) -> Iterator[tuple[Page, Sweep]]:
    """A page of its own in language ``code`` at ``path``, in that language, checked once."""
    context = new_context(browser, server.url, locale=browser_locale(code), viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sweep = Sweep()
    try:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.locator("html")).to_have_attribute("dir", text_direction(code))
        sweep.check(page)
        yield page, sweep
    finally:
        context.close()


def _words(code: str) -> Callable[[str], str]:
    return words(code) if code != "nl" else (lambda text: text)


@pytest.mark.parametrize("code", languages_for_this_run())
def test_the_practice_page_beyond_axe(browser: Browser, practice_server: LiveServer, code: str) -> None:
    """The whole sweep before beginning; axe with the error of no lesson chosen, and once begun
    (the same page, other parts shown)."""
    _ = _words(code)
    with _sweep_in(browser, practice_server, code, "/oefenen/") as (page, sweep):
        page.reload()
        page.get_by_role("button", name=_("Begin met oefenen")).click()
        expect(page.get_by_role("alert")).to_contain_text(_("Kies een les."))
        assert_accessible(page)
        page.goto("/oefenen/")
        page.get_by_role("radio").first.check()
        page.get_by_role("button", name=_("Begin met oefenen")).click()
        page.goto("/oefenen/")
        expect(page.get_by_role("button", name=_("Stoppen met oefenen"))).to_be_visible()
        assert_accessible(page)


@pytest.mark.parametrize("code", languages_for_this_run())
def test_the_trainer_pages_beyond_axe(browser: Browser, practice_server: LiveServer, code: str) -> None:
    """The whole sweep on Een les geven and on the console with a learner; axe with their
    errors (no lesson chosen, a wrong lesson code)."""
    _ = _words(code)
    contexts = [new_context(browser, practice_server.url, locale=browser_locale(code),
                            viewport={"width": 1280, "height": 800}) for _n in range(2)]
    trainer, learner = (context.new_page() for context in contexts)
    sweep = Sweep()
    try:
        trainer.goto("/oefenen/trainer")
        expect(trainer.locator("html")).to_have_attribute("lang", code)
        sweep.check(trainer)
        trainer.reload()
        trainer.get_by_role("button", name=_("Begin de les")).click()
        expect(trainer.get_by_role("alert")).to_contain_text(_("Kies een les."))
        assert_accessible(trainer)
        trainer.reload()
        trainer.get_by_role("group", name=_("Welke les geeft u?")).get_by_role("radio").first.check()
        trainer.get_by_role("group", name=_("Hoe lang duurt de les?")).get_by_role("radio").nth(1).check()
        trainer.get_by_role("button", name=_("Begin de les")).click()
        class_code = trainer.locator(".practice-codes__code").first.inner_text().strip()

        learner.goto("/oefenen/")
        learner.get_by_label(_("Lescode")).fill("QQQQQQ")
        learner.get_by_role("button", name=_("Meedoen"), exact=True).click()
        expect(learner.get_by_role("alert")).to_be_visible()
        assert_accessible(learner)
        learner.get_by_label(_("Lescode")).fill(class_code)
        learner.get_by_label(_("Hoe wilt u heten in de les?")).fill("Anna")
        learner.get_by_role("button", name=_("Meedoen"), exact=True).click()
        expect(learner.get_by_role("status")).to_contain_text("Anna")

        trainer.reload()
        expect(trainer.locator("#deelnemers")).to_contain_text("Anna")
        sweep.check(trainer)
    finally:
        for context in contexts:
            context.close()


@pytest.mark.parametrize("code", languages_for_this_run())
def test_the_lesson_cards_beyond_axe(browser: Browser, practice_server: LiveServer, code: str) -> None:
    with _sweep_in(browser, practice_server, code, "/oefenen/kaarten/") as (page, sweep):
        page.reload()
        page.locator("main").get_by_role("link").first.click()
        expect(page.locator(".lesson-card").first).to_be_visible()
        expect(page.locator(".lesson-card img").first).to_have_attribute("src", re.compile(f"/{code}-1.jpg$"))
        sweep.check(page)
