"""Begin met oefenen, Opnieuw beginnen and Stoppen (issue 10, item 2), through the pages and
the practice DigiD, as a learner's browser does them."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo.people import PRACTICE_PASSWORD
from portal.models import Letter, Person, PracticeSandbox
from portal.practice import browser, sandboxes
from portal.practice_digid import MOUNT_PATH
from tests.support.html import CheckedClient, normalise
from tests.support.practice import account_in, begin, log_in_sandbox
from tests.support.visits import BASE_URL
from tests.support.wsgi_transport import route_http_to


@pytest.fixture
def learner(practice_app: Flask) -> CheckedClient:
    return practice_app.test_client()  # type: ignore[return-value]


def _begin(client: CheckedClient, lesson: str = "beginnen"):  # type: ignore[no-untyped-def]
    token = client.csrf_token("/oefenen/")
    return client.post("/oefenen/beginnen", data={"les": lesson, "csrf_token": token})


def _sandbox(db: Session, client: CheckedClient) -> PracticeSandbox | None:
    cookie = client.get_cookie(browser.COOKIE_NAME)
    if cookie is None:
        return None
    db.expire_all()
    return db.scalar(select(PracticeSandbox).where(PracticeSandbox.token_hash == sandboxes.token_hash(cookie.value)))


def _digid_login(client: CheckedClient, app: Flask, username: str):  # type: ignore[no-untyped-def]
    """Log in through the practice DigiD; returns its answer (a redirect back, or its page)."""
    with route_http_to(app, BASE_URL):
        start = client.get("/inloggen")
        authorize = urlsplit(start.location)
        form_url = authorize.path + "?" + authorize.query
        page = client.get(form_url)
        token = client.csrf_token(form_url)
        answer = client.post(form_url, data={"username": username, "password": PRACTICE_PASSWORD,
                                             "csrf_token": token})
        if answer.status_code == 302:
            back = client.get(answer.location)
            return page, back
        return page, answer


def test_on_a_real_portal_the_practice_pages_do_not_exist(client: CheckedClient) -> None:
    assert client.get("/oefenen/").status_code == 404
    for path in ("/oefenen/beginnen", "/oefenen/opnieuw", "/oefenen/stoppen"):
        assert client.post(path).status_code in (400, 404)  # no CSRF token, or no such page


def test_begin_without_a_lesson_says_what_to_do(learner: CheckedClient, db: Session) -> None:
    token = learner.csrf_token("/oefenen/")
    response = learner.post("/oefenen/beginnen", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Kies een les." in normalise(response.get_data(as_text=True))
    assert learner.get_cookie(browser.COOKIE_NAME) is None
    assert db.scalar(select(func.count()).select_from(PracticeSandbox)) == 0


def test_begin_gives_this_browser_its_own_sandbox_and_the_digid_shows_only_its_persons(
    practice_app: Flask, learner: CheckedClient, db: Session
) -> None:
    response = _begin(learner, "machtigen")
    assert response.status_code == 302 and response.location == "/"
    cookie_header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(browser.COOKIE_NAME + "="))
    assert "HttpOnly" in cookie_header and "SameSite=Lax" in cookie_header and "Path=/" in cookie_header
    assert "Expires" not in cookie_header and "Max-Age" not in cookie_header  # ends with the browser
    sandbox = _sandbox(db, learner)
    assert sandbox is not None and sandbox.scenario == "machtigen"
    other: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    _begin(other, "machtigen")
    mine = set(db.scalars(select(Person.bsn).where(Person.sandbox_id == sandbox.id)))
    page, back = _digid_login(learner, practice_app, "sanne")
    text = normalise(page.get_data(as_text=True))
    assert all(bsn in text for bsn in mine)
    theirs = set(db.scalars(select(Person.bsn).where(Person.sandbox_id != sandbox.id)))
    assert theirs and not any(bsn in text for bsn in theirs)
    # Logged in as this sandbox's Sanne.
    assert back.status_code == 302
    inbox = learner.get("/berichten/")
    assert inbox.status_code == 200
    sanne = account_in(db, sandbox.id, "sanne")
    letter = db.scalars(select(Letter).where(Letter.account_id == sanne.id)).first()
    assert letter is not None and str(letter.id) in inbox.get_data(as_text=True)


def test_before_beginning_the_practice_digid_has_no_one_to_log_in_as(
    practice_app: Flask, learner: CheckedClient, demo
) -> None:  # type: ignore[no-untyped-def]
    """Not even the shared demo world's Joke, who is in the database."""
    page, answer = _digid_login(learner, practice_app, "joke")
    text = normalise(page.get_data(as_text=True))
    assert "U bent nog niet begonnen met oefenen" in text
    assert "999900006" not in text
    assert answer.status_code == 200
    assert "De gebruikersnaam of het wachtwoord is niet juist" in normalise(answer.get_data(as_text=True))


