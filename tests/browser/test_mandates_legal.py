"""Kees Bakker is bewindvoerder (a court decision, no approval) for three clients: he switches
between them, each box under its own banner, and stops. By mouse, by keyboard only and at
320 px, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.demo.people import PEOPLE
from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import (
    expect_visible_focus,
    tab_to_banner_stop,
    MANDATE_CHOOSER_TITLE,
    acting_banner,
    checked,
    choose_to_act_for,
    expect_banner,
    expect_chooser,
    expect_stopped_acting,
    log_in_with_mouse,
    open_mandates,
    stop_acting_with_mouse,
)
from tests.browser.test_read_letter import tab_to

pytestmark = pytest.mark.browser

NAMES = {p.username: p.full_name for p in PEOPLE}
KEES = NAMES["kees"]
HENK = NAMES["henk"]
FATIMA = NAMES["fatima"]
WIM = NAMES["wim"]
# The newest letter in each client's box (portal/demo/mailboxes.py), to tell the boxes apart.
NEWEST_FOR = {
    HENK: "Uw aanslag inkomstenbelasting",
    FATIMA: "Verkeersboete: te hard gereden",
    WIM: "Uw zorgpolis",
}
KEES_NEWEST = "Uw pensioenoverzicht"


def expect_box_of(page: Page, name: str) -> None:
    """The Berichtenbox of ``name`` under the banner, with none of the other clients' letters."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    expect_banner(page, name)
    expect(acting_banner(page)).to_contain_text(f"Dit is het Burgerportaal van {name}.")
    expect(page.get_by_role("link", name=NEWEST_FOR[name])).to_be_visible()
    for other, subject in NEWEST_FOR.items():
        if other != name:
            expect(page.get_by_role("link", name=subject)).to_have_count(0)


def expect_kees_chooser(page: Page) -> None:
    expect_chooser(page, HENK, FATIMA, WIM)
    for name in (HENK, FATIMA, WIM):
        # The hint under each choice says in which role, and is read with the choice.
        expect(page.get_by_role("radio", name=f"Voor {name}")).to_have_accessible_description(
            re.compile(r"^U bent bewindvoerder\. U mag: berichten lezen")
        )


