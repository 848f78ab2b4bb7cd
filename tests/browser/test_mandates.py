"""Machtigen in a real browser: Sanne helps her mother Joke.

Sanne asks, Joke approves (online, or offline with the code from her letter), Sanne reads
Joke's letter under the banner, Joke sees that in her log and stops it, and Sanne's very next
click shows she no longer has access. With axe on every page, by keyboard only and at 320 px.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from portal.demo.people import PEOPLE
from portal.domain.mandates import today_in_nl
from portal.timeutil import utcnow
from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import (
    expect_visible_focus,
    tab_to_banner_stop,
    NEWEST_SUBJECT_FOR_JOKE,
    acting_banner,
    checked,
    choose_to_act_for,
    expect_banner,
    expect_chooser,
    expect_no_banner,
    expect_stopped_acting,
    follow_link,
    log_in_with_mouse,
    open_mandates,
)
from tests.browser.test_read_letter import tab_to

pytestmark = pytest.mark.browser

JOKE = "Joke de Vries"
SANNE = "Sanne de Vries"
JOKE_BSN = next(p.bsn for p in PEOPLE if p.username == "joke")
JOKE_SURNAME = "de Vries"
# How long Sanne asks to help: well inside the 5-year limit.
ASKED_DAYS = 365
REQUEST_SUBJECT = f"{SANNE} vraagt om een machtiging"
CODE_PATTERN = re.compile(r"Uw code: ([A-Z0-9]{8})")


@pytest.fixture
def second_context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A second browser, so Sanne and Joke are logged in at the same time."""
    context = new_context(browser, base_url)
    yield context
    context.close()


def ask_joke_for_a_mandate(page: Page, *, check: bool = True) -> None:
    """Sanne, logged in for herself: Machtigingen, then the request form, sent."""
    open_mandates(page, check=check)
    follow_link(page, "Vraag om een machtiging", "Vraag om een machtiging", check=check)
    page.get_by_label("Burgerservicenummer van die persoon").fill(JOKE_BSN)
    page.get_by_label("Achternaam van die persoon").fill(JOKE_SURNAME)
    page.get_by_role("checkbox", name="Berichten lezen").check()
    page.get_by_role("checkbox", name="Lopende zaken bekijken").check()
    page.get_by_role("radio", name="Berichten van alle organisaties").check()
    # The form's first day is today in the Netherlands (between 23:00 and 24:00 UTC that is
    # already tomorrow's date of the machine).
    today = today_in_nl(utcnow())
    expect(page.get_by_label("Eerste dag")).to_have_value(today.isoformat())
    page.get_by_label("Laatste dag").fill((today + timedelta(days=ASKED_DAYS)).isoformat())
    page.get_by_role("button", name="Vraag versturen").click()
    # Issue 16: back on Machtigingen, with the ask as Sanne typed it, never Joke's name.
    expect(page.get_by_role("heading", level=1)).to_have_text("Machtigingen")
    expect(page.get_by_role("status").filter(has_text="Uw vraag is verstuurd.")).to_be_visible()
    helper_side = page.get_by_role("region", name="Voor wie mag ik iets doen")
    expect(helper_side).to_contain_text(f"Burgerservicenummer ******{JOKE_BSN[-3:]}, achternaam {JOKE_SURNAME}")
    expect(helper_side).not_to_contain_text(JOKE)
    if check:
        checked(page)


def approve_request_with_mouse(page: Page) -> None:
    """Joke, logged in: Machtigingen shows Sanne's request; she approves it."""
    open_mandates(page)
    requests = page.get_by_role("region", name="Vragen om een machtiging")
    expect(requests.get_by_role("link", name=SANNE)).to_be_visible()
    request = requests.get_by_role("listitem").filter(has=page.get_by_role("link", name=SANNE))
    expect(request).to_contain_text("Wacht op antwoord")
    request.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Machtiging voor {SANNE}")
    expect(page.get_by_role("status").filter(has_text=f"U heeft de vraag van {SANNE} goedgekeurd.")).to_be_visible()
    expect(page.get_by_text("Geldig")).to_be_visible()
    checked(page)