def test_start_again_puts_everything_back_and_logs_out(
    learner: CheckedClient, db: Session, now: datetime
) -> None:
    sandbox = begin(learner, db, "beginnen", now)
    joke = log_in_sandbox(learner, db, sandbox.id, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.archived.is_(False))).first()
    assert letter is not None
    token = learner.csrf_token(f"/berichten/{letter.id}")
    assert learner.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token}).status_code == 302
    db.expire_all()
    archived = db.scalar(select(func.count()).select_from(Letter).where(Letter.account_id == joke.id,
                                                                        Letter.archived.is_(True)))
    token = learner.csrf_token("/oefenen/")
    response = learner.post("/oefenen/opnieuw", data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/"
    assert "Alles staat weer zoals aan het begin" in normalise(learner.get("/").get_data(as_text=True))
    assert learner.get("/berichten/").status_code == 302  # logged out
    joke = account_in(db, sandbox.id, "joke")
    assert db.scalar(select(func.count()).select_from(Letter).where(
        Letter.account_id == joke.id, Letter.archived.is_(True))) == archived - 1


def test_stop_deletes_the_sandbox_and_the_cookie(learner: CheckedClient, db: Session, now: datetime) -> None:
    sandbox = begin(learner, db, "machtigen", now)
    sandbox_id = sandbox.id
    log_in_sandbox(learner, db, sandbox_id, "joke")
    token = learner.csrf_token("/oefenen/")
    response = learner.post("/oefenen/stoppen", data={"csrf_token": token})
    assert response.status_code == 302
    assert learner.get_cookie(browser.COOKIE_NAME) is None
    db.expire_all()
    assert db.get(PracticeSandbox, sandbox_id) is None
    assert db.scalar(select(func.count()).select_from(Person).where(Person.sandbox_id == sandbox_id)) == 0


def test_a_new_lesson_replaces_the_old_sandbox(learner: CheckedClient, db: Session, now: datetime) -> None:
    old = begin(learner, db, "beginnen", now)
    old_hash = old.token_hash
    response = _begin(learner, "machtigen")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    # One sandbox (SQLite may give it the old id again), with a new token.
    assert [(s.scenario, s.token_hash != old_hash) for s in db.scalars(select(PracticeSandbox))] == [("machtigen", True)]
    assert _sandbox(db, learner) is not None


def test_a_login_of_another_browsers_sandbox_is_no_login_here(
    practice_app: Flask, learner: CheckedClient, db: Session, now: datetime
) -> None:
    """A copied session cookie of another learner (or an account of a sandbox that was
    reset or stopped) logs nobody in; the other learner stays logged in."""
    other: CheckedClient = practice_app.test_client()  # type: ignore[assignment]
    theirs = begin(other, db, "beginnen", now)
    begin(learner, db, "beginnen", now)
    log_in_sandbox(other, db, theirs.id, "joke")
    log_in_sandbox(learner, db, theirs.id, "joke")  # the login of the other sandbox's Joke
    assert learner.get("/berichten/").status_code == 302
    assert other.get("/berichten/").status_code == 200


def test_an_expired_sandbox_says_it_was_wiped(
    learner: CheckedClient, db: Session, now: datetime
) -> None:
    sandbox = begin(learner, db, "beginnen", now - sandboxes.IDLE_LIMIT)
    assert sandbox is not None
    text = normalise(learner.get("/oefenen/").get_data(as_text=True))
    assert "U heeft 8 uur niets gedaan. Daarom is uw oefenomgeving gewist." in text
    assert learner.get("/").status_code == 200
    assert "Begin met oefenen" in text


def test_use_is_noted_once_a_minute(learner: CheckedClient, db: Session, now: datetime) -> None:
    sandbox = begin(learner, db, "beginnen", now - timedelta(minutes=2))
    learner.get("/")
    db.expire_all()
    seen = db.get(PracticeSandbox, sandbox.id).last_seen_at  # type: ignore[union-attr]
    assert seen is not None and abs((seen.replace(tzinfo=None) - now.replace(tzinfo=None)).total_seconds()) < 60


def test_the_inboxs_own_poll_does_not_keep_a_sandbox_alive(
    learner: CheckedClient, db: Session, now: datetime
) -> None:
    sandbox = begin(learner, db, "beginnen", now - timedelta(minutes=2))
    log_in_sandbox(learner, db, sandbox.id, "joke")
    poll = learner.get("/berichten/nieuw", headers={"HX-Request": "true"})
    assert poll.status_code in (200, 204)
    db.expire_all()
    seen = db.get(PracticeSandbox, sandbox.id).last_seen_at  # type: ignore[union-attr]
    assert abs((seen.replace(tzinfo=None) - (now - timedelta(minutes=2)).replace(tzinfo=None)).total_seconds()) < 1
    learner.get("/berichten/")
    db.expire_all()
    assert db.get(PracticeSandbox, sandbox.id).last_seen_at != seen  # type: ignore[union-attr]


def test_when_every_slot_is_taken_the_learner_is_told_to_wait(
    learner: CheckedClient, db: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandboxes, "MAX_SANDBOXES", 1)
    sandboxes.create(db, "beginnen", now.date(), now)
    response = _begin(learner)
    assert response.status_code == 503
    assert "Er oefenen nu te veel mensen tegelijk" in normalise(response.get_data(as_text=True))


def test_the_practice_digid_links_back_to_begin(practice_app: Flask, learner: CheckedClient) -> None:
    with route_http_to(practice_app, BASE_URL):
        start = learner.get("/inloggen")
        authorize = urlsplit(start.location)
        assert parse_qs(authorize.query)["client_id"]
        page = learner.page(authorize.path + "?" + authorize.query)
    link = page.find("a", string=lambda text: normalise(text or "") == "Begin met oefenen")
    assert link is not None and str(link["href"]).endswith("/oefenen/")
    assert MOUNT_PATH in authorize.path


def test_the_worker_purges_the_idle_sandboxes_in_practice_mode(
    practice_app: Flask, app: Flask, db: Session, now: datetime
) -> None:
    from portal.notifications.backends import FileBackend
    from portal.notifications.worker import Worker

    idle = sandboxes.create(db, "beginnen", now.date(), now - sandboxes.IDLE_LIMIT).sandbox
    active = sandboxes.create(db, "beginnen", now.date(), now).sandbox
    idle_id, active_id = idle.id, active.id
    # A portal in the normal mode has no sandboxes to purge and does not look for them.
    Worker(app, FileBackend(app.instance_path)).run(0, once=True)
    db.expire_all()
    assert db.get(PracticeSandbox, idle_id) is not None
    Worker(practice_app, FileBackend(practice_app.instance_path)).run(0, once=True)
    db.expire_all()
    assert db.get(PracticeSandbox, idle_id) is None
    assert db.get(PracticeSandbox, active_id) is not None
    assert db.scalar(select(func.count()).select_from(Person).where(Person.sandbox_id == idle_id)) == 0
