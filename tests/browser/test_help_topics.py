"""Every help topic opens in place: with the keyboard only, and without JavaScript (issue 5).

The set of topics comes from the content folder (portal/help/topics/), so a new topic fails
this test until a page below shows it. Each demo person logs in once; each page is visited
once with JavaScript (keyboard checks, axe) and once with the same login in a browser without
JavaScript (mouse and keyboard, the native ``<details>`` element alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.help.topics import ID_PREFIX, TOPICS_DIR, all_topics
from portal.models import Letter
from portal.timeutil import utcnow
from tests.browser.conftest import CspWatch, LiveServer, new_context
from tests.browser.journeys import (
    NEWEST_SUBJECT_FOR_JOKE,
    checked,
    choose_to_act_for,
    expect_chooser,
    expect_visible_focus,
    log_in_with_mouse,
)
from tests.browser.test_read_letter import tab_to
from tests.support.login import account_of
from tests.support.mandates import make_mandate

pytestmark = pytest.mark.browser

JOKE = "Joke de Vries"
SANNE = "Sanne de Vries"
# Every topic in the content folder: the test fails if one of these was not opened.
ALL_SLUGS = frozenset(path.stem for path in TOPICS_DIR.glob("*.toml"))
# Text the meaning of a government word is put in (portal/help/glossary.py): left out when a
# paragraph is compared with its content file.
MEANING_SELECTOR = ".term-meaning"


@dataclass(frozen=True)
class Stop:
    """One page: where it is (None: where the person already is), its heading, its topics."""

    path: str | None
    heading: str
    topics: tuple[str, ...]
    # Something to do in the JavaScript browser after this page (the session is shared).
    then: Callable[[Page], None] | None = None


@dataclass
class Coverage:
    opened_by_keyboard: set[str] = field(default_factory=set)
    opened_without_javascript: set[str] = field(default_factory=set)


def _details(page: Page, slug: str) -> Locator:
    return page.locator(f"details#{ID_PREFIX}{slug}")


def _summary(page: Page, slug: str) -> Locator:
    return _details(page, slug).locator("> summary")


def _first_paragraph(page: Page, slug: str) -> Locator:
    return _details(page, slug).locator(".help__body > p").first


def _words(text: str) -> str:
    return " ".join(text.split())


def _expect_open_with_its_text(page: Page, slug: str) -> None:
    """The disclosure is open and its first paragraph shows the topic's text (Dutch)."""
    expect(_details(page, slug)).to_have_js_property("open", True)
    paragraph = _first_paragraph(page, slug)
    expect(paragraph).to_be_visible()
    shown = paragraph.evaluate(
        f"""p => {{ const c = p.cloneNode(true);
                  c.querySelectorAll('{MEANING_SELECTOR}').forEach(m => m.remove());
                  return c.textContent; }}"""
    )
    # The part before the first value the page fills in (a name, a number).
    expected = _words(all_topics()[slug].text[0].split("%(")[0])
    assert _words(shown).startswith(expected), f"{slug}: {shown!r} does not start with {expected!r}"


def _expect_closed(page: Page, slug: str) -> None:
    expect(_details(page, slug)).to_have_js_property("open", False)
    expect(_first_paragraph(page, slug)).to_be_hidden()


def _topics_on(page: Page, stop: Stop) -> list[str]:
    """The topics on the page, in DOM order; the page shows at least the ones it declares."""
    expect(page.get_by_role("heading", level=1)).to_have_text(stop.heading)
    ids = page.locator("details.help").evaluate_all("els => els.map(e => e.id)")
    slugs = [i.removeprefix(ID_PREFIX) for i in ids]
    assert set(stop.topics) <= set(slugs), f"{stop.heading}: {slugs} lacks some of {stop.topics}"
    return slugs


def keyboard_only(page: Page, stop: Stop, coverage: Coverage) -> None:
    """Tab to each summary (focus drawn), Enter opens it in place, Space closes it; then axe."""
    if stop.path is not None:
        page.goto(stop.path)
    slugs = _topics_on(page, stop)
    for slug in slugs:
        summary = _summary(page, slug)
        expect(summary).to_have_text(all_topics()[slug].question)
        _expect_closed(page, slug)
        tab_to(page, summary)
        expect_visible_focus(summary)
        page.keyboard.press("Enter")
        _expect_open_with_its_text(page, slug)
        expect(summary).to_be_focused()
        page.keyboard.press("Space")
        _expect_closed(page, slug)
        coverage.opened_by_keyboard.add(slug)
    # axe once, with every topic open, so the help texts themselves are checked too.
    page.locator("details.help").evaluate_all("els => els.forEach(e => { e.open = true; })")
    checked(page)


def without_javascript(page: Page, url: str, stop: Stop, coverage: Coverage) -> None:
    """Enter on the focused first summary opens it and Enter again closes it; then a click
    opens and closes each topic."""
    page.goto(url)
    slugs = _topics_on(page, stop)
    first = _summary(page, slugs[0])
    tab_to(page, first)
    page.keyboard.press("Enter")
    _expect_open_with_its_text(page, slugs[0])
    page.keyboard.press("Enter")
    _expect_closed(page, slugs[0])
    for slug in slugs:
        _summary(page, slug).click()
        _expect_open_with_its_text(page, slug)
        _summary(page, slug).click()
        _expect_closed(page, slug)
        coverage.opened_without_javascript.add(slug)


