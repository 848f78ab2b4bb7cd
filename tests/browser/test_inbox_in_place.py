"""htmx makes archiving, paging and filtering update the list in place (same page, no reload),
and a logged-out person is sent back to the start."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Organisation
from portal.demo.seed import add_letters_for_benchmark
from portal.timeutil import utcnow
from tests.browser.conftest import LiveServer
from tests.browser.journeys import checked, log_in_with_mouse
from tests.support.login import account_of

pytestmark = pytest.mark.browser


def mark_page(page: Page) -> None:
    """A flag that survives in-place updates but not a full page load. Set once the page has
    loaded: before that htmx may not have taken over the forms (a busy machine), and a click
    would send the form the plain way."""
    page.wait_for_load_state("load")
    page.evaluate("() => { window.__samePage = true; }")


def still_same_page(page: Page) -> bool:
    return bool(page.evaluate("() => window.__samePage === true"))


def test_archive_in_place(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    mark_page(page)
    rows = page.locator(".letter-row")
    before = rows.count()
    second = rows.nth(1)
    subject = second.get_by_role("link").inner_text()
    second.get_by_role("button", name="Archiveren").click()
    expect(page.locator("#lijst-status")).to_have_text("Het bericht staat nu in het archief.")
    expect(rows).to_have_count(before - 1)
    expect(page.get_by_role("link", name=subject)).to_have_count(0)
    # Focus moves to the list heading, not lost at the top of the page.
    expect(page.locator("#lijst-kop")).to_be_focused()
    assert still_same_page(page)
    checked(page)


def test_paging_and_filter_in_place(
    page: Page, demo_site: LiveServer, migrated_engine, csp_watch  # type: ignore[no-untyped-def]
) -> None:
    with Session(migrated_engine, expire_on_commit=False) as db:
        account = account_of(db, "joke")
        organisations = list(db.scalars(select(Organisation).order_by(Organisation.name)))
        add_letters_for_benchmark(db, account.id, [o.id for o in organisations], 45, utcnow())
        db.commit()
    log_in_with_mouse(page, "joke")
    mark_page(page)
    first_subject = page.locator(".letter-row__subject a").first.inner_text()
    page.get_by_role("link", name="Oudere berichten").click()
    expect(page).to_have_url(re.compile(r"[?&]na="))
    expect(page.locator(".letter-row__subject a").first).not_to_have_text(first_subject)
    expect(page.locator("#lijst-kop")).to_be_focused()
    assert still_same_page(page)
    checked(page)
    page.get_by_role("link", name="Nieuwere berichten").click()
    expect(page.locator(".letter-row__subject a").first).to_have_text(first_subject)
    # Filtering: choosing an organisation updates the list without pressing the button.
    name = organisations[0].name
    page.get_by_label("Van welke organisatie?").select_option(label=name)
    expect(page).to_have_url(re.compile(r"[?&]van="))
    senders = page.locator(".letter-row__sender")
    expect(senders.first).to_contain_text(name)
    for text in senders.all_inner_texts():
        assert name in text
    assert still_same_page(page)
    # The URL pushed into history gives the same full page when loaded directly.
    page.reload()
    expect(page.get_by_label("Van welke organisatie?")).to_have_value(str(organisations[0].id))
    checked(page)


def test_logout_and_back_button_show_nothing_personal(page: Page, demo_site: LiveServer) -> None:
    log_in_with_mouse(page, "joke")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    checked(page)
    page.go_back()
    page.reload()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Berichtenbox")
    page.goto("/berichten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
