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
    # A step that clicked a link must first wait for the new page (expect its heading); this
    # wait then lets that page finish loading before it is measured.
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"Horizontal scrolling on {page.url}: {widths}"


def follow_link(page: Page, name: str, heading: str, *, exact: bool = False, check: bool = True) -> None:
    """Click the link called ``name``; the page it opens has the main heading ``heading``.
    ``check=False`` where the page runs without JavaScript: axe cannot run there."""
    page.get_by_role("link", name=name, exact=exact).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if check:
        checked(page)


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


# --- Machtigen (mandates): steps shared by test_mandates.py and test_mandates_legal.py ---

MANDATE_CHOOSER_TITLE = "Voor wie wilt u iets doen?"


def open_mandates(page: Page, *, check: bool = True) -> None:
    """From any portal page: Machtigingen in the main menu."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Machtigingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Machtigingen")
    if check:
        checked(page)


def expect_chooser(page: Page, *names: str) -> None:
    """The page after login for someone who may act for others: "for myself" and each name."""
    expect(page.get_by_role("heading", level=1)).to_have_text(MANDATE_CHOOSER_TITLE)
    chooser = page.get_by_role("group", name=MANDATE_CHOOSER_TITLE)
    expect(chooser.get_by_role("radio", name="Voor mijzelf")).to_be_visible()
    for name in names:
        expect(chooser.get_by_role("radio", name=f"Voor {name}")).to_be_visible()


def choose_to_act_for(page: Page, name: str, *, check: bool = True) -> None:
    """On the chooser: pick "Voor <name>" and go on; the banner then says whose portal it is."""
    expect(page.get_by_role("heading", level=1)).to_have_text(MANDATE_CHOOSER_TITLE)
    if check:
        checked(page)
    page.get_by_role("radio", name=f"Voor {name}").check()
    page.get_by_role("button", name="Verder").click()
    expect_banner(page, name)


def acting_banner(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("region", name="U doet dit voor", exact=False)


def expect_banner(page: Page, name: str) -> None:
    banner = acting_banner(page)
    expect(banner).to_have_count(1)
    expect(banner.get_by_text(f"U doet dit voor {name}")).to_be_visible()
    expect(banner.get_by_role("button", name=f"Stop met handelen voor {name}")).to_be_visible()


def expect_no_banner(page: Page) -> None:
    expect(acting_banner(page)).to_have_count(0)


def stop_acting_with_mouse(page: Page, name: str) -> None:
    """The banner's stop button: back in one's own Berichtenbox, told for whom one stopped."""
    acting_banner(page).get_by_role("button", name=f"Stop met handelen voor {name}").click()
    expect_stopped_acting(page, name)


def expect_stopped_acting(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    expect(
        page.get_by_role("status").filter(has_text=f"U doet niets meer voor {name}. Dit is weer uw eigen Berichtenbox.")
    ).to_be_visible()
    expect_no_banner(page)


def expect_visible_focus(locator) -> None:  # type: ignore[no-untyped-def]
    """Keyboard focus is on ``locator`` and drawn: an outline or a ring around it."""
    expect(locator).to_be_focused()
    drawn = locator.evaluate(
        """el => {
             const s = getComputedStyle(el);
             return el.matches(':focus-visible')
               && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none');
           }"""
    )
    assert drawn, "Focus is not visible"


def tab_to_banner_stop(page: Page, name: str):  # type: ignore[no-untyped-def]
    """The banner comes right after the skip link: its stop button is the second Tab."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    stop = acting_banner(page).get_by_role("button", name=f"Stop met handelen voor {name}")
    expect_visible_focus(stop)
    return stop


# --- The keyboard from a box page to its newest letter (issue #18, item 6) ---

# From the box's load: Tab to the skip link, Enter, Tab, Enter.
MOST_PRESSES_TO_THE_NEWEST_LETTER = 4


class Keyboard:
    """The keyboard of a journey: counts its presses and, while the page stays, checks that
    each stop has a visible focus indicator."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.presses = 0

    def press(self, key: str, *, leaves_the_page: bool = False) -> None:
        self.page.keyboard.press(key)
        self.presses += 1
        if not leaves_the_page:
            expect_visible_focus(self.page.locator(":focus"))


def newest_letter_by_keyboard(page: Page, subject: str) -> int:
    """From a box page just loaded: open the letter ``subject`` (the newest the person may
    open) by keyboard only; returns the presses it took."""
    keys = Keyboard(page)
    keys.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    keys.press("Enter")  # to the list itself, not to the top of the page's content
    expect(page.locator("#lijst-kop")).to_be_focused()
    keys.press("Tab")
    expect(page.get_by_role("link", name=subject)).to_be_focused()
    keys.press("Enter", leaves_the_page=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text(subject)
    return keys.presses
