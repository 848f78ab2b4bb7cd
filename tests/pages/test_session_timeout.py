"""Session timeout without losing anything (WCAG 2.2.1), without a browser: the keep-alive
endpoint, the dialog markup, and a form that arrives after the timeout (no JavaScript)."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.login_sessions import SESSION_KEY, token_hash
from portal.models import LoginSession
from portal.session_timeout import KEPT_FORM_KEY, opened, KEPT_FORM_MAX_AGE_SECONDS, KEPT_FORM_MAX_CHARS, WARNING_SECONDS
from portal.timeutil import as_utc, utcnow
from tests.pages.test_start_and_auth import practice_login
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

KEEP_ALIVE = "/sessie/verlengen"
FORM_PAGE = "/instellingen/e-mail/adres"
FORM_URL = "http://localhost" + FORM_PAGE
TYPED = "nieuw.adres@voorbeeld.nl"


def _idle(db: Session, minutes: float) -> None:
    """Every session was last seen this long ago."""
    db.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes)))
    db.commit()


def _session_row(client: CheckedClient, db: Session) -> LoginSession:
    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    db.expire_all()
    row = db.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    assert row is not None
    return row


def _email_field_value(client: CheckedClient) -> str:
    field = client.page(FORM_PAGE).find("input", attrs={"name": "email"})
    assert field is not None
    return str(field.get("value", ""))


def _kept_fields(client: CheckedClient, app: Flask) -> dict[str, str]:
    """The kept form's fields, unsealed with the app's key (the cookie holds them encrypted)."""
    with client.session_transaction() as session:
        kept = session[KEPT_FORM_KEY]
    with app.test_request_context():
        return opened(kept["fields"])


def _post_after_timeout(client: CheckedClient, db: Session, data: dict[str, str], referer: str = FORM_URL):
    """Joke had the e-mail form open, went away for 15 minutes, then sent it."""
    token = client.csrf_token(FORM_PAGE)
    _idle(db, 15.1)
    return client.post(FORM_PAGE, data={"csrf_token": token, **data}, headers={"Referer": referer})


# --- The keep-alive endpoint ("Ingelogd blijven") ------------------------------------------


def test_keep_alive_resets_the_idle_time(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    token = client.csrf_token("/berichten/")
    _idle(db, 14)
    response = client.post(KEEP_ALIVE, data={"csrf_token": token})
    assert response.status_code == 204 and response.get_data() == b""
    assert utcnow() - as_utc(_session_row(client, db).last_seen_at) < timedelta(seconds=30)
    # Ten times in a row, each just before the end: still logged in.
    for _ in range(10):
        _idle(db, 14.9)
        assert client.post(KEEP_ALIVE, data={"csrf_token": token}).status_code == 204
    assert client.get("/berichten/").status_code == 200


def test_keep_alive_needs_a_login(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    token = client.csrf_token("/")
    response = client.post(KEEP_ALIVE, data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/"


def test_keep_alive_cannot_bring_back_an_ended_session(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    token = client.csrf_token("/berichten/")
    _idle(db, 15.1)
    response = client.post(KEEP_ALIVE, data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/uitgelogd?reden=tijd"
    assert client.get("/berichten/").status_code == 302


def test_keep_alive_needs_a_csrf_token(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    _idle(db, 14)
    assert client.post(KEEP_ALIVE).status_code == 400
    assert utcnow() - as_utc(_session_row(client, db).last_seen_at) > timedelta(minutes=13)


def test_keep_alive_works_while_acting_for_someone(client: CheckedClient, demo, db: Session, now) -> None:  # type: ignore[no-untyped-def]
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, account_of(db, "joke"), sanne, now=now))
    token = client.csrf_token("/berichten/")
    assert client.post(KEEP_ALIVE, data={"csrf_token": token}).status_code == 204


# --- The dialog markup ----------------------------------------------------------------------


def test_the_dialog_is_only_on_pages_of_someone_logged_in(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    assert client.page("/").find("dialog") is None
    assert client.page("/uitgelogd?reden=tijd").find("dialog") is None
    log_in(client, db, "joke")
    dialog = client.page("/berichten/").find("dialog")
    assert dialog is not None
    assert dialog["data-idle-seconds"] == "900" and dialog["data-warning-seconds"] == str(WARNING_SECONDS)
    heading = dialog.find(id=dialog["aria-labelledby"])
    assert heading.name == "h2" and heading.get_text(strip=True) == "Wilt u ingelogd blijven?"
    sentence = dialog.find(id=dialog["aria-describedby"]).get_text(strip=True)
    assert sentence.startswith("Over 2 minuten loggen we u uit")
    assert [button.get_text(strip=True) for button in dialog.find_all("button")] == ["Ingelogd blijven"]
    assert dialog.find("form")["action"] == KEEP_ALIVE
    assert not dialog.has_attr("open")  # only the script opens it


# --- A form sent after the timeout, without JavaScript ---------------------------------------


def test_a_form_sent_too_late_comes_back_after_logging_in_again(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    before = _email_field_value(client)
    response = _post_after_timeout(client, db, {"email": TYPED})
    assert response.status_code == 302 and response.location == "/uitgelogd?reden=tijd"
    assert _kept_fields(client, app) == {"email": TYPED}  # never the CSRF token
    soup = client.page(response.location)
    assert "Dan komt u terug op de pagina waar u was." in soup.get_text()
    # Logging in again: back on the form, with what Joke typed, and a word about it.
    assert practice_login(client, app, "joke") == FORM_PAGE
    soup = client.page(FORM_PAGE)
    assert soup.find("input", attrs={"name": "email"})["value"] == TYPED
    assert "Wat u had ingevuld, staat er weer." in soup.get_text()
    # Once: the next visit shows the page as it was.
    assert _email_field_value(client) == before


def test_a_cross_site_or_forged_post_is_not_kept(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    token = client.csrf_token(FORM_PAGE)
    _idle(db, 15.1)
    response = client.post(FORM_PAGE, data={"csrf_token": "nep", "email": TYPED}, headers={"Referer": FORM_URL})
    assert response.status_code == 400
    # Even when the CSRF check of the app did not run first, the kept form checks the token.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    response = client.post(FORM_PAGE, data={"csrf_token": "nep", "email": TYPED}, headers={"Referer": FORM_URL})
    assert response.status_code == 302
    # Another site as the form's page, or a path that is not on this site.
    for referer in ("http://evil.example/instellingen/e-mail/adres", "http://localhost//evil.example/x", ""):
        client.post(FORM_PAGE, data={"csrf_token": token, "email": TYPED}, headers={"Referer": referer})
    with client.session_transaction() as session:
        assert KEPT_FORM_KEY not in session and "return_to" not in session


def test_a_form_bigger_than_the_limit_is_not_kept(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    big = "a" * KEPT_FORM_MAX_CHARS + "@voorbeeld.nl"
    response = _post_after_timeout(client, db, {"email": big})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert KEPT_FORM_KEY not in session
        assert session["return_to"] == FORM_PAGE  # the way back still works


def test_password_like_fields_are_never_kept(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    _post_after_timeout(client, db, {"email": TYPED, "wachtwoord": "geheim", "code": "ABC123"})
    assert _kept_fields(client, app) == {"email": TYPED}


def test_kept_text_is_only_for_the_person_who_typed_it(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    _post_after_timeout(client, db, {"email": TYPED})
    # Someone else logs in on the same computer and opens the same page.
    log_in(client, db, "ahmed")
    assert _email_field_value(client) != TYPED
    with client.session_transaction() as session:
        assert KEPT_FORM_KEY not in session


def test_kept_text_goes_after_its_maximum_age(client: CheckedClient, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    _post_after_timeout(client, db, {"email": TYPED})
    with client.session_transaction() as session:
        session[KEPT_FORM_KEY] = {**session[KEPT_FORM_KEY], "at": session[KEPT_FORM_KEY]["at"] - KEPT_FORM_MAX_AGE_SECONDS - 1}
    assert client.get("/").status_code == 200  # any page, logged in or not
    with client.session_transaction() as session:
        assert KEPT_FORM_KEY not in session


# --- A helper comes back acting for the same person -------------------------------------------


def test_a_helper_returns_to_the_page_acting_for_the_same_person(
    client: CheckedClient, app: Flask, demo, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    sanne = log_in(client, db, "sanne")
    mandate = make_mandate(db, account_of(db, "joke"), sanne, now=now)
    act_under(client, db, mandate)
    _idle(db, 15.1)
    assert client.get("/zaken/").location == "/uitgelogd?reden=tijd"
    # No chooser in between: straight back to Joke's cases, for Joke.
    assert practice_login(client, app, "sanne") == "/zaken/"
    assert _session_row(client, db).acting_mandate_id == mandate.id
    assert "U doet dit voor Joke de Vries" in client.page("/zaken/").get_text(" ")


def test_a_helper_whose_mandate_ended_meanwhile_chooses_again(
    client: CheckedClient, app: Flask, demo, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    sanne = log_in(client, db, "sanne")
    joke = account_of(db, "joke")
    ended = make_mandate(db, joke, sanne, now=now)
    make_mandate(db, account_of(db, "henk"), sanne, now=now)  # still someone to act for
    act_under(client, db, ended)
    _idle(db, 15.1)
    assert client.get("/zaken/").location == "/uitgelogd?reden=tijd"
    ended.ends_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert practice_login(client, app, "sanne") == "/handelen-voor"
    assert _session_row(client, db).acting_mandate_id is None


def test_someone_who_acted_for_themselves_returns_without_the_chooser(
    client: CheckedClient, app: Flask, demo, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    sanne = log_in(client, db, "sanne")
    make_mandate(db, account_of(db, "joke"), sanne, now=now)
    _idle(db, 15.1)
    assert client.get("/instellingen").location == "/uitgelogd?reden=tijd"
    assert practice_login(client, app, "sanne") == "/instellingen"
    assert _session_row(client, db).acting_mandate_id is None


# --- Limits on what survives a session (issue 16, item 6) ------------------------------------


def test_a_login_ends_after_its_absolute_lifetime_however_active(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    assert client.get("/berichten/").status_code == 200
    lifetime = app.config["SESSION_MAX_SECONDS"]
    assert lifetime == 12 * 60 * 60
    # Active a minute ago, but logged in 12 hours and a minute ago.
    db.execute(update(LoginSession).values(created_at=utcnow() - timedelta(seconds=lifetime + 60)))
    db.commit()
    _idle(db, 1)
    response = client.get("/berichten/")
    assert response.status_code == 302 and response.location == "/uitgelogd?reden=lang"
    assert _ended(db)
    text = client.page(response.location).get_text(" ")
    assert "U was 12 uur ingelogd." in " ".join(text.split())
    assert client.get("/berichten/").status_code == 302


def _ended(db: Session) -> bool:
    db.expire_all()
    return all(row.ended_at is not None for row in db.scalars(select(LoginSession)))


def test_the_page_to_return_to_is_not_for_the_next_person(
    client: CheckedClient, app: Flask, demo, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    """Joke's session runs out on a page of hers; Ahmed logs in next on that computer and
    lands on his own inbox, not on Joke's page, and does not act 'again' for anyone."""
    log_in(client, db, "joke")
    _idle(db, 15.1)
    assert client.get("/instellingen/e-mail").location == "/uitgelogd?reden=tijd"
    assert practice_login(client, app, "ahmed") == "/berichten/"
    with client.session_transaction() as session:
        assert "return_to" not in session and "return_acting" not in session
    # The same person still returns to where they were.
    log_in(client, db, "joke")
    _idle(db, 15.1)
    assert client.get("/instellingen/e-mail").location == "/uitgelogd?reden=tijd"
    assert practice_login(client, app, "joke") == "/instellingen/e-mail"


