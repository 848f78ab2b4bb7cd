"""A lesson in a real browser (issue 10, item 4): the trainer begins a class, two learners
join with the code on their own browsers (one with JavaScript, one without) and log in, the
trainer sends a letter to the class, it appears in place in the open Berichtenbox with
JavaScript and on the next page without, one learner starts again and the other's box is
untouched."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.demo.people import PRACTICE_PASSWORD
from tests.browser.conftest import LiveServer, new_context

pytestmark = pytest.mark.browser


def _letter_count(page: Page) -> int:
    heading = page.locator("#lijst-kop").inner_text()
    found = re.search(r"\d+", heading)
    assert found is not None, heading
    return int(found.group())


def _join_and_log_in(page: Page, code: str, name: str) -> int:
    page.goto("/oefenen/")
    page.get_by_label("Lescode").fill(code)
    page.get_by_label("Hoe wilt u heten in de les?").fill(name)
    page.get_by_role("button", name="Meedoen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Welkom, {name}")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.get_by_label("Gebruikersnaam").fill("joke")
    page.get_by_label("Wachtwoord").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    return _letter_count(page)


def test_a_trainer_sends_a_letter_to_the_class_and_a_reset_touches_one_learner(
    browser: Browser, practice_server: LiveServer
) -> None:
    contexts = [new_context(browser, practice_server.url),
                new_context(browser, practice_server.url),
                new_context(browser, practice_server.url, java_script_enabled=False)]
    trainer, with_js, without_js = (context.new_page() for context in contexts)
    try:
        trainer.goto("/oefenen/trainer")
        trainer.get_by_role("radio", name="Beginnen").check()
        trainer.get_by_role("radio", name="2 uur").check()
        trainer.get_by_role("button", name="Begin de les").click()
        code = trainer.locator(".practice-codes__code").first.inner_text().strip()

        before = [_join_and_log_in(with_js, code, "Anna"), _join_and_log_in(without_js, code, "Bram")]
        trainer.reload()
        expect(trainer.locator("#deelnemers")).to_contain_text("Anna")
        expect(trainer.locator("#deelnemers")).to_contain_text("Bram")
        expect(trainer.locator("#deelnemers")).to_contain_text("1 van 3")  # both logged in

        trainer.get_by_role("radio", name="Er komt een nieuwe brief").check()
        trainer.get_by_role("button", name="Laat het gebeuren").click()
        expect(trainer.get_by_role("status")).to_contain_text("Gedaan bij 2 deelnemers.")

        # With JavaScript the open Berichtenbox shows it in place, and says so; without, the
        # next page has it.
        expect(with_js.locator("#lijst-kop")).to_contain_text(str(before[0] + 1))
        expect(with_js.locator("#lijst-status")).to_contain_text("nieuw bericht")
        assert _letter_count(without_js) == before[1]
        without_js.goto("/berichten/")
        assert _letter_count(without_js) == before[1] + 1

        with_js.get_by_role("region", name="Oefenomgeving", exact=True).get_by_role(
            "button", name="Opnieuw beginnen").click()
        expect(with_js.get_by_role("status")).to_contain_text("Alles staat weer zoals aan het begin")
        assert _join_count_after_reset(with_js) == before[0]
        without_js.goto("/berichten/")
        assert _letter_count(without_js) == before[1] + 1
    finally:
        for context in contexts:
            context.close()


def _join_count_after_reset(page: Page) -> int:
    """Log in again after "Opnieuw beginnen" and count the letters."""
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.get_by_label("Gebruikersnaam").fill("joke")
    page.get_by_label("Wachtwoord").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    return _letter_count(page)
