"""Joke asks for an e-mail at new post: she gives her address (once wrongly), gets the e-mail
with the link, opens it after logging out, logs in, confirms with the button, and asks for the
3-week reminder. Every page is axe-clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.notifications.backends import FileBackend
from portal.notifications.worker import Worker
from tests.browser.conftest import LiveServer
from tests.browser.journeys import checked, follow_link, log_in_with_mouse
from tests.notifications.support import confirmation_link, mails_in

pytestmark = pytest.mark.browser

ADDRESS = "joke.lezer@example.nl"


def test_register_and_confirm_an_email_address(
    page: Page, demo_site: LiveServer, csp_watch, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    page.get_by_role("link", name="Instellingen").click()
    follow_link(page, "E-mail bij nieuwe post instellen", "E-mail bij nieuwe post")
    follow_link(page, "E-mailadres geven", "Uw e-mailadres")

    # A mistake: the error summary says what is wrong and leads to the field.
    page.get_by_label("E-mailadres").fill("joke.example.nl")
    page.get_by_role("button", name="Stuur de link").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is een probleem")
    expect(page).to_have_title("Fout: Uw e-mailadres – Burgerportaal")
    expect(page.get_by_label("E-mailadres")).to_have_value("joke.example.nl")
    checked(page)
    summary.get_by_role("link", name="Vul een e-mailadres in zoals naam@voorbeeld.nl.").click()
    expect(page.get_by_label("E-mailadres")).to_be_focused()

    page.get_by_label("E-mailadres").fill(ADDRESS)
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail bij nieuwe post")
    expect(page.get_by_text("Open die e-mail en klik op de link.")).to_be_visible()
    checked(page)

    # The worker writes the e-mail as an .eml file; Joke opens its link later, logged out.
    mail = tmp_path / "mail"
    assert Worker(demo_site.app, FileBackend(str(mail))).process_due().sent == 1
    [message] = mails_in(mail)
    assert message["To"] == ADDRESS
    link = confirmation_link(message)
    assert link.startswith(demo_site.url + "/")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is dit uw e-mailadres?")
    expect(page.get_by_text(ADDRESS)).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Ja, dit is mijn e-mailadres").click()
    expect(page.get_by_text("Uw e-mailadres is bevestigd.")).to_be_visible()
    expect(page.get_by_label("Ja, stuur mij een e-mail bij nieuwe post en bij nieuws over mijn zaken")).to_be_checked()
    checked(page)

    reminder = page.get_by_label("Stuur mij ook een e-mail als ik een bericht na 3 weken nog niet heb gelezen")
    expect(reminder).not_to_be_checked()
    reminder.check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw keuze is opgeslagen.")).to_be_visible()
    expect(reminder).to_be_checked()
    checked(page)
