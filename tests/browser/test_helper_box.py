"""Sanne's view of Joke's Berichtenbox when several letters are not for helpers (issue #18,
item 3): one line with their count instead of a wall of identical links, right with and
without JavaScript and after the list is updated in place; axe-clean; and the newest letter
she may read is still four key presses away (item 6)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Letter
from portal.timeutil import utcnow
from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import (
    MOST_PRESSES_TO_THE_NEWEST_LETTER,
    checked,
    choose_to_act_for,
    log_in_with_mouse,
    newest_letter_by_keyboard,
)
from tests.support.login import account_of
from tests.support.mandates import make_mandate

pytestmark = pytest.mark.browser

JOKE = "Joke de Vries"
WITHHELD_LINE = re.compile(rf"^\d+ bericht(en)? (is|zijn) alleen voor {JOKE}\. Alleen {JOKE} kan (het|ze) lezen\.$")


def sanne_helps_joke_with_three_private_letters(live_server: LiveServer) -> dict[str, object]:
    """Joke gives Sanne a machtiging; her three newest letters are not for helpers."""
    with Session(live_server.app.extensions["portal.engine"], expire_on_commit=False) as db:
        joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
        make_mandate(db, joke, sanne, now=utcnow())
        box = list(db.scalars(
            select(Letter).where(Letter.account_id == joke.id, Letter.archived.is_(False))
            .order_by(Letter.placed_at.desc(), Letter.id.desc())
        ))
        for letter in box[:3]:
            letter.not_for_helpers = True
        db.commit()
        return {
            "newest_readable": box[3].subject,
            "private_sender": box[0].organisation.name,
            "private_sender_id": box[0].organisation_id,
        }


def withheld_in_box(live_server: LiveServer, organisation_id: int | None = None) -> int:
    """How many of Joke's letters in her Berichtenbox are not for helpers (the portal's
    notice of Sanne's first use is one of them, once she has used the machtiging)."""
    with Session(live_server.app.extensions["portal.engine"]) as db:
        query = select(func.count(Letter.id)).where(
            Letter.account_id == account_of(db, "joke").id,
            Letter.archived.is_(False),
            Letter.not_for_helpers.is_(True),
        )
        if organisation_id is not None:
            query = query.where(Letter.organisation_id == organisation_id)
        return db.scalar(query) or 0


def expected_line(count: int) -> str:
    if count == 1:
        return f"1 bericht is alleen voor {JOKE}. Alleen {JOKE} kan het lezen."
    return f"{count} berichten zijn alleen voor {JOKE}. Alleen {JOKE} kan ze lezen."


def expect_one_line(page: Page, count: int) -> None:
    lines = page.get_by_text(WITHHELD_LINE)
    expect(lines).to_have_count(1)
    expect(lines).to_have_text(expected_line(count))
    expect(page.get_by_role("link", name="Bericht alleen voor", exact=False)).to_have_count(0)


def test_the_helpers_box_shows_one_line_for_the_letters_not_for_helpers(  # type: ignore[no-untyped-def]
    page: Page, demo_site: LiveServer, csp_watch
) -> None:
    facts = sanne_helps_joke_with_three_private_letters(demo_site)
    log_in_with_mouse(page, "sanne", check=False)
    choose_to_act_for(page, JOKE, check=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.reload()  # Sanne's first use has now been recorded (and its notice placed)
    page.wait_for_load_state("load")
    expect_one_line(page, withheld_in_box(demo_site))
    assert withheld_in_box(demo_site) == 4
    expect(page.get_by_role("link", name=str(facts["newest_readable"]))).to_be_visible()
    checked(page)

    # Filtering updates the list in place; the line follows the filter.
    page.get_by_label("Van welke organisatie?").select_option(label=str(facts["private_sender"]))
    expect(page).to_have_url(re.compile(r"[?&]van="))
    expect_one_line(page, withheld_in_box(demo_site, int(str(facts["private_sender_id"]))))
    checked(page)
    page.get_by_label("Van welke organisatie?").select_option(label="Alle organisaties")
    expect_one_line(page, 4)

    # The newest letter she may read: four presses from the box's load.
    page.goto("/berichten/")
    page.wait_for_load_state("load")
    presses = newest_letter_by_keyboard(page, str(facts["newest_readable"]))
    assert presses <= MOST_PRESSES_TO_THE_NEWEST_LETTER
    checked(page)


def test_the_line_without_javascript(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    facts = sanne_helps_joke_with_three_private_letters(demo_site)
    context = new_context(browser, base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in_with_mouse(page, "sanne", check=False)
        choose_to_act_for(page, JOKE, check=False)
        expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
        page.reload()
        expect_one_line(page, 4)
        expect(page.get_by_role("link", name=str(facts["newest_readable"]))).to_be_visible()
        page.get_by_label("Van welke organisatie?").select_option(label=str(facts["private_sender"]))
        page.get_by_role("button", name="Toon berichten").click()
        expect(page).to_have_url(re.compile(r"[?&]van="))
        expect_one_line(page, withheld_in_box(demo_site, int(str(facts["private_sender_id"]))))
    finally:
        context.close()
