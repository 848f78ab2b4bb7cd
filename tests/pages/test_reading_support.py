"""Reading support without JavaScript: the "Grotere tekst" setting and the "Lees voor" markup."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Letter
from tests.pages.test_start_and_auth import practice_login
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in

TEXT_SIZE_URL = "/instellingen/tekstgrootte"


def is_large(soup: BeautifulSoup) -> bool:
    return "text-large" in (soup.html.get("class") or [])


def text_size_button(soup: BeautifulSoup):  # type: ignore[no-untyped-def]
    form = soup.find("form", attrs={"action": TEXT_SIZE_URL})
    assert form is not None, "No text-size form in the footer"
    assert form.find_parent("footer") is not None
    return form.find("button")


def choose(client: CheckedClient, value: str, back: str = "/", **extra: str):  # type: ignore[no-untyped-def]
    token = client.csrf_token("/")
    return client.post(TEXT_SIZE_URL, data={"csrf_token": token, "tekst": value, "terug": back, **extra})


def test_larger_text_toggles_and_returns_to_the_page(client: CheckedClient) -> None:
    soup = client.page("/hulp")
    assert not is_large(soup)
    button = text_size_button(soup)
    assert button.get_text(" ", strip=True).endswith("Grotere tekst")
    assert button["aria-pressed"] == "false" and button["value"] == "groot"
    assert soup.find("form", attrs={"action": TEXT_SIZE_URL}).find("input", attrs={"name": "terug"})["value"] == "/hulp"

    response = choose(client, "groot", "/hulp")
    assert response.status_code == 302 and response.location == "/hulp"
    soup = client.page("/hulp")
    assert is_large(soup)
    button = text_size_button(soup)
    assert button["aria-pressed"] == "true" and button["value"] == "gewoon"
    # Remembered on later pages.
    assert is_large(client.page("/"))

    response = choose(client, "gewoon", "/")
    assert response.status_code == 302 and response.location == "/"
    assert not is_large(client.page("/"))


def test_unknown_values_and_other_sites_are_ignored(client: CheckedClient) -> None:
    response = choose(client, "reuzegroot", "//evil.example/")
    assert response.status_code == 302 and response.location == "/"
    assert not is_large(client.page("/"))
    choose(client, "groot")
    response = choose(client, "<script>", "/\\evil.example/")
    assert response.location == "/"
    assert is_large(client.page("/"))
    assert choose(client, "groot", "https://evil.example/").location == "/"


def test_larger_text_needs_a_csrf_token(client: CheckedClient) -> None:
    response = client.post(TEXT_SIZE_URL, data={"tekst": "groot", "terug": "/"})
    assert response.status_code == 400
    assert not is_large(client.page("/"))


def test_larger_text_stays_across_login_and_logout(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    choose(client, "groot")
    target = practice_login(client, app, "joke")
    assert is_large(client.page(target))
    token = client.csrf_token("/berichten/")
    response = client.post("/uitloggen", data={"csrf_token": token})
    assert response.status_code == 302  # on to the practice DigiD's logout, then back
    assert is_large(client.page("/uitgelogd"))
    assert client.get("/berichten/").status_code == 302  # really logged out


def test_read_aloud_button_is_on_the_letter_and_hidden_without_javascript(
    client: CheckedClient, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    letter = db.scalars(
        select(Letter).where(Letter.account_id == account_of(db, "joke").id).order_by(Letter.placed_at.desc())
    ).first()
    soup = client.page(f"/berichten/{letter.id}")
    buttons = soup.select("button[data-read-aloud]")
    # One for the letter, one in each help topic on the page.
    assert [b["data-read-aloud"] for b in buttons] == ["brief", "hulp-archiveren-tekst"]
    button = buttons[0]
    assert button["type"] == "button" and button.has_attr("hidden")
    assert button.get_text(strip=True) == "Lees voor"
    assert button["data-label-start"] == "Lees voor"
    assert button["data-label-stop"] == "Stop met voorlezen"
    target = soup.find(id=button["data-read-aloud"])
    assert target is not None
    # What is read: the subject, the sender, date and reference, what to do, the letter itself.
    assert target.h1.get_text(strip=True) == letter.subject
    assert target.select_one(".letter-facts") is not None
    assert target.select_one(".letter-body") is not None
    assert letter.reference in target.get_text()
    if letter.act_by:
        assert "Wat moet ik doen?" in target.get_text()
    scripts = [tag["src"] for tag in soup.head.find_all("script") if tag.has_attr("defer")]
    assert "/static/js/read_aloud.js" in scripts
