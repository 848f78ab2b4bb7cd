"""The pushes of issue 10, item 4, in a real browser: a letter placed during the lesson
appears in the learner's open Berichtenbox without a reload and is announced once (with
JavaScript), or is there on the next page (without); and "Uw e-mail" shows the e-mail about
it. The mail view passes axe and the checks beyond axe in every language of the run.

A live server in practice mode with a short poll (``INBOX_POLL_SECONDS``, ``practice_server`` in tests/browser/conftest.py), beside the
normal one, on the same database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.demo.people import PRACTICE_PASSWORD
from portal.models import PracticeSandbox
from portal.practice import browser as practice_browser
from portal.practice import sandboxes
from tests.browser.conftest import PRACTICE_POLL_SECONDS, LiveServer, browser_locale, languages_for_this_run, new_context
from tests.browser.test_accessibility import Sweep
from tests.support.axe import assert_accessible
from tests.browser.test_languages import words
from tests.notifications.support import letter_with_email
from tests.support.practice import account_in

pytestmark = pytest.mark.browser

ARRIVAL_TIMEOUT_MS = 5_000
SUBJECT = "Geheim onderwerp Q7"  # tests/notifications/support.py: the letter letter_with_email places


def _sandbox_id(context: BrowserContext, engine: Engine) -> int:
    token = next(cookie["value"] for cookie in context.cookies() if cookie["name"] == practice_browser.COOKIE_NAME)
    with Session(engine) as db:
        found = db.scalar(select(PracticeSandbox.id).where(PracticeSandbox.token_hash == sandboxes.token_hash(token)))
    assert found is not None
    return found


def _place_letter_with_email(engine: Engine, sandbox_id: int) -> None:
    """What a trainer's push does: a letter through the domain, with its e-mail queued."""
    from portal.timeutil import utcnow

    with Session(engine) as db:
        joke = account_in(db, sandbox_id, "joke")
        letter_with_email(db, joke.id, "joke@oefenen.example", utcnow())
        db.commit()


def _begin(page: Page, _: Callable[[str], str]) -> None:
    page.goto("/oefenen/")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=_("Begin met oefenen")).click()
    expect(page.get_by_role("link", name=_("Inloggen met DigiD"))).to_be_visible()


def _log_in_as_joke(page: Page) -> None:
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.get_by_label("Gebruikersnaam").fill("joke")
    page.get_by_label("Wachtwoord").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")


def _dutch(text: str) -> str:
    return text


def test_a_pushed_letter_appears_in_the_open_inbox_and_is_announced(
    browser: Browser, practice_server: LiveServer, demo_site: LiveServer, migrated_engine: Engine
) -> None:
    context = new_context(browser, practice_server.url)
    page = context.new_page()
    try:
        _begin(page, _dutch)
        _log_in_as_joke(page)
        rows = page.locator("#brieven > li")
        before = rows.count()
        lead = page.locator("#aantal-nieuw")
        lead_before = lead.inner_text()
        first_link = page.locator("#brieven a").first
        focused_href = first_link.get_attribute("href")
        first_link.focus()
        assert page.evaluate("document.activeElement.getAttribute('href')") == focused_href
        _place_letter_with_email(migrated_engine, _sandbox_id(context, migrated_engine))

        expect(rows.first).to_contain_text(SUBJECT, timeout=ARRIVAL_TIMEOUT_MS)
        expect(rows).to_have_count(before + 1)
        status = page.get_by_role("status").filter(has_text="Er is 1 nieuw bericht.")
        expect(status).to_have_count(1)
        expect(page.locator("#lijst-status")).to_have_attribute("role", "status")
        expect(lead).not_to_have_text(lead_before)
        # Nothing took the focus: it is still on the link the learner was on.
        assert page.evaluate("document.activeElement.outerHTML.slice(0, 120)").find(str(focused_href)) >= 0
        # Polled again and again, the letter is there once.
        page.wait_for_timeout(int(PRACTICE_POLL_SECONDS * 3 * 1000))
        expect(page.locator("#brieven > li").filter(has_text=SUBJECT)).to_have_count(1)

        # The e-mail about it is in "Uw e-mail", waiting for the worker.
        page.get_by_role("region", name="Oefenomgeving", exact=True).get_by_role("link", name="Uw e-mail").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Uw e-mail")
        expect(page.locator("main .letter-row")).to_have_count(1)
        expect(page.locator("main .letter-row")).to_contain_text("Nog niet verstuurd")
    finally:
        context.close()


