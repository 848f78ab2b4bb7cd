"""The error pattern on every form that can come back with errors, in all six languages.

Each form is sent with wrong or missing input. Then: "Fout: " starts the page title; the
error summary is the first thing in <main> and has focus; each link in it leads, by
keyboard, to its field; each field is marked invalid and has its own message (the same
words, after a hidden "Fout:"); the message says how to fix it; what was typed is still
there; and axe finds nothing. One login per language keeps this fast: Marieke (help-desk
staff) holds a mandate from Joke, so she also gets the chooser, and she gave one to Sanne
to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.demo.people import PRACTICE_PASSWORD
from portal.domain.mandates import MAX_YEARS
from portal.i18n import LANGUAGES, text_direction
from portal.mandates.forms import organisations
from portal.policy import HELPER_SCOPES, Scope
from portal.timeutil import utcnow
from tests.browser.conftest import CspWatch, LiveServer, languages_for_this_run
from tests.browser.journeys import checked
from tests.support.login import account_of
from tests.support.mandates import make_mandate

pytestmark = pytest.mark.browser

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
# Messages that would not tell anyone what to do.
USELESS_MESSAGES = {"ongeldig", "fout", "ongeldige invoer", "verplicht"}
MIN_WORDS = 4


def words(code: str):  # type: ignore[no-untyped-def]
    """The compiled catalogue (what the server shows) as a gettext function; Dutch is the source."""
    if code == "nl":
        return lambda text: text
    catalogue = Translations.load(str(TRANSLATIONS), [code], domain="messages")
    assert isinstance(catalogue, Translations), f"no compiled catalogue for {code}"
    return catalogue.gettext


@dataclass
class Problem:
    """One expected error: the id the summary links to and the Dutch message (with its values)."""

    target: str
    message: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class Journey:
    """What one language run needs: the catalogue, the page and the data made for it."""

    page: Page
    code: str
    mandate_to_change: str
    first_organisation: int

    def __post_init__(self) -> None:
        self._ = words(self.code)

    def field(self, field_id: str, dutch_label: str) -> Locator:
        """By its label in Dutch (as a screen-reader user finds it); by id in other languages."""
        if self.code == "nl":
            located = self.page.get_by_label(dutch_label, exact=True)
            expect(located).to_have_attribute("id", field_id)
            return located
        return self.page.locator(f"#{field_id}")

    def press(self, dutch_name: str) -> None:
        self.page.get_by_role("main").get_by_role("button", name=self._(dutch_name), exact=True).click()


# Everything about the summary and its fields in one look (one round trip to the browser).
_READ_ERRORS = """() => {
  const main = document.querySelector('main');
  const summary = main.querySelector('[role=alert]');
  // A text as read, without a glossary word's meaning in brackets (portal/help/glossary.py).
  const words = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.term-meaning').forEach(m => m.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  const description = id => {
    const el = document.getElementById(id);
    if (!el) return null;
    const hidden = el.firstElementChild;
    return {text: words(el),
            hidden: hidden && hidden.classList.contains('visually-hidden') ? hidden.textContent.trim() : null};
  };
  return {
    firstInMain: [...main.children].filter(el => !el.classList.contains('notice'))[0] === summary,
    links: [...summary.querySelectorAll('a')].map(a => {
      const id = (a.getAttribute('href') || '').replace(/^#/, '');
      const field = document.getElementById(id);
      const choice = !!field && (field.type === 'radio' || field.type === 'checkbox');
      // A choice in a group: the group (its fieldset) carries the message.
      const owner = choice ? field.closest('fieldset') : field;
      const described = owner ? (owner.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean) : [];
      return {href: a.getAttribute('href'), text: words(a), sameId: document.querySelectorAll(`[id="${id}"]`).length,
              choice, invalid: field && field.getAttribute('aria-invalid'), descriptions: described.map(description)};
    }),
  };
}"""


def expect_error_pattern(
    journey: Journey, problems: list[Problem], kept: dict[str, str]
) -> None:
    """The whole pattern on the page a form came back on. ``kept``: field id -> the value typed.

    A text field carries aria-invalid and names its own message. A choice in a group (radio
    buttons, checkboxes) does not: ARIA does not support aria-invalid on a radio button and one
    "invalid" per checkbox is noise; its fieldset names the message, read on entering the group.
    """
    page, _ = journey.page, journey._
    prefix = _("Fout:")
    expect(page).to_have_title(re.compile("^" + re.escape(prefix + " ")))
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name=_("Er is een probleem")))
    expect(summary).to_have_count(1)
    expect(summary).to_have_attribute("data-error-summary", "")
    expect(summary).to_be_focused()
    expect(page.locator("html")).to_have_attribute("lang", journey.code)

    found = page.evaluate(_READ_ERRORS)
    assert found["firstInMain"], f"the error summary is not the first thing in <main> on {page.url}"
    assert len(found["links"]) == len(problems), found["links"]
    for problem, link in zip(problems, found["links"], strict=True):
        message = _(problem.message) % problem.values if problem.values else _(problem.message)
        # It says how to fix it (checked on the Dutch source; the other languages translate it).
        assert len(problem.message.split()) >= MIN_WORDS, problem.message
        assert problem.message.strip(" .").lower() not in USELESS_MESSAGES, problem.message
        assert link["href"] == f"#{problem.target}", link
        assert link["text"] == message, link
        assert link["sameId"] == 1, f"#{problem.target} is not one element on the page: {link}"
        if not link["choice"]:
            assert link["invalid"] == "true", f"#{problem.target} lacks aria-invalid: {link}"
        own = [d for d in link["descriptions"] if d and d["text"] == f"{prefix} {message}"]
        assert own, f"#{problem.target} is not described by '{prefix} {message}': {link}"
        assert own[0]["hidden"] == prefix, f"the message of #{problem.target} lacks a hidden '{prefix}'"

    # By keyboard: from the summary, Tab to each link and press Enter; focus lands on the field.
    links = summary.get_by_role("link")
    for index, problem in enumerate(problems):
        link = links.nth(index)
        summary.focus()
        for _step in range(index + 1):
            page.keyboard.press("Tab")
        expect(link).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator(f"[id='{problem.target}']")).to_be_focused()

    typed = page.evaluate("ids => ids.map(id => document.getElementById(id).value)", list(kept))
    assert typed == list(kept.values()), f"what was typed is lost: {dict(zip(kept, typed, strict=True))}"
    checked(page)


# --- the forms, in the order one person meets them -------------------------------------------

def help_postcode(journey: Journey) -> None:
    """Public: the Informatiepunt search on the help page (where the language was chosen)."""
    expect(journey.page).to_have_url(re.compile(r"/hulp$"))
    journey.field("postcode", "Uw postcode").fill("0123 AB")
    journey.press("Zoek een Informatiepunt")
    expect_error_pattern(
        journey,
        [Problem("postcode", "Een postcode begint nooit met een 0. Kijk of de cijfers goed zijn.")],
        {"postcode": "0123 AB"},
    )


def practice_digid_wrong_password(journey: Journey) -> None:
    """The practice DigiD: the same pattern without JavaScript (autofocus on the summary)."""
    page, _ = journey.page, journey._
    page.goto("/")
    page.get_by_role("link", name=_("Inloggen met DigiD")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Inloggen bij Oefen-DigiD"))
    journey.field("username", "Gebruikersnaam").fill("marieke")
    journey.field("password", "Wachtwoord").fill("niet-" + PRACTICE_PASSWORD)
    journey.press("Inloggen")
    dutch = ("De gebruikersnaam of het wachtwoord is niet juist. Let op hoofdletters "
             "en spaties, en probeer het opnieuw.")
    expect_error_pattern(journey, [Problem("username", dutch)], {"username": "marieke", "password": ""})
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    journey.field("password", "Wachtwoord").fill(PRACTICE_PASSWORD)
    journey.press("Inloggen")


def chooser_without_choice(journey: Journey) -> None:
    """For whom to act, sent without a choice (the page checks "for myself"; a stale or
    changed page can still send none)."""
    page, _ = journey.page, journey._
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Voor wie wilt u iets doen?"))
    page.locator("input[name=voor]").evaluate_all("radios => radios.forEach(r => { r.checked = false; })")
    journey.press("Verder")
    expect_error_pattern(journey, [Problem("keuze-mijzelf", "Kies voor wie u iets wilt doen.")], {})
    journey.field("keuze-mijzelf", "Voor mijzelf").check()
    journey.press("Verder")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Berichtenbox"))


def helpdesk_without_scope(journey: Journey) -> None:
    page = journey.page
    page.goto("/balie/")
    for scope in HELPER_SCOPES:
        page.locator(f"#scope-{scope.value}").uncheck()
    journey.press("Verder")
    first = f"scope-{HELPER_SCOPES[0].value}"
    expect_error_pattern(journey, [Problem(first, "Kies wat u voor de bezoeker wilt doen.")], {})
    for scope in HELPER_SCOPES:  # nothing was chosen, and nothing is chosen for the person
        expect(page.locator(f"#scope-{scope.value}")).not_to_be_checked()


def email_address(journey: Journey) -> None:
    journey.page.goto("/instellingen/e-mail/adres")
    journey.field("email", "E-mailadres").fill("marieke.voorbeeld.nl")
    journey.press("Stuur de link")
    expect_error_pattern(
        journey, [Problem("email", "Vul een e-mailadres in zoals naam@voorbeeld.nl.")],
        {"email": "marieke.voorbeeld.nl"},
    )


def too_late(start: date) -> str:
    return (start + timedelta(days=366 * (MAX_YEARS + 1))).isoformat()


def grant(journey: Journey) -> None:
    page = journey.page
    page.goto("/machtigingen/geven")
    journey.field("bsn", "Burgerservicenummer van de helper").fill("999900019")
    journey.field("achternaam", "Achternaam van de helper").fill("de Vries")
    journey.field(f"taak-{Scope.READ_LETTERS.value}", "Berichten lezen").check()
    journey.field("berichten-deze", "Alleen berichten van deze organisaties:").check()
    end = too_late(date.today())
    journey.field("einddatum", "Laatste dag").fill(end)
    journey.press("Machtiging aanbieden")
    expect_error_pattern(
        journey,
        [
            Problem("bsn", "Dit burgerservicenummer bestaat niet. Kijk of u het goed heeft getypt."),
            Problem(f"organisatie-{journey.first_organisation}",
                    "Kies één of meer organisaties. Of kies dat de helper alle berichten mag lezen."),
            Problem("einddatum", "Een machtiging geldt hooguit %(years)d jaar. Kies een eerdere einddatum.",
                    {"years": MAX_YEARS}),
        ],
        {"bsn": "999900019", "achternaam": "de Vries", "einddatum": end},
    )
    expect(page.locator(f"#taak-{Scope.READ_LETTERS.value}")).to_be_checked()
    expect(page.locator("#berichten-deze")).to_be_checked()


def request(journey: Journey) -> None:
    journey.page.goto("/machtigingen/vragen")
    journey.field("bsn", "Burgerservicenummer van die persoon").fill("9999 0000 6")
    journey.field("achternaam", "Achternaam van die persoon").fill("de Vries")
    journey.press("Vraag versturen")
    expect_error_pattern(
        journey,
        [
            Problem("bsn", "Een burgerservicenummer heeft 9 cijfers. Vul alleen die 9 cijfers in, "
                           "zonder punten of spaties."),
            Problem(f"taak-{HELPER_SCOPES[0].value}", "Kies minstens één ding dat de helper mag doen."),
            Problem("einddatum", "Vul de einddatum in. Een machtiging geldt nooit zonder einde."),
        ],
        {"bsn": "9999 0000 6", "achternaam": "de Vries"},
    )


def activate(journey: Journey) -> None:
    journey.page.goto("/machtigingen/activeren")
    journey.field("bsn", "Burgerservicenummer van die persoon").fill("999900006")
    journey.press("Machtiging aanzetten")
    expect_error_pattern(journey, [Problem("code", "Vul de code uit de brief in.")], {"bsn": "999900006"})


def change(journey: Journey) -> None:
    page = journey.page
    page.goto(f"/machtigingen/{journey.mandate_to_change}/wijzigen")
    for scope in HELPER_SCOPES:
        page.locator(f"#taak-{scope.value}").uncheck()
    end = too_late(date.today())
    journey.field("einddatum", "Laatste dag").fill(end)
    journey.press("Wijziging opslaan")
    expect_error_pattern(
        journey,
        [
            Problem(f"taak-{HELPER_SCOPES[0].value}", "Kies minstens één ding dat de helper mag doen."),
            Problem("einddatum", "Een machtiging geldt hooguit %(years)d jaar. Kies een eerdere einddatum.",
                    {"years": MAX_YEARS}),
        ],
        {"einddatum": end},
    )


def prepare(engine: Engine) -> tuple[str, int]:
    """Joke gave Marieke a mandate (so Marieke gets the chooser); Marieke gave Sanne one."""
    with Session(engine, expire_on_commit=False) as db:
        now = utcnow()
        marieke = account_of(db, "marieke")
        make_mandate(db, account_of(db, "joke"), marieke, now=now)
        to_change = make_mandate(db, marieke, account_of(db, "sanne"), now=now,
                                 scopes=[Scope.READ_LETTERS, Scope.VIEW_CASES])
        return str(to_change.id), organisations(db)[0].id


@pytest.mark.parametrize("code", languages_for_this_run())
def test_every_form_shows_the_error_pattern(  # type: ignore[no-untyped-def]
    page: Page, demo_site: LiveServer, migrated_engine: Engine, csp_watch: CspWatch, code: str
) -> None:
    mandate_id, first_organisation = prepare(migrated_engine)
    journey = Journey(page, code, mandate_id, first_organisation)

    # The language menu in the footer, before logging in: the choice stays after login.
    page.goto("/hulp")
    page.get_by_role("contentinfo").get_by_role("button", name=LANGUAGES[code], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", text_direction(code))

    help_postcode(journey)
    practice_digid_wrong_password(journey)
    chooser_without_choice(journey)
    helpdesk_without_scope(journey)
    email_address(journey)
    grant(journey)
    request(journey)
    activate(journey)
    change(journey)
