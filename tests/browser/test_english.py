"""The same journeys in English: every page they visit is translated and axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.demo.people import PRACTICE_PASSWORD
from tests.browser.conftest import LiveServer, page_of_own_context
from tests.browser.journeys import NEWEST_SUBJECT_FOR_JOKE, checked, follow_link

pytestmark = pytest.mark.browser


def english_login(page: Page, username: str) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    checked(page)
    page.get_by_role("link", name="Log in with DigiD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Practice DigiD")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    checked(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_reading_a_letter_in_english(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    with page_of_own_context(browser, base_url, locale="en-GB") as page:
        english_login(page, "joke")
        expect(page.get_by_role("heading", level=1)).to_have_text("Message box")
        expect(page.get_by_text("You have 1 new message.")).to_be_visible()
        checked(page)
        page.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE).click()
        expect(page.get_by_role("heading", name="What must I do?")).to_be_visible()
        checked(page)
        page.get_by_role("link", name="Print").click()
        expect(page.get_by_role("link", name="Back to the message")).to_be_visible()
        checked(page)
        page.get_by_role("link", name="Back to the message").click()
        page.get_by_role("button", name="Archive").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Message box")
        checked(page)
        follow_link(page, "Archive", "Archive", exact=True)
        follow_link(page, "Settings", "Settings")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Your choice has been saved.")).to_be_visible()
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are logged out")
        checked(page)


def test_refusal_in_english(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    with page_of_own_context(browser, base_url, locale="en-GB") as page:
        english_login(page, "lotte")
        expect(page.get_by_role("heading", level=1)).to_have_text("You do not have a message box")
        checked(page)


def test_dutch_pages_beyond_the_letter_journey(page: Page, demo_site: LiveServer) -> None:
    """Settings, archive and logout pages in Dutch (the letter journey covers the rest)."""
    from tests.browser.journeys import log_in_with_mouse

    log_in_with_mouse(page, "joke")
    follow_link(page, "Archief", "Archief")
    follow_link(page, "Instellingen", "Instellingen")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    checked(page)


def test_language_menu_works_without_javascript(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    with page_of_own_context(browser, base_url, java_script_enabled=False) as page:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("button", name="Nederlands").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_cases_and_email_settings_in_english(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    with page_of_own_context(browser, base_url, locale="en-GB") as page:
        english_login(page, "joke")
        page.get_by_role("link", name="Running cases").click()
        expect(page).to_have_url(re.compile(r"/zaken/?$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        checked(page)
        page.locator("main a[href^='/zaken/']").first.click()
        expect(page).to_have_url(re.compile(r"/zaken/[^/]+$"))
        checked(page)
        page.get_by_role("link", name="Settings").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
        page.locator("main a[href^='/instellingen/e-mail']").first.click()
        expect(page).to_have_url(re.compile(r"/instellingen/e-mail"))
        checked(page)
