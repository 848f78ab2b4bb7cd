"""Hulp nodig?: from the start page by keyboard only to the help page, find the nearest
Informatiepunten by postcode; the same at 320 px wide, and after login. axe on every page."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import checked, log_in_with_mouse
from tests.browser.test_read_letter import tab_to

POSTCODE = "3511 AB"
NEAREST = "Bibliotheek Utrecht Neude"


def find_help_points_by_keyboard(page: Page) -> None:
    """On the start page: Tab to "Hulp nodig?", Enter; type a postcode, Enter; three points."""
    tab_to(page, page.get_by_role("contentinfo").get_by_role("link", name="Hulp nodig?"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulp nodig?")
    checked(page)
    tab_to(page, page.get_by_label("Uw postcode"))
    page.keyboard.type(POSTCODE)
    page.keyboard.press("Enter")
    results = page.get_by_role("list", name=f"Informatiepunten dicht bij {POSTCODE}")
    expect(results.get_by_role("listitem")).to_have_count(3)
    expect(results.get_by_role("heading", level=4).first).to_have_text(NEAREST)
    expect(page.get_by_label("Uw postcode")).to_have_value(POSTCODE)
    checked(page)


def test_help_by_keyboard_only(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    checked(page)
    find_help_points_by_keyboard(page)
    # The disclosure opens with the keyboard, in place.
    summary = page.get_by_text("Wat is een Informatiepunt Digitale Overheid?")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Een medewerker kijkt samen met u naar uw vraag.")).to_be_visible()
    checked(page)


def test_help_at_320_pixels_wide(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto("/")
        checked(page)
        find_help_points_by_keyboard(page)
        # A wrong postcode: the error summary and the field's own message, nothing cut off.
        field = page.get_by_label("Uw postcode")
        field.fill("0123")
        page.get_by_role("button", name="Zoek een Informatiepunt").click()
        expect(page).to_have_title("Fout: Hulp nodig? – Burgerportaal")
        # The summary at the top takes focus, and its link leads to the field.
        expect(page.get_by_role("alert")).to_be_focused()
        expect(page.get_by_role("alert").get_by_role("link")).to_have_text(
            "Een postcode begint nooit met een 0. Kijk of de cijfers goed zijn.")
        expect(page.get_by_label("Uw postcode")).to_have_value("0123")
        checked(page)
        page.keyboard.press("Tab")
        expect(page.get_by_role("alert").get_by_role("link")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_label("Uw postcode")).to_be_focused()
    finally:
        context.close()


def test_help_after_login_is_in_the_same_place(page: Page, demo_site: LiveServer) -> None:
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.get_by_role("contentinfo").get_by_role("link", name="Hulp nodig?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulp nodig?")
    expect(page.get_by_role("link", name="Iemand machtigen")).to_be_visible()
    checked(page)