def test_the_page_to_return_to_goes_after_its_maximum_age(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "joke")
    _idle(db, 15.1)
    client.get("/instellingen/e-mail")
    with client.session_transaction() as session:
        owner = session["return_owner"]
        session["return_owner"] = {**owner, "at": owner["at"] - KEPT_FORM_MAX_AGE_SECONDS - 1}
    assert practice_login(client, app, "joke") == "/berichten/"


def test_a_kept_form_is_not_readable_in_the_cookie(client: CheckedClient, app: Flask, demo, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    typed = {"email": TYPED, "bsn": "111222333", "achternaam": "Vermeulen-Oudewater"}
    _post_after_timeout(client, db, typed)
    with client.session_transaction() as session:
        stored = json.dumps(dict(session))
    assert KEPT_FORM_KEY in stored
    assert all(value not in stored for value in typed.values())
    raw = client.get_cookie("portal")
    assert raw is not None and all(value not in raw.value for value in typed.values())
    # It still comes back, for the person who typed it.
    assert practice_login(client, app, "joke") == FORM_PAGE
    assert _email_field_value(client) == TYPED


def test_every_typed_field_of_a_mandate_form_comes_back_the_dates_too(
    client: CheckedClient, app: Flask, demo, db: Session  # type: ignore[no-untyped-def]
) -> None:
    """The form puts kept text back in each of its text fields, the date inputs included;
    choices (checkboxes, radio buttons) are not kept and show as on a new form."""
    page = "/machtigingen/geven"
    log_in(client, db, "joke")
    token = client.csrf_token(page)
    _idle(db, 15.1)
    typed = {"bsn": "999900019", "achternaam": "de Vries", "einddatum": "31-12-2027"}
    response = client.post(page, data={"csrf_token": token, **typed}, headers={"Referer": "http://localhost" + page})
    assert response.status_code == 302 and response.location == "/uitgelogd?reden=tijd"
    assert practice_login(client, app, "joke") == page
    soup = client.page(page)
    assert {name: soup.find("input", attrs={"name": name})["value"] for name in typed} == typed
    assert soup.find("input", id="berichten-alle").has_attr("checked")