def read_jokes_newest_letter(page: Page) -> None:
    """Sanne, acting for Joke: the Berichtenbox under the banner, then Joke's newest letter."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    expect_banner(page, JOKE)
    checked(page)
    page.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
    expect(page.get_by_role("heading", name="Wat moet ik doen?")).to_be_visible()
    expect_banner(page, JOKE)
    checked(page)


def test_sanne_asks_joke_approves_and_stops(  # type: ignore[no-untyped-def]
    page: Page, second_context: BrowserContext, demo_site: LiveServer, csp_watch
) -> None:
    sanne = page
    joke = second_context.new_page()

    log_in_with_mouse(sanne, "sanne")
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    ask_joke_for_a_mandate(sanne)

    log_in_with_mouse(joke, "joke", check=False)
    expect(joke.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    approve_request_with_mouse(joke)

    # Sanne's Machtigingen page now lists Joke under "Ik mag iets doen voor"; the chooser has her name.
    sanne.reload()
    expect(sanne.get_by_text("Geldig").first).to_be_visible()
    sanne.get_by_role("link", name="Kies voor wie u iets wilt doen").click()
    expect_chooser(sanne, JOKE)
    choose_to_act_for(sanne, JOKE)
    expect(sanne.get_by_role("status").filter(has_text=f"U doet nu dingen voor {JOKE}.")).to_be_visible()
    expect(acting_banner(sanne)).to_contain_text("Dit is het Burgerportaal van Joke de Vries.")
    expect(acting_banner(sanne)).to_contain_text("berichten lezen")
    read_jokes_newest_letter(sanne)

    # Joke sees what Sanne did, and stops the mandate.
    open_mandates(joke)
    joke.get_by_role("link", name="Wat anderen voor mij deden").click()
    expect(joke.get_by_role("heading", level=1)).to_have_text("Wat anderen voor mij deden")
    lines = joke.get_by_role("region", name="Wat er gebeurde").get_by_role("listitem")
    opened = lines.filter(has_text="Opende een bericht").filter(has_text=SANNE)
    expect(opened).to_have_count(1)
    expect(opened).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
    checked(joke)
    joke.get_by_role("combobox", name="Van wie wilt u de regels zien?").select_option(label=SANNE)
    joke.get_by_role("button", name="Toon regels").click()
    expect(joke.get_by_role("region", name="Wat er gebeurde").get_by_role("listitem").first).to_contain_text(SANNE)
    checked(joke)
    open_mandates(joke)
    helpers = joke.get_by_role("region", name="Wie mag mij helpen")
    helpers.get_by_role("listitem").filter(has=joke.get_by_role("link", name=SANNE)).get_by_role(
        "button", name="Machtiging stoppen"
    ).click()
    expect(joke.get_by_role("status").filter(has_text=f"De machtiging van {SANNE} is gestopt.")).to_be_visible()
    expect(joke.get_by_role("region", name="Gestopt en verlopen")).to_contain_text(SANNE)
    checked(joke)

    # Sanne's very next click: a clear page, not Joke's data.
    sanne.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichtenbox").click()
    expect(sanne.get_by_role("heading", level=1)).to_have_text("U kunt dit niet meer doen voor een ander")
    # The first "machtiging" on the page is followed by its meaning (the glossary).
    lost = re.compile(rf"De machtiging( \(toestemming om dingen voor een ander te regelen\))? voor {JOKE} is gestopt\.")
    expect(sanne.get_by_text(lost)).to_be_visible()
    expect(sanne.get_by_text(NEWEST_SUBJECT_FOR_JOKE)).to_have_count(0)
    checked(sanne)
    sanne.get_by_role("button", name="Verder voor mijzelf").click()
    expect_no_banner(sanne)
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    expect(sanne.get_by_role("status").filter(has_text="U doet nu dingen voor uzelf.")).to_be_visible()
    expect(sanne.get_by_text(f"Ingelogd als {SANNE}")).to_be_visible()
    checked(sanne)


def read_code_from_letter(page: Page) -> str:
    """Joke, logged in: the letter from Burgerportaal with the code, and its print view."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.get_by_role("link", name=REQUEST_SUBJECT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(REQUEST_SUBJECT)
    checked(page)
    found = CODE_PATTERN.search(page.get_by_role("main").inner_text())
    assert found is not None, "No code in the letter"
    code = found.group(1)
    page.get_by_role("link", name="Afdrukken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Afdrukken: {REQUEST_SUBJECT}")
    expect(page.get_by_text(f"Uw code: {code}")).to_be_visible()
    checked(page)
    return code


