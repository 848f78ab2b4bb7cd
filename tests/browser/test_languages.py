"""The other languages of portal/i18n.py in a real browser: the same journey, translated,
axe-clean, and the right-to-left ones (Arabic) mirrored. (Dutch and English have journeys of
their own.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Browser, Page, expect

from portal.demo.people import PRACTICE_PASSWORD
from portal.i18n import LANGUAGES, RIGHT_TO_LEFT, text_direction
from tests.browser.conftest import LiveServer, browser_locale, new_context
from tests.browser.journeys import NEWEST_SUBJECT_FOR_JOKE, checked

pytestmark = pytest.mark.browser

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
# Browser locale to ask for, the language the portal must answer in, and its direction.
OWN_JOURNEYS = ("nl", "en")
OTHER_LANGUAGES = [(browser_locale(code), code, text_direction(code)) for code in LANGUAGES if code not in OWN_JOURNEYS]


def words(code: str):  # type: ignore[no-untyped-def]
    """The catalogue's word for a Dutch source string, as the page must show it."""
    catalogue = Translations.load(str(TRANSLATIONS), [code], domain="messages")
    assert isinstance(catalogue, Translations), f"no compiled catalogue for {code}"
    return catalogue.gettext


def expect_language(page: Page, code: str, direction: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", direction)


@pytest.mark.parametrize(("locale", "code", "direction"), OTHER_LANGUAGES)
def test_reading_a_letter(  # type: ignore[no-untyped-def]
    browser: Browser, base_url: str, demo_site: LiveServer, locale: str, code: str, direction: str
) -> None:
    _ = words(code)
    context = new_context(browser, base_url, locale=locale)
    page = context.new_page()
    try:
        page.goto("/")
        expect_language(page, code, direction)
        checked(page)
        page.get_by_role("link", name=_("Inloggen met DigiD")).click()
        expect_language(page, code, direction)
        checked(page)
        page.get_by_label(_("Gebruikersnaam")).fill("joke")
        page.get_by_label(_("Wachtwoord")).fill(PRACTICE_PASSWORD)
        page.get_by_role("button", name=_("Inloggen"), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(_("Berichtenbox"))
        expect_language(page, code, direction)
        checked(page)
        page.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE).click()
        expect(page.get_by_role("heading", name=_("Wat moet ik doen?"))).to_be_visible()
        checked(page)
        page.get_by_role("link", name=_("Machtigingen")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(_("Machtigingen"))
        checked(page)
    finally:
        context.close()


@pytest.mark.parametrize("code", sorted(RIGHT_TO_LEFT))
def test_a_right_to_left_language_mirrors_the_layout(
    browser: Browser, base_url: str, demo_site: LiveServer, code: str
) -> None:
    """Right to left (Arabic): the start of a line is on the right, also at 320 px."""
    _ = words(code)
    for viewport in ({"width": 1024, "height": 768}, {"width": 320, "height": 640}):
        context = new_context(browser, base_url, locale=browser_locale(code), viewport=viewport)
        page = context.new_page()
        try:
            page.goto("/")
            expect_language(page, code, "rtl")
            checked(page)
            width = viewport["width"]
            # Where the heading's text stands (a block's box is as wide as the page): in a
            # right-to-left layout it hugs the right edge, not the left one.
            text = page.get_by_role("heading", level=1).evaluate(
                "el => { const r = document.createRange(); r.selectNodeContents(el);"
                " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
            )
            assert width - text[1] < text[0], (viewport, text)
            login = page.get_by_role("link", name=_("Inloggen met DigiD")).bounding_box()
            assert login is not None
            if login["width"] < width / 2:
                # Where the button is narrower than the page, it stands on the right.
                assert width - (login["x"] + login["width"]) < login["x"], (viewport, login)
        finally:
            context.close()
