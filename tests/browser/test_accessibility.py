"""Beyond axe, in every language of portal/i18n.py: every page of Joke's journey (start, practice DigiD,
Berichtenbox, a letter and its print view, the archive, cases and a case, personal data,
settings, e-mail, machtigen and its log, help, logged out) gets axe and the checks axe cannot
do (tests/support/a11y.py): Tab order and visible, unobscured focus without traps; 320 px and
200% text; WCAG text spacing; reduced motion; forced colours. Arabic also mirrors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.people import PRACTICE_PASSWORD
from portal.i18n import text_direction
from portal.models import Case, Letter
from tests.browser.conftest import LiveServer, browser_locale, languages_for_this_run, new_context
from tests.browser.test_languages import words
from tests.support import a11y
from tests.support.axe import assert_accessible
from tests.support.login import account_of
from tests.support.mandates import make_mandate
from portal.timeutil import utcnow

pytestmark = pytest.mark.browser



class Sweep:
    """What one language's journey has proved by screenshot: kinds of controls whose focus
    was seen to be drawn, normally and in forced colours (each kind is proved once)."""

    def __init__(self) -> None:
        self.focus_seen: set[str] = set()
        self.forced_seen: set[str] = set()

    def check(self, page: Page) -> None:
        """One page: axe, keyboard, reflow and 200% text, reduced motion, forced colours and
        last text spacing (it changes the page's styles)."""
        assert_accessible(page)
        a11y.keyboard_walk(page, self.focus_seen)
        a11y.check_reflow(page)
        a11y.check_reduced_motion(page)
        a11y.check_forced_colours(page, self.forced_seen)
        a11y.check_text_spacing(page)


def joke_pages(live_server: LiveServer) -> list[str]:
    """The addresses of Joke's journey after login, from her demo box."""
    with Session(live_server.app.extensions["portal.engine"]) as db:
        account = account_of(db, "joke")
        letter = db.scalars(
            select(Letter).where(Letter.account_id == account.id).order_by(Letter.placed_at.desc())
        ).first()
        case = db.scalars(select(Case).where(Case.account_id == account.id)).first()
        assert letter is not None and case is not None
        return [
            "/berichten/",
            f"/berichten/{letter.id}",
            f"/berichten/{letter.id}/afdrukken",
            "/berichten/archief",
            "/zaken/",
            f"/zaken/{case.id}",
            "/gegevens",
            "/instellingen",
            "/instellingen/e-mail",
            "/instellingen/e-mail/adres",
            "/machtigingen/",
            "/machtigingen/geven",
            "/machtigingen/logboek",
            "/hulp",
        ]


@pytest.mark.parametrize("code", languages_for_this_run())
def test_every_page_of_the_journey_beyond_axe(
    browser: Browser, base_url: str, demo_site: LiveServer, code: str
) -> None:
    _: Callable[[str], str] = words(code) if code != "nl" else (lambda text: text)
    context = new_context(browser, base_url, locale=browser_locale(code), viewport={"width": 1280, "height": 800})
    page = context.new_page()
    visited = 0
    sweep = Sweep()
    all_checks = sweep.check
    try:
        def expect_page() -> None:
            expect(page.locator("html")).to_have_attribute("lang", code)
            expect(page.locator("html")).to_have_attribute("dir", text_direction(code))

        page.goto("/")
        expect_page()
        all_checks(page)
        page.reload()
        page.get_by_role("link", name=_("Inloggen met DigiD")).click()
        expect(page.get_by_label(_("Gebruikersnaam"))).to_be_visible()
        all_checks(page)
        page.reload()
        page.get_by_label(_("Gebruikersnaam")).fill("joke")
        page.get_by_label(_("Wachtwoord")).fill(PRACTICE_PASSWORD)
        page.get_by_role("button", name=_("Inloggen"), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(_("Berichtenbox"))
        visited = 2
        for path in joke_pages(demo_site):
            page.goto(path)
            expect_page()
            all_checks(page)
            visited += 1
        page.goto("/berichten/")
        page.get_by_role("navigation", name=_("Hoofdmenu")).get_by_role("button", name=_("Uitloggen")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(_("U bent uitgelogd"))
        expect_page()
        all_checks(page)
        visited += 1
    finally:
        context.close()
    assert visited == 17


def log_in_as(page: Page, username: str, _: Callable[[str], str]) -> None:
    page.goto("/")
    page.get_by_role("link", name=_("Inloggen met DigiD")).click()
    page.get_by_label(_("Gebruikersnaam")).fill(username)
    page.get_by_label(_("Wachtwoord")).fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name=_("Inloggen"), exact=True).click()


def sanne_helps_joke(live_server: LiveServer) -> dict[str, str]:
    """Joke gives Sanne a machtiging; one of Joke's letters is not for helpers."""
    with Session(live_server.app.extensions["portal.engine"], expire_on_commit=False) as db:
        joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
        mandate = make_mandate(db, joke, sanne, now=utcnow())
        letter = db.scalars(select(Letter).where(Letter.account_id == joke.id)).first()
        assert letter is not None
        letter.not_for_helpers = True
        db.commit()
        return {"mandate": str(mandate.id), "letter": str(letter.id)}


@pytest.mark.parametrize("code", languages_for_this_run())
def test_the_pages_of_helpers_representatives_and_staff_beyond_axe(
    browser: Browser, base_url: str, demo_site: LiveServer, code: str
) -> None:
    """The other pages: a helper's (asking, the code, what I did, a machtiging received, a
    letter that is not for helpers, the banner), the citizen's view of one machtiging and its
    change form, the representative's chooser, the help desk, the kind refusal, the European
    login and a missing page."""
    _: Callable[[str], str] = words(code) if code != "nl" else (lambda text: text)
    ids = sanne_helps_joke(demo_site)
    sweep = Sweep()
    mandate, letter = ids["mandate"], ids["letter"]
    # Who visits which page, with the status the page must have.
    visits: dict[str | None, list[tuple[str, int]]] = {
        None: [("/inloggen/europees", 200)],
        "lotte": [],  # the kind page for someone without a Berichtenbox, right after login
        "joke": [(f"/machtigingen/{mandate}", 200), (f"/machtigingen/{mandate}/wijzigen", 200),
                 ("/bestaat-niet", 404), ("/balie/", 403)],  # 403: the kind "only for staff" page
        "sanne": [("/machtigingen/vragen", 200), ("/machtigingen/activeren", 200),
                  ("/machtigingen/mijn-acties", 200), (f"/machtigingen/gekregen/{mandate}", 200)],
        "kees": [],  # the chooser, right after login
        "marieke": [("/balie/", 200)],
    }
    checked_pages = 0
    for username, paths in visits.items():
        context = new_context(browser, base_url, locale=browser_locale(code), viewport={"width": 1280, "height": 800})
        page = context.new_page()
        try:
            if username is not None:
                log_in_as(page, username, _)
                expect(page.locator("h1")).to_be_visible()
                if username in ("lotte", "kees", "sanne"):
                    # Where a login lands: the refusal, or the chooser of whom to act for.
                    sweep.check(page)
                    checked_pages += 1
            for path, status in paths:
                response = page.goto(path)
                assert response is not None and response.status == status, path
                expect(page.locator("html")).to_have_attribute("lang", code)
                sweep.check(page)
                checked_pages += 1
            if username == "sanne":
                # Acting for Joke: the banner on every page, and her letter that is not for helpers.
                page.goto("/handelen-voor")
                page.locator(f"input[name=voor][value='{mandate}']").check()
                page.locator("form button[type=submit]").first.click()
                expect(page.locator("html")).to_have_attribute("lang", code)
                for path in ("/berichten/", f"/berichten/{letter}"):
                    page.goto(path)
                    sweep.check(page)
                    checked_pages += 1
        finally:
            context.close()
    assert checked_pages == 15
