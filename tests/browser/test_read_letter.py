"""Joke logs in through the practice DigiD and reads her newest letter and its attachment."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import (
    MOST_PRESSES_TO_THE_NEWEST_LETTER,
    NEWEST_SUBJECT_FOR_JOKE,
    checked,
    log_in_with_mouse,
    newest_letter_by_keyboard,
)

pytestmark = pytest.mark.browser


def read_newest_letter_with_mouse(page: Page, *, check: bool = True) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    expect(page.get_by_text("U heeft 1 nieuw bericht.")).to_be_visible()
    if check:
        checked(page)
    first = page.get_by_role("listitem").filter(has_text="Nieuw").first
    first.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
    expect(page.get_by_role("heading", name="Wat moet ik doen?")).to_be_visible()
    if check:
        checked(page)


def download_first_attachment(page: Page) -> bytes:
    link = page.get_by_role("link", name=".pdf").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = download.path()
    assert download.suggested_filename.endswith(".pdf")
    return path.read_bytes()


def test_mouse(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "joke")
    read_newest_letter_with_mouse(page)
    content = download_first_attachment(page)
    assert content.startswith(b"%PDF-")


def test_keyboard_only(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    # R11: the first thing after the skip link is the DigiD login.
    expect(page.get_by_role("link", name="Inloggen met DigiD")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Oefen-DigiD")
    tab_to(page, page.get_by_label("Gebruikersnaam"))
    page.keyboard.type("joke")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    page.keyboard.type("oefenen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    tab_to(page, page.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
    attachment = page.get_by_role("link", name=".pdf").first
    tab_to(page, attachment)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.path().read_bytes().startswith(b"%PDF-")


def test_the_newest_letter_is_four_key_presses_from_the_inbox(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.goto("/berichten/")  # the count starts when the inbox has loaded
    page.wait_for_load_state("load")
    checked(page)
    presses = newest_letter_by_keyboard(page, NEWEST_SUBJECT_FOR_JOKE)
    assert presses <= MOST_PRESSES_TO_THE_NEWEST_LETTER
    checked(page)
    # The archive is a list page too.
    page.goto("/berichten/archief")
    page.wait_for_load_state("load")
    checked(page)
    newest_archived = page.locator(".letter-row__subject a").first.inner_text()
    assert newest_letter_by_keyboard(page, newest_archived) <= MOST_PRESSES_TO_THE_NEWEST_LETTER


def tab_to(page: Page, target, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until ``target`` has focus; fail if it takes more than ``limit`` presses."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_without_javascript(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in_with_mouse(page, "joke", check=False)
        read_newest_letter_with_mouse(page, check=False)
        assert download_first_attachment(page).startswith(b"%PDF-")
        # Archive and back, by plain form posts.
        page.get_by_role("button", name="Archiveren").click()
        expect(page.get_by_role("status").filter(has_text="Het bericht staat nu in het archief.")).to_be_visible()
        page.get_by_role("link", name="Archief").click()
        page.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE).click()
        page.get_by_role("button", name="Terugzetten naar de Berichtenbox").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Archief")
        expect(page.get_by_role("status").filter(has_text="weer in de Berichtenbox")).to_be_visible()
    finally:
        context.close()


def test_at_320_pixels_wide(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, viewport={"width": 320, "height": 568})
    page = context.new_page()
    try:
        page.goto("/")
        button = page.get_by_role("link", name="Inloggen met DigiD")
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 568, box
        alternative = page.get_by_role("link", name="Inloggen met een Europees erkend middel")
        alt_box = alternative.bounding_box()
        assert alt_box is not None and alt_box["y"] + alt_box["height"] <= 568, alt_box
        log_in_with_mouse(page, "joke")
        read_newest_letter_with_mouse(page)
        assert download_first_attachment(page).startswith(b"%PDF-")
        page.get_by_role("link", name="Afdrukken").click()
        expect(page.get_by_role("link", name="Terug naar het bericht")).to_be_visible()
        checked(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("lotte", "U bent jonger dan 14 jaar."),
        ("klaus", "U woont niet in Nederland. U heeft ook niet de Nederlandse nationaliteit."),
        ("noor", "We kunnen uw gegevens niet vinden."),
    ],
)
def test_people_without_an_account_get_a_kind_page(
    page: Page, demo_site: LiveServer, username: str, reason: str
) -> None:
    log_in_with_mouse(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("U heeft geen Berichtenbox")
    expect(page.get_by_text(reason)).to_be_visible()
    expect(page.get_by_text("U heeft niets fout gedaan.")).to_be_visible()
    checked(page)
    page.goto("/berichten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