def test_without_javascript_the_letter_is_there_on_the_next_page(
    browser: Browser, practice_server: LiveServer, demo_site: LiveServer, migrated_engine: Engine
) -> None:
    context = new_context(browser, practice_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _begin(page, _dutch)
        _log_in_as_joke(page)
        expect(page.get_by_text(SUBJECT)).to_have_count(0)
        _place_letter_with_email(migrated_engine, _sandbox_id(context, migrated_engine))
        page.wait_for_timeout(int(PRACTICE_POLL_SECONDS * 3 * 1000))
        expect(page.get_by_text(SUBJECT)).to_have_count(0)  # no script: nothing changes by itself
        page.get_by_role("link", name="Berichtenbox").first.click()
        expect(page.locator("#brieven > li").first).to_contain_text(SUBJECT)
    finally:
        context.close()


@pytest.mark.parametrize("code", languages_for_this_run())
def test_the_mail_view_beyond_axe(
    browser: Browser, practice_server: LiveServer, demo_site: LiveServer, migrated_engine: Engine, code: str
) -> None:
    """The whole sweep empty and on the e-mail itself; axe with an e-mail waiting."""
    _: Callable[[str], str] = words(code) if code != "nl" else _dutch
    context = new_context(browser, practice_server.url, locale=browser_locale(code),
                          viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sweep = Sweep()
    try:
        _begin(page, _)
        page.goto("/oefenen/e-mail")
        expect(page.get_by_role("heading", level=1)).to_have_text(_("Uw e-mail"))
        expect(page.get_by_text(_("Er zijn nog geen e-mails."))).to_be_visible()
        sweep.check(page)
        _place_letter_with_email(migrated_engine, _sandbox_id(context, migrated_engine))
        page.goto("/oefenen/e-mail")
        expect(page.get_by_text(_("Nog niet verstuurd"), exact=True)).to_be_visible()
        assert_accessible(page)  # the same page as above, with a row
        page.locator("main .letter-row a").first.click()
        expect(page.get_by_role("link", name=_("Terug naar uw e-mail"))).to_be_visible()
        sweep.check(page)
    finally:
        context.close()


def test_polling_is_no_activity_for_the_timeout_dialog(
    page: Page, demo_site: LiveServer, migrated_engine: Engine
) -> None:
    """On a real citizen's portal (the poll every 20 s): the polls of 13 minutes do not move
    the dialog, and while it is open nothing is polled."""
    from tests.browser.journeys import log_in_with_mouse

    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/berichten/nieuw" in request.url else None)
    log_in_with_mouse(page, "joke", check=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.clock.install(time=1_900_000_000_000)
    page.clock.pause_at(1_900_000_060_000)
    page.goto("/berichten/")
    expect(page.locator("#nieuwe-post")).to_have_count(1)
    dialog = page.get_by_role("dialog", name="Wilt u ingelogd blijven?")
    # 38 polls, each answered (the server's answers come in real time), then 12:59 in all.
    for _ in range(38):
        with page.expect_response(lambda response: "/berichten/nieuw" in response.url) as answer:
            page.clock.run_for(20_000)
        assert answer.value.status == 204
    page.clock.run_for("00:19")
    expect(dialog).to_be_hidden()
    asked = len(polls)
    # 38 answered above; a 39th may have gone out in the last 19 s, as the interval counts
    # from the page's own start, a moment after the clock was paused. Either way the dialog
    # did not move, and none may go out while it is open (below).
    assert asked in (38, 39), asked
    page.clock.run_for("00:01")
    expect(dialog).to_be_visible()
    page.clock.run_for("01:00")
    page.wait_for_timeout(500)
    assert len(polls) == asked, "polled while the timeout dialog was open"