@dataclass
class Person:
    """One login, in a browser with JavaScript and (same session) one without."""

    with_js: Page
    without_js: Page
    csp: CspWatch


@pytest.fixture
def person_browsers(browser: Browser, base_url: str) -> Iterator[Callable[[str | None], Person]]:
    contexts: list[BrowserContext] = []
    watches: list[CspWatch] = []

    def open_for(username: str | None) -> Person:
        with_js_context = new_context(browser, base_url)
        contexts.append(with_js_context)
        page = with_js_context.new_page()
        watch = CspWatch()
        page.on("console", watch)
        watches.append(watch)
        if username is not None:
            log_in_with_mouse(page, username, check=False)
        without_js_context = new_context(
            browser, base_url, java_script_enabled=False, storage_state=with_js_context.storage_state()
        )
        contexts.append(without_js_context)
        return Person(page, without_js_context.new_page(), watch)

    yield open_for
    for context in contexts:
        context.close()
    assert [v for w in watches for v in w.violations] == []


def _joke_and_sanne_share_a_letter(engine: Engine) -> tuple[str, str, str]:
    """Joke gives Sanne a mandate; her newest letter is for herself only. Returns the paths
    of the mandate and of the letter, and the letter's subject."""
    with Session(engine, expire_on_commit=False) as db:
        joke = account_of(db, "joke")
        mandate = make_mandate(db, joke, account_of(db, "sanne"), now=utcnow())
        letter = db.scalars(
            select(Letter).where(Letter.account_id == joke.id).order_by(Letter.placed_at.desc()).limit(1)
        ).one()
        assert letter.subject.startswith(NEWEST_SUBJECT_FOR_JOKE)
        letter.not_for_helpers = True
        db.commit()
        return f"/machtigingen/{mandate.id}", f"/berichten/{letter.id}", letter.subject


def _act_for_joke(page: Page) -> None:
    """Back to the chooser (already checked) and act for Joke."""
    page.goto("/handelen-voor")
    choose_to_act_for(page, JOKE, check=False)


def test_every_help_topic_opens_by_keyboard_and_without_javascript(  # type: ignore[no-untyped-def]
    person_browsers, demo_site: LiveServer, migrated_engine: Engine
) -> None:
    mandate_path, letter_path, subject = _joke_and_sanne_share_a_letter(migrated_engine)
    tour: list[tuple[str | None, list[Stop]]] = [
        (None, [
            Stop("/", "Inloggen", ("inloggen",)),
            Stop("/hulp", "Hulp nodig?", ("informatiepunt",)),
        ]),
        # 13 years old: DigiD works, but there is no Berichtenbox.
        ("lotte", [Stop(None, "U heeft geen Berichtenbox", ("geen-account",))]),
        ("joke", [
            Stop(letter_path, subject, ("archiveren",)),
            Stop("/zaken/", "Lopende zaken", ("zaken",)),
            Stop("/gegevens", "Mijn gegevens", ("gegevens",)),
            Stop("/instellingen", "Instellingen", ("organisaties",)),
            Stop("/instellingen/e-mail", "E-mail bij nieuwe post", ("email-inhoud",)),
            Stop("/machtigingen/", "Machtigingen", (
                "machtiging-wat", "machtiging-ziet", "machtiging-logboek", "machtiging-stoppen")),
            Stop("/machtigingen/logboek", "Wat anderen voor mij deden", ("logboek", "logboek-fout")),
            Stop(mandate_path, f"Machtiging voor {SANNE}", ("wat-kan-ik-wijzigen", "stoppen")),
            Stop(f"{mandate_path}/wijzigen", f"Machtiging van {SANNE} wijzigen", ("wijzigen",)),
        ]),
        # Sanne holds a mandate: her login starts on the chooser. She acts for herself first.
        ("sanne", [
            Stop(None, "Voor wie wilt u iets doen?", ("kiezen",)),
            Stop("/machtigingen/mijn-acties", "Wat ik voor anderen deed", ("mijn-acties",)),
            Stop("/machtigingen/activeren", "Code invullen", ("code",), then=_act_for_joke),
            Stop(letter_path, f"Bericht alleen voor {JOKE}", ("alleen-voor",)),
        ]),
        # Registered staff at the library desk.
        ("marieke", [Stop("/balie/", "Hulp aan de balie", ("bezoek",))]),
    ]
    coverage = Coverage()
    for username, stops in tour:
        person = person_browsers(username)
        if username == "sanne":
            expect_chooser(person.with_js, JOKE)
        for stop in stops:
            keyboard_only(person.with_js, stop, coverage)
            without_javascript(person.without_js, person.with_js.url, stop, coverage)
            if stop.then is not None:
                stop.then(person.with_js)

    assert ALL_SLUGS == set(all_topics()), "the topics the portal reads are the topic files"
    assert sorted(ALL_SLUGS - coverage.opened_by_keyboard) == [], "topics never opened by keyboard"
    assert sorted(ALL_SLUGS - coverage.opened_without_javascript) == [], "topics never opened without JavaScript"
