"""Reading support in a real browser: "Lees voor" with a recorded speech synthesis, "Grotere
tekst" by keyboard and without JavaScript, and how a letter prints."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, new_context
from tests.browser.journeys import NEWEST_SUBJECT_FOR_JOKE, checked, log_in_with_mouse
from tests.browser.test_read_letter import tab_to

pytestmark = pytest.mark.browser

# The browser's speech synthesis replaced by a recorder, with a few voices to choose from.
# The utterance is ours too: a real one only takes a real SpeechSynthesisVoice.
RECORDING_SPEECH = """(() => {
  const spoken = [];
  let cancelled = 0;
  const voices = [{lang: "en-US", name: "US"}, {lang: "en-GB", name: "GB"}, {lang: "nl-NL", name: "NL"}];
  const synth = {
    speak(u) { spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}); },
    cancel() { cancelled += 1; },
    getVoices() { return voices; },
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; this.voice = null; };
  window.recordedSpeech = () => ({spoken, cancelled});
})();"""
NO_SPEECH = """Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});"""
LARGER_TEXT_FACTOR = 1.2


def open_newest_letter(page: Page, *, check: bool = True) -> None:
    log_in_with_mouse(page, "joke", check=False)
    page.get_by_role("link", name=NEWEST_SUBJECT_FOR_JOKE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)


def body_font_size(page: Page) -> float:
    return float(page.locator(".letter-body").evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))


def test_read_aloud_speaks_the_letter_in_the_page_language(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(RECORDING_SPEECH)
    open_newest_letter(page)
    button = page.get_by_role("button", name="Lees voor")
    expect(button).to_be_visible()
    checked(page)
    body = page.locator(".letter-body").inner_text().strip()
    button.click()
    expect(page.get_by_role("button", name="Stop met voorlezen")).to_be_focused()
    spoken = page.evaluate("recordedSpeech()")["spoken"]
    assert len(spoken) == 1
    assert body in spoken[0]["text"] and NEWEST_SUBJECT_FOR_JOKE in spoken[0]["text"]
    assert "Lees voor" not in spoken[0]["text"]
    assert spoken[0]["lang"] == "nl-NL" and spoken[0]["voice"] == "nl-NL"
    # Pressing it again stops the reading.
    cancelled = page.evaluate("recordedSpeech()")["cancelled"]
    page.get_by_role("button", name="Stop met voorlezen").click()
    expect(page.get_by_role("button", name="Lees voor")).to_be_visible()
    assert page.evaluate("recordedSpeech()")["cancelled"] > cancelled

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("button[data-read-aloud=brief]").click()
    spoken = page.evaluate("recordedSpeech()")["spoken"]
    assert len(spoken) == 1
    assert spoken[0]["lang"].startswith("en") and spoken[0]["voice"] == "en-GB"


def test_read_aloud_speaks_a_help_topic(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    """Every help topic has its own "Lees voor", inside the disclosure: it reads the answer."""
    page.add_init_script(RECORDING_SPEECH)
    open_newest_letter(page)
    topic = page.locator("details#hulp-archiveren")
    topic.locator("summary").click()
    answer = topic.locator(".help__body p").first.inner_text().strip()
    topic.get_by_role("button", name="Lees voor").click()
    spoken = page.evaluate("recordedSpeech()")["spoken"]
    assert len(spoken) == 1 and answer in spoken[0]["text"] and spoken[0]["lang"] == "nl-NL"
    assert NEWEST_SUBJECT_FOR_JOKE not in spoken[0]["text"]
    checked(page)


def test_read_aloud_stays_hidden_without_speech(page: Page, demo_site: LiveServer, csp_watch) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(NO_SPEECH)
    open_newest_letter(page)
    expect(page.locator(".letter-body")).to_be_visible()
    expect(page.locator("button[data-read-aloud=brief]")).to_be_hidden()


def test_larger_text_by_keyboard(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        open_newest_letter(page)
        normal = body_font_size(page)
        toggle = page.get_by_role("button", name="Grotere tekst")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        tab_to(page, toggle, limit=80)
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_class(re.compile(r"\btext-large\b"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
        expect(toggle).to_have_attribute("aria-pressed", "true")
        assert body_font_size(page) >= normal * LARGER_TEXT_FACTOR
        checked(page)
        page.get_by_role("link", name="Terug naar de Berichtenbox").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
        expect(page.locator("html")).to_have_class(re.compile(r"\btext-large\b"))
        checked(page)
    finally:
        context.close()


def test_larger_text_without_javascript(browser: Browser, base_url: str, demo_site: LiveServer) -> None:
    context = new_context(browser, base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        open_newest_letter(page, check=False)
        normal = body_font_size(page)
        page.get_by_role("button", name="Grotere tekst").click()
        expect(page.get_by_role("button", name="Grotere tekst")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
        assert body_font_size(page) >= normal * LARGER_TEXT_FACTOR
        page.get_by_role("button", name="Grotere tekst").click()
        expect(page.get_by_role("button", name="Grotere tekst")).to_have_attribute("aria-pressed", "false")
        assert body_font_size(page) == normal
    finally:
        context.close()


def test_a_letter_prints_only_what_matters(page: Page, demo_site: LiveServer) -> None:
    page.add_init_script(RECORDING_SPEECH)  # so that the read-aloud button is there to hide
    open_newest_letter(page)
    page.emulate_media(media="print")
    for url in (page.url, page.url + "/afdrukken"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(NEWEST_SUBJECT_FOR_JOKE)
        for role, name in (("navigation", None), ("contentinfo", None), ("button", None),
                           ("link", "Terug naar"), ("link", "Naar de inhoud")):
            hidden = page.get_by_role(role, name=name, include_hidden=True)  # type: ignore[arg-type]
            assert hidden.count() > 0, (role, name, url)
            for index in range(hidden.count()):
                expect(hidden.nth(index)).to_be_hidden()
        facts = page.locator(".letter-facts")
        for label in ("Van", "Ontvangen op", "Kenmerk"):
            expect(facts.get_by_text(label, exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Wat moet ik doen?")).to_be_visible()
        expect(page.locator(".letter-body")).to_be_visible()
        expect(page.locator(".letter-body")).not_to_be_empty()
