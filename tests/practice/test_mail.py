"""Uw e-mail (issue 10, item 4): the practice mail view shows what the portal e-mailed this
browser's practice persons, and never another learner's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import notifications as rules
from portal.models import Account, Notification, Person, PracticeSandbox
from portal.timeutil import utcnow
from tests.notifications.support import confirmation_link, letter_with_email, send_to_files
from tests.support.html import CheckedClient, normalise
from tests.support.practice import account_in, begin

MAIL = "/oefenen/e-mail"
NEW_POST = "U heeft nieuwe post in uw Berichtenbox"


def _learner(app: Flask, db: Session, now: datetime, lesson: str = "beginnen") -> tuple[CheckedClient, PracticeSandbox]:
    client: CheckedClient = app.test_client()  # type: ignore[assignment]
    return client, begin(client, db, lesson, now)


def _queue_new_letter_mail(db: Session, sandbox: PracticeSandbox, now: datetime, address: str) -> Notification:
    joke = account_in(db, sandbox.id, "joke")
    letter_with_email(db, joke.id, address, now)
    db.commit()
    found = db.scalars(select(Notification).where(Notification.account_id == joke.id)
                       .order_by(Notification.id.desc())).first()
    assert found is not None
    return found


def _rows(soup: BeautifulSoup) -> list[str]:
    return [normalise(row.get_text(" ")) for row in soup.select("main .letter-row")]


def _bar(soup: BeautifulSoup):  # type: ignore[no-untyped-def]
    return soup.find("section", attrs={"aria-label": "Oefenomgeving"})


def test_without_a_sandbox_the_mail_view_sends_the_learner_to_begin(practice_app: Flask) -> None:
    client = practice_app.test_client()
    response = client.get(MAIL)
    assert response.status_code == 302 and response.location == "/oefenen/"
    assert client.get(f"{MAIL}/1").status_code == 404
    # And the bar does not offer it.
    assert _bar(BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")).find(
        "a", string="Uw e-mail") is None


def test_the_bar_leads_to_the_mail_view_once_the_learner_began(practice_app: Flask, db: Session, now: datetime) -> None:
    client, _sandbox = _learner(practice_app, db, now)
    link = _bar(client.page("/")).find("a", string="Uw e-mail")
    assert link is not None and link["href"] == MAIL
    soup = client.page(MAIL)
    assert soup.h1.get_text(strip=True) == "Uw e-mail"
    assert "Er zijn nog geen e-mails." in normalise(soup.get_text(" "))
    assert _rows(soup) == []


def test_a_queued_mail_says_it_is_not_sent_yet_and_a_sent_one_shows_the_text_as_sent(
    practice_app: Flask, db: Session, now: datetime, tmp_path: Path
) -> None:
    client, sandbox = _learner(practice_app, db, now)
    mail = _queue_new_letter_mail(db, sandbox, now, "joke@oefenen.example")
    joke_name = account_in(db, sandbox.id, "joke").person.full_name
    soup = client.page(MAIL)
    [row] = _rows(soup)
    assert NEW_POST in row and f"Aan: {joke_name}" in row and "Nog niet verstuurd" in row
    assert "gaat binnen een paar seconden weg" in normalise(soup.get_text(" "))
    page = client.page(f"{MAIL}/{mail.id}")
    assert "Deze e-mail is nog niet verstuurd" in normalise(page.get_text(" "))

    _tally, [sent] = send_to_files(practice_app, tmp_path, utcnow())
    soup = client.page(MAIL)
    [row] = _rows(soup)
    assert "Verstuurd op" in row and "Nog niet verstuurd" not in row
    page = client.page(f"{MAIL}/{mail.id}")
    text = normalise(page.get_text(" "))
    assert page.h1.get_text(strip=True) == NEW_POST == sent["Subject"]
    assert "nog niet verstuurd" not in text
    assert joke_name in text
    # The text as the person got it: every line of the .eml's body is on the page.
    body = page.select_one(".mail-body")
    assert normalise(body.get_text(" ")) == normalise(sent.get_content())
    # Only what a learner needs: no headers.
    html = page.decode()
    assert "Message-ID" not in html and "X-Portal" not in html and "Auto-Submitted" not in html


def test_the_confirmation_link_in_the_mail_can_be_followed(
    practice_app: Flask, db: Session, now: datetime, tmp_path: Path
) -> None:
    client, sandbox = _learner(practice_app, db, now)
    joke = account_in(db, sandbox.id, "joke")
    rules.request_confirmation(db, joke.id, "joke@oefenen.example", now=now,
                               secret=str(practice_app.config["SECRET_KEY"]).encode(), language="nl")
    db.commit()
    _tally, [sent] = send_to_files(practice_app, tmp_path, utcnow())
    mail = db.scalar(select(Notification).where(Notification.account_id == joke.id))
    assert mail is not None
    page = client.page(f"{MAIL}/{mail.id}")
    links = [a["href"] for a in page.select(".mail-body a")]
    assert links == [confirmation_link(sent)]


def test_a_learner_never_sees_another_learners_mail(practice_app: Flask, db: Session, now: datetime) -> None:
    first, first_box = _learner(practice_app, db, now)
    second, second_box = _learner(practice_app, db, now)
    mine = _queue_new_letter_mail(db, first_box, now, "eerste@oefenen.example")
    theirs = _queue_new_letter_mail(db, second_box, now, "tweede@oefenen.example")
    for client, own, other in ((first, mine, theirs), (second, theirs, mine)):
        soup = client.page(MAIL)
        hrefs = [a["href"] for a in soup.select("main .letter-row a")]
        assert hrefs == [f"{MAIL}/{own.id}"]
        assert client.get(f"{MAIL}/{own.id}").status_code == 200
        assert client.get(f"{MAIL}/{other.id}").status_code == 404
    # A browser without a sandbox sees neither.
    assert practice_app.test_client().get(f"{MAIL}/{mine.id}").status_code == 404


def _mails_of(db: Session, sandbox_id: int) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Notification)
                     .join(Account, Account.id == Notification.account_id)
                     .join(Person, Person.id == Account.person_id)
                     .where(Person.sandbox_id == sandbox_id)) or 0


def test_starting_again_and_stopping_take_the_mail_along(practice_app: Flask, db: Session, now: datetime) -> None:
    client, sandbox = _learner(practice_app, db, now)
    mail_id = _queue_new_letter_mail(db, sandbox, now, "joke@oefenen.example").id
    assert _mails_of(db, sandbox.id) == 1
    token = client.csrf_token("/oefenen/")
    assert client.post("/oefenen/opnieuw", data={"csrf_token": token}).status_code == 302
    assert _mails_of(db, sandbox.id) == 0
    assert client.get(f"{MAIL}/{mail_id}").status_code == 404
    assert "Er zijn nog geen e-mails." in normalise(client.page(MAIL).get_text(" "))
    mail_id = _queue_new_letter_mail(db, sandbox, now, "joke@oefenen.example").id
    token = client.csrf_token("/oefenen/")
    assert client.post("/oefenen/stoppen", data={"csrf_token": token}).status_code == 302
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.id == mail_id)) == 0
