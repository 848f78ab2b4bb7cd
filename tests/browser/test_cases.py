"""Joke follows her running cases (Lopende Zaken): she opens the one that changed.

In Dutch, with axe on every page, by mouse, by keyboard, at 320 px and without JavaScript.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import checked, log_in_with_mouse
from tests.browser.test_read_letter import tab_to

pytestmark = pytest.mark.browser

CHANGED_CASE = "Aanvraag huurtoeslag"


def open_changed_case(page: Page, *, check: bool = True) -> None:
    """From any portal page: the case list, then the case that changed."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Lopende zaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lopende zaken")
    expect(page.get_by_text("Bij 1 zaak is iets veranderd.")).to_be_visible()
    if check:
        checked(page)
    changed = page.get_by_role("listitem").filter(has_text="Gewijzigd")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Doe iets vóór")
    changed.get_by_role("link", name=CHANGED_CASE).click()
    read_case(page, check=check)


def read_case(page: Page, *, check: bool = True) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(CHANGED_CASE)
    expect(page.get_by_role("heading", name="Wat moet ik doen?")).to_be_visible()
    expect(page.get_by_text("Stuur ons een kopie van uw huurcontract.").first).to_be_visible()
    steps = page.get_by_role("list", name="De stappen")
    expect(steps.get_by_role("listitem")).to_have_count(3)
    expect(steps.locator('[aria-current="step"]')).to_contain_text("Gegevens controleren")
    expect(steps.locator('[aria-current="step"]')).to_contain_text("Nu bezig")
    if check:
        checked(page)


def back_to_list_without_changes(page: Page) -> None:
    page.get_by_role("link", name="Terug naar Lopende zaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lopende zaken")
    expect(page.get_by_text("U heeft 2 lopende zaken.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Gewijzigd")).to_have_count(0)


def test_mouse(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    open_changed_case(page)
    back_to_list_without_changes(page)
    checked(page)
    # The closed case keeps its history and leads to its letter.
    page.get_by_role("link", name="Aanvraag zorgtoeslag").click()
    expect(page.get_by_text("U hoeft niets meer te doen. Deze zaak is afgerond.")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Voorschot zorgtoeslag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorschot zorgtoeslag")


def test_keyboard_only(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "joke", check=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    tab_to(page, page.get_by_role("link", name="Lopende zaken"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lopende zaken")
    tab_to(page, page.get_by_role("link", name=CHANGED_CASE))
    page.keyboard.press("Enter")
    read_case(page)
    tab_to(page, page.get_by_role("link", name="Terug naar Lopende zaken"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lopende zaken")


def test_at_320_pixels_wide(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, viewport={"width": 320, "height": 568})
    page = context.new_page()
    try:
        log_in_with_mouse(page, "joke")
        open_changed_case(page)
        back_to_list_without_changes(page)
        checked(page)
    finally:
        context.close()


def test_without_javascript(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in_with_mouse(page, "joke", check=False)
        open_changed_case(page, check=False)
        back_to_list_without_changes(page)
    finally:
        context.close()