def test_activation_code_by_keyboard(  # type: ignore[no-untyped-def]
    page: Page, second_context: BrowserContext, demo_site: LiveServer, csp_watch
) -> None:
    """The offline route: Joke reads out the code from her letter; Sanne types it, keyboard only."""
    sanne = page
    joke = second_context.new_page()
    log_in_with_mouse(sanne, "sanne", check=False)
    ask_joke_for_a_mandate(sanne, check=False)

    log_in_with_mouse(joke, "joke", check=False)
    code = read_code_from_letter(joke)

    # Sanne, keyboard only: Code invullen, Joke's BSN and the code.
    open_mandates(sanne, check=False)
    code_link = sanne.get_by_role("link", name="Code invullen")
    tab_to(sanne, code_link)
    expect_visible_focus(code_link)
    sanne.keyboard.press("Enter")
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Code invullen")
    checked(sanne)
    bsn_field = sanne.get_by_label("Burgerservicenummer van die persoon")
    tab_to(sanne, bsn_field)
    expect_visible_focus(bsn_field)
    sanne.keyboard.type(JOKE_BSN)
    sanne.keyboard.press("Tab")
    expect_visible_focus(sanne.get_by_label("Code uit de brief"))
    sanne.keyboard.type(code)
    sanne.keyboard.press("Tab")
    submit = sanne.get_by_role("button", name="Machtiging aanzetten")
    expect_visible_focus(submit)
    sanne.keyboard.press("Enter")
    expect(sanne.get_by_role("heading", level=1)).to_have_text(f"Machtiging van {JOKE}")
    expect(sanne.get_by_role("status").filter(has_text="De code klopt.")).to_be_visible()
    expect(sanne.get_by_text("Geldig")).to_be_visible()
    checked(sanne)

    # On to the chooser, choose Joke, then stop again with the banner's button.
    go = sanne.get_by_role("link", name=f"Iets doen voor {JOKE}")
    tab_to(sanne, go)
    expect_visible_focus(go)
    sanne.keyboard.press("Enter")
    expect_chooser(sanne, JOKE)
    checked(sanne)
    myself = sanne.get_by_role("radio", name="Voor mijzelf")
    tab_to(sanne, myself)
    expect_visible_focus(myself)
    sanne.keyboard.press("ArrowDown")
    joke_choice = sanne.get_by_role("radio", name=f"Voor {JOKE}")
    expect_visible_focus(joke_choice)
    expect(joke_choice).to_be_checked()
    sanne.keyboard.press("Tab")
    expect_visible_focus(sanne.get_by_role("button", name="Verder"))
    sanne.keyboard.press("Enter")
    expect_banner(sanne, JOKE)
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    checked(sanne)
    tab_to_banner_stop(sanne, JOKE)
    sanne.keyboard.press("Space")
    expect_stopped_acting(sanne, JOKE)
    checked(sanne)

    # The code worked once: Joke's request letter is no longer an open question.
    open_mandates(joke)
    expect(joke.get_by_role("region", name="Vragen om een machtiging")).to_contain_text("Er zijn geen vragen om een machtiging.")
    expect(joke.get_by_role("region", name="Wie mag mij helpen")).to_contain_text(SANNE)


