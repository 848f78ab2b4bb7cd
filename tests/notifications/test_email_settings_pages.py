"""Settings → E-mail bij nieuwe post: register an address, confirm it by the link in the
e-mail (login and a button press), change, remove, switch off, and the reminder choice."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import notifications as rules
from portal.models import Account, EmailConfirmation, NotificationKind, NotificationSettings
from portal.timeutil import as_utc, utcnow
from tests.notifications.support import confirmation_link, outbox, path_of, send_to_files
from tests.support.html import CheckedClient, normalise, parse
from tests.support.login import account_of, log_in

ADDRESS = "lezer.een@example.nl"


def settings_of(db: Session, account_id: int) -> NotificationSettings | None:
    db.expire_all()
    return db.scalar(select(NotificationSettings).where(NotificationSettings.account_id == account_id))


def register(client: CheckedClient, address: str) -> None:
    token = client.csrf_token("/instellingen/e-mail/adres")
    response = client.post("/instellingen/e-mail/adres", data={"csrf_token": token, "email": address})
    assert response.status_code == 302 and response.location == "/instellingen/e-mail"


def link_sent(app: Flask, tmp_path: Path, at: datetime | None = None) -> str:
    _tally, mails = send_to_files(app, tmp_path / "mail", at or utcnow())
    assert len(mails) == 1
    return path_of(confirmation_link(mails[0]))


def joke_registers(
    app: Flask, client: CheckedClient, db: Session, tmp_path: Path, address: str = ADDRESS
) -> tuple[Account, str]:
    """Joke logs in and gives ``address``: her account, and the path of the link in the e-mail."""
    account = log_in(client, db, "joke")
    register(client, address)
    return account, link_sent(app, tmp_path)


def confirm(client: CheckedClient, path: str) -> None:
    soup = client.page(path)
    form = soup.find("form", attrs={"action": path})
    assert form is not None, "the confirm page has a form that posts back to the link"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/instellingen/e-mail"


def joke_confirms(
    app: Flask, client: CheckedClient, db: Session, tmp_path: Path, address: str = ADDRESS
) -> Account:
    """Joke logs in, gives ``address`` and confirms it by the link: her account."""
    account, path = joke_registers(app, client, db, tmp_path, address)
    confirm(client, path)
    return account


def test_register_and_confirm_by_the_link_in_the_email(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    account = log_in(client, db, "joke")
    soup = client.page("/instellingen")
    link = soup.find("a", string="E-mail bij nieuwe post instellen")
    assert link is not None and link["href"] == "/instellingen/e-mail"
    assert "U krijgt nu geen e-mail als er nieuwe post is." in normalise(soup.get_text())

    soup = client.page("/instellingen/e-mail")
    assert soup.h1.get_text(strip=True) == "E-mail bij nieuwe post"
    assert "U heeft geen e-mailadres gegeven." in soup.get_text()
    register(client, ADDRESS)
    soup = client.page("/instellingen/e-mail")
    text = normalise(soup.get_text())
    assert "Open die e-mail en klik op de link." in text
    assert f"Nog niet bevestigd: {ADDRESS}" in text
    assert settings_of(db, account.id) is None  # nothing confirmed yet

    # The e-mail goes out through the outbox; only the hash of its token is stored.
    [row] = outbox(db)
    assert row.kind is NotificationKind.CONFIRM_ADDRESS
    path = link_sent(app, tmp_path)
    token = path.rsplit("/", 1)[1]
    stored = db.scalar(select(EmailConfirmation))
    assert stored is not None and token not in (stored.token_hash, stored.nonce)
    assert stored.token_hash == rules.token_hash(token)

    # Opening the link (as a mail scanner would) changes nothing: it asks for a button press.
    soup = client.page(path)
    assert soup.h1.get_text(strip=True) == "Is dit uw e-mailadres?"
    assert ADDRESS in soup.get_text()
    assert settings_of(db, account.id) is None
    confirm(client, path)
    settings = settings_of(db, account.id)
    assert settings is not None and settings.email_address == ADDRESS and settings.notify
    assert settings.remind_unread is False  # the reminder is off until asked for
    soup = client.page("/instellingen/e-mail")
    assert "Uw e-mailadres is bevestigd." in soup.get_text()
    assert f"Wij sturen e-mail naar: {ADDRESS}" in normalise(soup.get_text())
    assert "U krijgt een e-mail als er nieuwe post is." in client.page("/instellingen").get_text()

    # Single use: the same link again changes nothing and says so.
    soup = client.page(path)
    assert soup.h1.get_text(strip=True) == "Deze link is al gebruikt"
    response = client.post(path, data={"csrf_token": client.csrf_token("/instellingen/e-mail")})
    assert response.status_code == 200
    assert "Deze link is al gebruikt" in response.get_data(as_text=True)


def test_the_link_asks_for_login_and_comes_back(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    _account, path = joke_registers(app, client, db, tmp_path)
    other = app.test_client()
    response = other.get(path)
    assert response.status_code == 302 and response.location == "/"
    with other.session_transaction() as session:
        assert session["return_to"] == path  # the callback sends the citizen back here


def test_someone_elses_link_is_a_404(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    _account, path = joke_registers(app, client, db, tmp_path)
    sanne = app.test_client()
    sanne_account = log_in(sanne, db, "sanne")
    assert sanne.get(path).status_code == 404
    token = sanne.csrf_token("/instellingen/e-mail")
    assert sanne.post(path, data={"csrf_token": token}).status_code == 404
    assert settings_of(db, sanne_account.id) is None
    assert settings_of(db, account_of(db, "joke").id) is None
    assert client.get("/instellingen/e-mail/bevestigen/bestaat-niet-maar-lijkt-er-wel-op").status_code == 404
    assert client.get("/instellingen/e-mail/bevestigen/kort").status_code == 404


def test_confirming_needs_the_csrf_token(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    account, path = joke_registers(app, client, db, tmp_path)
    assert client.post(path, data={}).status_code == 400
    assert settings_of(db, account.id) is None


def test_link_works_until_just_before_24_hours(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = log_in(client, db, "joke")
    register(client, ADDRESS)
    created = db.scalar(select(EmailConfirmation.created_at))
    assert created is not None
    start = as_utc(created)
    path = link_sent(app, tmp_path, start)
    edge = start + timedelta(hours=rules.CONFIRMATION_VALID_HOURS)
    monkeypatch.setattr("portal.settings.email.utcnow", lambda: edge - timedelta(microseconds=1))
    assert client.page(path).h1.get_text(strip=True) == "Is dit uw e-mailadres?"
    monkeypatch.setattr("portal.settings.email.utcnow", lambda: edge)
    soup = client.page(path)
    assert soup.h1.get_text(strip=True) == "Deze link werkt niet meer"
    assert soup.find("a", string="Nieuwe link aanvragen")["href"] == "/instellingen/e-mail/adres"
    token = client.csrf_token("/instellingen/e-mail")
    response = client.post(path, data={"csrf_token": token})
    assert "Deze link werkt niet meer" in response.get_data(as_text=True)
    assert settings_of(db, account.id) is None


def test_a_newer_link_replaces_the_older_one(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    account = log_in(client, db, "joke")
    register(client, "oud@example.nl")
    register(client, ADDRESS)
    _tally, mails = send_to_files(app, tmp_path / "mail", utcnow())
    # The first link was withdrawn before it went out: only the newest e-mail is sent.
    assert [m["To"] for m in mails] == [ADDRESS]
    # The older link, had it arrived, no longer works.
    older = db.scalar(select(EmailConfirmation).where(EmailConfirmation.email_address == "oud@example.nl"))
    assert older is not None and older.withdrawn_at is not None
    older_path = f"/instellingen/e-mail/bevestigen/{rules.confirmation_token(secret_of(app), older)}"
    assert client.page(older_path).h1.get_text(strip=True) == "Deze link werkt niet meer"
    confirm(client, path_of(confirmation_link(mails[0])))
    settings = settings_of(db, account.id)
    assert settings is not None and settings.email_address == ADDRESS


def secret_of(app: Flask) -> bytes:
    return str(app.config["SECRET_KEY"]).encode()


def test_change_keeps_the_old_address_until_the_new_one_is_confirmed(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    account = joke_confirms(app, client, db, tmp_path, "oud@example.nl")
    soup = client.page("/instellingen/e-mail")
    change = soup.find("a", string="E-mailadres wijzigen")
    assert change is not None
    assert client.page(change["href"]).find("input", attrs={"name": "email"})["value"] == "oud@example.nl"
    register(client, "nieuw@example.nl")
    settings = settings_of(db, account.id)
    assert settings is not None and settings.email_address == "oud@example.nl"
    text = normalise(client.page("/instellingen/e-mail").get_text())
    assert "Wij sturen e-mail naar: oud@example.nl" in text
    assert "Nog niet bevestigd: nieuw@example.nl" in text
    _tally, mails = send_to_files(app, tmp_path / "mail2", utcnow())
    confirm(client, path_of(confirmation_link(mails[0])))
    settings = settings_of(db, account.id)
    assert settings is not None and settings.email_address == "nieuw@example.nl"


def test_remove_the_address(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    account = joke_confirms(app, client, db, tmp_path)
    token = client.csrf_token("/instellingen/e-mail")
    response = client.post("/instellingen/e-mail/verwijderen", data={"csrf_token": token})
    assert response.status_code == 302
    soup = client.page("/instellingen/e-mail")
    assert "Uw e-mailadres is verwijderd." in soup.get_text()
    assert ADDRESS not in soup.get_text()
    settings = settings_of(db, account.id)
    assert settings is not None and settings.email_address is None


def test_switch_email_off_and_the_reminder_on(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    account = joke_confirms(app, client, db, tmp_path)
    soup = client.page("/instellingen/e-mail")
    assert soup.find("input", id="melding-aan").has_attr("checked")
    reminder = soup.find("input", id="herinnering")
    assert not reminder.has_attr("checked")
    label = soup.find("label", attrs={"for": "herinnering"}).get_text(" ", strip=True)
    assert "na 3 weken nog niet heb gelezen" in label
    token = client.csrf_token("/instellingen/e-mail")
    response = client.post("/instellingen/e-mail/voorkeuren",
                           data={"csrf_token": token, "melding": "uit", "herinnering": "ja"})
    assert response.status_code == 302
    settings = settings_of(db, account.id)
    assert settings is not None and settings.notify is False and settings.remind_unread is True
    soup = client.page("/instellingen/e-mail")
    assert soup.find("input", id="melding-uit").has_attr("checked")
    assert soup.find("input", id="herinnering").has_attr("checked")
    assert "U heeft de e-mail uitgezet." in client.page("/instellingen").get_text()
    assert client.post("/instellingen/e-mail/voorkeuren",
                       data={"csrf_token": token, "melding": "misschien"}).status_code == 400
    # A new address does not switch e-mail back on behind the citizen's back.
    register(client, "nieuw@example.nl")
    confirm(client, link_sent(app, tmp_path / "again"))
    assert "De e-mail staat nog uit." in client.page("/instellingen/e-mail").get_text()
    settings = settings_of(db, account.id)
    assert settings is not None and settings.email_address == "nieuw@example.nl" and not settings.notify


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul uw e-mailadres in."),
        ("   ", "Vul uw e-mailadres in."),
        ("joke.example.nl", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("joke@@example.nl", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("jo@ke@example.nl", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("joke@localhost", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("joke de vries@example.nl", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("j" * 244 + "@example.nl", "Dit e-mailadres is te lang. Het mag niet meer dan 254 tekens hebben."),
    ],
)
def test_a_wrong_address_shows_what_to_fix_and_keeps_what_was_typed(
    client: CheckedClient, db: Session, demo, typed: str, message: str  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    token = client.csrf_token("/instellingen/e-mail/adres")
    response = client.post("/instellingen/e-mail/adres", data={"csrf_token": token, "email": typed})
    assert response.status_code == 200
    soup = parse(response.get_data(as_text=True))
    assert normalise(soup.title.get_text()).startswith("Fout: Uw e-mailadres")
    summary = soup.find("div", attrs={"role": "alert"})
    assert summary is not None and summary.find("h2").get_text(strip=True) == "Er is een probleem"
    link = summary.find("a")
    assert link["href"] == "#email" and link.get_text(strip=True) == message
    field = soup.find("input", id="email")
    assert field["value"] == typed
    assert field["aria-invalid"] == "true"
    error = soup.find(id="email-fout")
    assert message in error.get_text() and error["id"] in field["aria-describedby"].split()
    assert outbox(db) == []


def test_an_address_of_254_characters_is_accepted(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    address = "j" * 243 + "@example.nl"
    assert len(address) == rules.MAX_ADDRESS_LENGTH
    register(client, address)
    assert len(outbox(db)) == 1


def test_at_most_five_links_a_day(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    for number in range(rules.MAX_CONFIRMATIONS_PER_DAY):
        register(client, f"poging{number}@example.nl")
    token = client.csrf_token("/instellingen/e-mail/adres")
    response = client.post("/instellingen/e-mail/adres",
                           data={"csrf_token": token, "email": "nog.een@example.nl"})
    assert "U vroeg vandaag al 5 keer een link aan." in response.get_data(as_text=True)
    assert len(outbox(db)) == rules.MAX_CONFIRMATIONS_PER_DAY


def test_email_pages_need_login(client: CheckedClient) -> None:
    for path in ("/instellingen/e-mail", "/instellingen/e-mail/adres"):
        response = client.get(path)
        assert response.status_code == 302 and response.location == "/"


def test_the_address_is_not_logged(
    app: Flask, client: CheckedClient, db: Session, demo, tmp_path: Path, now: datetime,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    log_in(client, db, "joke")
    register(client, ADDRESS)
    confirm(client, link_sent(app, tmp_path))
    assert caplog.records, "the worker logs what it did"
    assert all(ADDRESS not in record.getMessage() for record in caplog.records)
