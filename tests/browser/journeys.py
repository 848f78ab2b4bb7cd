"""Steps of the journeys, in the words a screen-reader user would use (roles and labels)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from portal.demo.people import PRACTICE_PASSWORD
from tests.support.axe import assert_accessible

NEWEST_SUBJECT_FOR_JOKE = "Uw aanslag inkomstenbelasting"


def checked(page: Page) -> None:
    """Every page a journey visits: no horizontal scrolling at its width, and axe-clean."""
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"Horizontal scrolling on {page.url}: {widths}"


def log_in_with_mouse(page: Page, username: str, *, check: bool = True) -> None:
    """``check=False`` where the page runs without JavaScript: axe cannot run there."""
    page.goto("/")
    if check:
        checked(page)
    page.get_by_role("link", name="Inloggen met DigiD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Oefen-DigiD")
    if check:
        checked(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
