"""Session timeout without losing anything (WCAG 2.2.1), in a real browser with Playwright's
clock: the dialog two minutes before the 15-minute idle timeout, extending ten times (button
and Escape), and the page after a timeout with the way back to where you were.

The browser's clock is fake; the server's is not. Where the server must see 15 idle minutes,
the test moves the session's ``last_seen_at`` back in the database (the 15 minutes stay true).
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.demo.people import PRACTICE_PASSWORD
from portal.models import LoginSession
from portal.timeutil import as_utc, utcnow
from tests.browser.conftest import LiveServer
from tests.browser.journeys import checked, log_in_with_mouse

FORM_PAGE = "/instellingen/e-mail/adres"
TYPED = "joke.nieuw@voorbeeld.nl"
DIALOG_NAME = "Wilt u ingelogd blijven?"
# The browser's clock when the test starts it, paused so every step is exact.
START = 1_900_000_000_000


def _set_idle(engine: Engine, minutes: float) -> None:
    """The server last saw every open session this long ago."""
    with Session(engine) as db:
        db.execute(
            update(LoginSession)
            .where(LoginSession.ended_at.is_(None))
            .values(last_seen_at=utcnow() - timedelta(minutes=minutes))
        )
        db.commit()


def _seconds_since_seen(engine: Engine) -> float:
    with Session(engine) as db:
        last = db.scalar(select(func.max(LoginSession.last_seen_at)).where(LoginSession.ended_at.is_(None)))
    assert last is not None, "no open session"
    return (utcnow() - as_utc(last)).total_seconds()


def _open_form_with_paused_clock(page: Page) -> None:
    """Logged in as Joke: the e-mail form, loaded at a known moment of a paused clock."""
    log_in_with_mouse(page, "joke", check=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.clock.install(time=START)
    page.clock.pause_at(START + 60_000)  # slack for a slow machine between the two calls
    page.goto(FORM_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw e-mailadres")


def test_dialog_two_minutes_before_and_extending_ten_times(
    page: Page, demo_site: LiveServer, migrated_engine: Engine, csp_watch  # type: ignore[no-untyped-def]
) -> None:
    _open_form_with_paused_clock(page)
    field = page.get_by_label("E-mailadres")
    field.focus()
    dialog = page.get_by_role("dialog", name=DIALOG_NAME)
    stay = dialog.get_by_role("button", name="Ingelogd blijven")

    page.clock.run_for("12:59")
    expect(dialog).to_be_hidden()
    page.clock.run_for("00:01")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Over 2 minuten loggen we u uit")
    expect(stay).to_be_focused()
    page.clock.resume()  # axe needs running timers
    checked(page)
    page.set_viewport_size({"width": 320, "height": 640})  # the phone of the issue: no sideways scrolling
    checked(page)

    for round_ in range(10):
        if round_:
            page.clock.fast_forward("13:00")
            expect(dialog).to_be_visible()
            expect(stay).to_be_focused()
        _set_idle(migrated_engine, 13)  # what the server would have seen
        with page.expect_response(lambda r: r.url.endswith("/sessie/verlengen")) as answer:
            if round_ % 2:
                page.keyboard.press("Escape")
            else:
                stay.click()
        assert answer.value.status == 204
        expect(dialog).to_be_hidden()
        expect(field).to_be_focused()
        assert _seconds_since_seen(migrated_engine) < 60  # the server's idle time started again

    # Still logged in: the next page opens as usual.
    page.get_by_role("link", name="Terug naar E-mail bij nieuwe post").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("U bent uitgelogd")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_after_the_timeout_the_logout_page_explains_and_login_returns_with_the_text(
    page: Page, demo_site: LiveServer, migrated_engine: Engine, csp_watch  # type: ignore[no-untyped-def]
) -> None:
    _open_form_with_paused_clock(page)
    page.get_by_label("E-mailadres").fill(TYPED)
    page.clock.run_for("13:00")
    expect(page.get_by_role("dialog", name=DIALOG_NAME)).to_be_visible()

    # Joke does nothing: 15 minutes pass, for the server too.
    _set_idle(migrated_engine, 15.1)
    page.clock.resume()
    page.clock.fast_forward("02:05")
    expect(page).to_have_url(f"{demo_site.url}/uitgelogd?reden=tijd")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    expect(page.get_by_text("U heeft 15 minuten niets gedaan. Daarom bent u uitgelogd.")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Opnieuw inloggen met DigiD").click()
    page.get_by_label("Gebruikersnaam").fill("joke")
    page.get_by_label("Wachtwoord").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}{FORM_PAGE}")
    expect(page.get_by_label("E-mailadres")).to_have_value(TYPED)

    # Sent and accepted: the draft is gone from the browser.
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail bij nieuwe post")
    page.wait_for_load_state("domcontentloaded")  # deferred scripts have run
    assert page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('portal-concept:'))") == []