def arrow_to(page: Page, target, limit: int = 10) -> None:  # type: ignore[no-untyped-def]
    """Press ArrowDown in a radio group until ``target`` has focus (and so is checked)."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("ArrowDown")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"ArrowDown never reached {target}")


def test_bewindvoerder_switches_between_clients(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "kees")
    expect_kees_chooser(page)
    expect(page.get_by_role("radio", name="Voor mijzelf")).to_be_checked()
    checked(page)

    choose_to_act_for(page, HENK)
    expect_box_of(page, HENK)
    checked(page)
    # A court decision without an end date: the banner gives no last day.
    expect(acting_banner(page)).not_to_contain_text("Tot en met")
    page.get_by_role("link", name=NEWEST_FOR[HENK]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_FOR[HENK])
    expect_banner(page, HENK)
    checked(page)

    # Switch: stop for Henk with the banner's button (back in his own box), then choose Fatima.
    stop_acting_with_mouse(page, HENK)
    expect(page.get_by_role("link", name=KEES_NEWEST)).to_be_visible()
    checked(page)
    open_mandates(page)
    page.get_by_role("link", name="Kies voor wie u iets wilt doen").click()
    expect_kees_chooser(page)
    choose_to_act_for(page, FATIMA)
    expect_box_of(page, FATIMA)
    checked(page)

    # Or straight from the chooser (its address; no menu link while acting), without stopping first.
    page.goto("/handelen-voor")
    expect(page.get_by_role("heading", level=1)).to_have_text(MANDATE_CHOOSER_TITLE)
    expect_banner(page, FATIMA)
    expect(page.get_by_role("radio", name=f"Voor {FATIMA}")).to_be_checked()
    choose_to_act_for(page, WIM)
    expect_box_of(page, WIM)
    # Wim's decision has an end date: the banner says until when.
    expect(acting_banner(page)).to_contain_text("Tot en met")
    checked(page)

    # As representative Kees manages Wim's mandates; the court's own cannot be stopped here.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Machtigingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Machtigingen")
    helpers = page.get_by_role("region", name=f"Wie mag {WIM} helpen")
    expect(helpers).to_contain_text(KEES)
    expect(helpers).to_contain_text("Wettelijke vertegenwoordiging (bewindvoerder)")
    expect(helpers.get_by_role("button", name="Machtiging stoppen")).to_have_count(0)
    expect_banner(page, WIM)
    checked(page)

    stop_acting_with_mouse(page, WIM)
    expect(page.get_by_text(f"Ingelogd als {KEES}")).to_be_visible()
    # His own box: his own newest letter, not Fatima's fine.
    expect(page.get_by_role("link", name=KEES_NEWEST)).to_be_visible()
    expect(page.get_by_role("link", name=NEWEST_FOR[FATIMA])).to_have_count(0)
    checked(page)


def test_bewindvoerder_by_keyboard(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "kees", check=False)
    expect_kees_chooser(page)
    myself = page.get_by_role("radio", name="Voor mijzelf")
    tab_to(page, myself)
    expect_visible_focus(myself)
    fatima = page.get_by_role("radio", name=f"Voor {FATIMA}")
    arrow_to(page, fatima)
    expect_visible_focus(fatima)
    expect(fatima).to_be_checked()
    page.keyboard.press("Tab")
    expect_visible_focus(page.get_by_role("button", name="Verder"))
    page.keyboard.press("Enter")
    expect_box_of(page, FATIMA)
    checked(page)

    # The banner comes right after the skip link; Shift+Tab goes back, Tab forward again.
    stop = tab_to_banner_stop(page, FATIMA)
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    expect_visible_focus(stop)
    page.keyboard.press("Enter")
    expect_stopped_acting(page, FATIMA)
    checked(page)


def test_bewindvoerder_at_320_pixels_wide(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        log_in_with_mouse(page, "kees")
        expect_kees_chooser(page)
        choose_to_act_for(page, WIM)
        expect_box_of(page, WIM)
        checked(page)
        page.get_by_role("link", name=NEWEST_FOR[WIM]).click()
        expect_banner(page, WIM)
        checked(page)
        stop_acting_with_mouse(page, WIM)
        checked(page)
    finally:
        context.close()


def test_the_citizens_log_says_a_withheld_letter_was_seen_not_opened(
    page: Page, demo_site: LiveServer, csp_watch  # type: ignore[no-untyped-def]
) -> None:
    """Issue 18, item 1: Kees, for Henk, opens the letter that is only for Henk; Henk's log
    says what Kees was shown, and the letter is still new in Henk's box."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from portal.models import Letter
    from tests.support.login import account_of

    with Session(demo_site.app.extensions["portal.engine"]) as db:
        henk = account_of(db, "henk")
        private = db.scalars(
            select(Letter).where(Letter.account_id == henk.id).order_by(Letter.placed_at.desc())
        ).first()
        assert private is not None
        private.not_for_helpers = True  # the sender marked it "only for Henk"
        db.commit()
        subject, letter_url = private.subject, f"/berichten/{private.id}"
    log_in_with_mouse(page, "kees")
    choose_to_act_for(page, HENK)
    page.goto(letter_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bericht alleen voor {HENK}")
    checked(page)
    page.get_by_role("button", name="Uitloggen").click()
    log_in_with_mouse(page, "henk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    expect(page.get_by_role("link", name=subject)).to_be_visible()
    open_mandates(page)
    page.get_by_role("link", name="Wat anderen voor mij deden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat anderen voor mij deden")
    checked(page)
    line = page.locator(".audit-line").filter(has_text=KEES).first
    expect(line).to_contain_text("Zag dat er een bericht alleen voor u is, maar kon het niet openen")
    expect(line).not_to_contain_text("Opende een bericht")