def test_at_320_pixels_wide(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    """The request form, the overview, the approval, the chooser and the banner on a small phone."""
    small = {"width": 320, "height": 640}
    sanne_context = new_context(browser, base_url, viewport=small)
    joke_context = new_context(browser, base_url, viewport=small)
    try:
        sanne = sanne_context.new_page()
        joke = joke_context.new_page()
        log_in_with_mouse(sanne, "sanne")
        ask_joke_for_a_mandate(sanne)
        log_in_with_mouse(joke, "joke", check=False)
        approve_request_with_mouse(joke)
        open_mandates(joke)
        open_mandates(sanne)
        expect(sanne.get_by_role("region", name="Voor wie mag ik iets doen")).to_contain_text(JOKE)
        sanne.get_by_role("link", name="Kies voor wie u iets wilt doen").click()
        choose_to_act_for(sanne, JOKE)
        banner = acting_banner(sanne)
        box = banner.bounding_box()
        assert box is not None and box["width"] <= small["width"], box
        checked(sanne)
        read_jokes_newest_letter(sanne)
        # Machtigingen is not for a helper: the menu leaves it out, the banner stays.
        menu = sanne.get_by_role("navigation", name="Hoofdmenu")
        expect(menu.get_by_role("link", name="Berichtenbox")).to_be_visible()
        expect(menu.get_by_role("link", name="Machtigingen")).to_have_count(0)
        banner.get_by_role("button", name=f"Stop met handelen voor {JOKE}").click()
        expect_no_banner(sanne)
        checked(sanne)
    finally:
        sanne_context.close()
        joke_context.close()


def test_joke_takes_away_reading_and_sannes_next_click_says_so(  # type: ignore[no-untyped-def]
    page: Page, second_context: BrowserContext, demo_site: LiveServer, migrated_engine, csp_watch
) -> None:
    """Changing a mandate counts at once: a scope taken away is refused on the next click."""
    from sqlalchemy.orm import Session

    from portal.policy import Scope
    from portal.timeutil import utcnow
    from tests.support.login import account_of
    from tests.support.mandates import make_mandate

    with Session(migrated_engine, expire_on_commit=False) as db:
        mandate = make_mandate(
            db, account_of(db, "joke"), account_of(db, "sanne"), now=utcnow(),
            scopes=[Scope.READ_LETTERS, Scope.VIEW_CASES],
        )
    sanne, joke = page, second_context.new_page()
    log_in_with_mouse(sanne, "sanne", check=False)
    expect_chooser(sanne, JOKE)
    choose_to_act_for(sanne, JOKE, check=False)
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Berichtenbox")

    log_in_with_mouse(joke, "joke", check=False)
    joke.goto(f"/machtigingen/{mandate.id}")
    checked(joke)
    joke.get_by_role("link", name="Wijzigen").click()
    expect(joke.get_by_role("heading", level=1)).to_have_text(f"Machtiging van {SANNE} wijzigen")
    checked(joke)
    joke.get_by_label("Berichten lezen").uncheck()
    joke.get_by_role("button", name="Wijziging opslaan").click()
    expect(joke.get_by_role("status").filter(has_text=f"De machtiging van {SANNE} is gewijzigd.")).to_be_visible()
    checked(joke)

    # Sanne's page still shows the menu of before; her next click is refused.
    sanne.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichtenbox").click()
    expect(sanne.get_by_role("heading", level=1)).to_have_text(f"Dit mag u niet doen voor {JOKE}")
    expect(sanne.get_by_text(NEWEST_SUBJECT_FOR_JOKE)).to_have_count(0)
    checked(sanne)
    expect(acting_banner(sanne)).to_contain_text("U mag: lopende zaken bekijken.")


DRAFT_FIELDS = ("() => Object.keys(sessionStorage).filter(k => k.startsWith('portal-concept:'))"
                ".map(k => JSON.parse(sessionStorage.getItem(k)).fields)")


def test_the_draft_never_keeps_the_activation_code(  # type: ignore[no-untyped-def]
    page: Page, demo_site: LiveServer, csp_watch
) -> None:
    """Issue 16, item 6: what Sanne types is kept as a draft in the tab (sessionStorage), so a
    timeout loses nothing; the code from the letter never is (autocomplete one-time-code)."""
    typed_code = "K7QP3WXA"
    log_in_with_mouse(page, "sanne", check=False)
    page.goto("/machtigingen/activeren")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    expect(page.get_by_label("Code uit de brief")).to_have_attribute("autocomplete", "one-time-code")
    page.get_by_label("Burgerservicenummer van die persoon").fill(JOKE_BSN)
    page.get_by_label("Code uit de brief").fill(typed_code)
    assert page.evaluate(DRAFT_FIELDS) == [{"bsn": JOKE_BSN}]
    # Sent and refused (Sanne asked nothing): the form again, and still no code in the draft.
    page.get_by_role("button", name="Machtiging aanzetten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    page.wait_for_load_state("domcontentloaded")  # deferred scripts have run
    assert all("code" not in fields for fields in page.evaluate(DRAFT_FIELDS))
    assert typed_code not in page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage))")
