"""The open Berichtenbox shows a new letter without a reload (issue 10, item 4): the poll
``/berichten/nieuw`` (``messages.new_letters``), without a browser. The browser side is in
tests/browser/test_live_inbox.py."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from portal.domain.letters import LetterDraft, place_letter
from portal.login_sessions import SESSION_KEY, token_hash
from portal.models import Account, AuditEntry, Letter, LoginSession, Organisation
from portal.timeutil import as_utc, utcnow
from portal.mandates.log import action_label
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

POLL = "/berichten/nieuw"
HTMX = {"HX-Request": "true"}
# Statements of one poll: the login (session and account in one), the new letters; with
# letters also their count and the unread count.
POLL_BOUND_NOTHING_NEW = 2
POLL_BOUND_WITH_LETTERS = 4


@pytest.fixture
def joke(client: CheckedClient, db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return log_in(client, db, "joke")


def _organisation(db: Session, name: str | None = None) -> Organisation:
    query = select(Organisation).order_by(Organisation.id)
    if name is not None:
        query = query.where(Organisation.name == name)
    found = db.scalars(query).first()
    assert found is not None
    return found


def _place(db: Session, account: Account, subject: str, *, organisation: Organisation | None = None,
           not_for_helpers: bool = False, at: datetime | None = None) -> Letter:
    letter = place_letter(
        db, account_id=account.id, organisation_id=(organisation or _organisation(db)).id,
        draft=LetterDraft(subject=subject, body="Tekst.", reference="LIVE-1", not_for_helpers=not_for_helpers),
        placed_at=at or utcnow(),
    )
    db.commit()
    return letter


def _poll_url(soup: BeautifulSoup) -> str:
    poll = soup.find(id="nieuwe-post")
    assert poll is not None, "no poll on this page"
    assert poll.has_attr("data-background") and poll.has_attr("hidden")
    return str(poll["hx-get"])


def _statements(app: Flask):  # type: ignore[no-untyped-def]
    statements: list[str] = []
    engine = app.extensions["portal.engine"]

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return statements, lambda: event.remove(engine, "before_cursor_execute", count)


def _last_seen(client: CheckedClient, db: Session) -> datetime:
    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    db.expire_all()
    row = db.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    assert row is not None
    return as_utc(row.last_seen_at)


def test_the_first_page_of_the_box_polls_the_archive_and_later_pages_do_not(
    client: CheckedClient, db: Session, joke: Account
) -> None:
    soup = client.page("/berichten/")
    url = _poll_url(soup)
    assert url.startswith(POLL + "?sinds=")
    poll = soup.find(id="nieuwe-post")
    assert poll["hx-trigger"] == "every 20000ms, live-inbox:now"
    assert soup.find(id="nieuwe-post").find_parent(id="berichtenlijst") is not None
    assert client.page("/berichten/archief").find(id="nieuwe-post") is None
    assert client.page("/berichten/?na=" + url.split("sinds=")[1]).find(id="nieuwe-post") is None


def test_nothing_new_is_204_and_cheap(app: Flask, client: CheckedClient, db: Session, joke: Account) -> None:
    url = _poll_url(client.page("/berichten/"))
    statements, stop = _statements(app)
    try:
        response = client.get(url, headers=HTMX)
    finally:
        stop()
    assert response.status_code == 204 and response.get_data() == b""
    assert len(statements) <= POLL_BOUND_NOTHING_NEW, statements
    print(f"poll statements, nothing new: {len(statements)}")


def test_a_new_letter_comes_with_the_counts_and_one_announcement(
    app: Flask, client: CheckedClient, db: Session, joke: Account
) -> None:
    soup = client.page("/berichten/")
    assert soup.find(id="aantal-nieuw").get_text(strip=True) == "U heeft 1 nieuw bericht."
    total_before = len(list(db.scalars(select(Letter.id).where(Letter.account_id == joke.id,
                                                              Letter.archived.is_(False)))))
    url = _poll_url(soup)
    letter = _place(db, joke, "Uw nieuwe pas is klaar")
    statements, stop = _statements(app)
    try:
        response = client.get(url, headers=HTMX)
    finally:
        stop()
    assert response.status_code == 200
    assert len(statements) <= POLL_BOUND_WITH_LETTERS, statements
    print(f"poll statements, one new letter: {len(statements)}")
    answer = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    rows = answer.find(attrs={"hx-swap-oob": "afterbegin:#brieven"})
    assert [a.get_text(strip=True) for a in rows.select(".letter-row__subject a")] == ["Uw nieuwe pas is klaar"]
    assert rows.find("a")["href"] == f"/berichten/{letter.id}"
    assert "Nieuw" in rows.get_text()
    assert answer.find(id="aantal-nieuw")["hx-swap-oob"] == "true"
    assert answer.find(id="aantal-nieuw").get_text(strip=True) == "U heeft 2 nieuwe berichten."
    assert answer.find(id="lijst-aantal").get_text(strip=True) == f"{total_before + 1} berichten"
    status = answer.find(attrs={"hx-swap-oob": "innerHTML:#lijst-status"})
    assert status.get_text(strip=True) == "Er is 1 nieuw bericht."
    # The next poll starts after the new letter: asked again, nothing is new.
    next_url = _poll_url(answer)
    assert next_url != url
    assert client.get(next_url, headers=HTMX).status_code == 204
    # Without JavaScript the letter is simply on the next page.
    assert "Uw nieuwe pas is klaar" in client.page("/berichten/").get_text()


def test_two_letters_are_announced_in_one_line(client: CheckedClient, db: Session, joke: Account) -> None:
    url = _poll_url(client.page("/berichten/"))
    _place(db, joke, "Eerste", at=utcnow() - timedelta(seconds=1))
    _place(db, joke, "Tweede")
    answer = BeautifulSoup(client.get(url, headers=HTMX).get_data(as_text=True), "html.parser")
    rows = answer.find(attrs={"hx-swap-oob": "afterbegin:#brieven"})
    assert [a.get_text(strip=True) for a in rows.select(".letter-row__subject a")] == ["Tweede", "Eerste"]
    assert answer.find(attrs={"hx-swap-oob": "innerHTML:#lijst-status"}).get_text(strip=True) == \
        "Er zijn 2 nieuwe berichten."


def test_the_poll_keeps_the_sender_filter(client: CheckedClient, db: Session, joke: Account) -> None:
    organisations = list(db.scalars(select(Organisation).order_by(Organisation.id)))
    chosen, other = organisations[0], organisations[1]
    _place(db, joke, "Al van de gekozen afzender", organisation=chosen, at=utcnow() - timedelta(seconds=5))
    url = _poll_url(client.page(f"/berichten/?van={chosen.id}"))
    assert f"van={chosen.id}" in url
    _place(db, joke, "Van een ander", organisation=other)
    assert client.get(url, headers=HTMX).status_code == 204
    _place(db, joke, "Van de gekozen afzender", organisation=chosen)
    assert "Van de gekozen afzender" in client.get(url, headers=HTMX).get_data(as_text=True)


def test_an_empty_box_gets_the_whole_list(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    emma = log_in(client, db, "emma")
    db.execute(update(Letter).where(Letter.account_id == emma.id).values(archived=True))
    db.commit()
    soup = client.page("/berichten/")
    assert "Er staan geen berichten in uw Berichtenbox." in soup.get_text()
    url = _poll_url(soup)
    assert "sinds" not in url
    assert client.get(url, headers=HTMX).status_code == 204
    _place(db, emma, "Uw eerste bericht")
    answer = BeautifulSoup(client.get(url, headers=HTMX).get_data(as_text=True), "html.parser")
    section = answer.find(id="berichtenlijst")
    assert section["hx-swap-oob"] == "true"
    assert "Uw eerste bericht" in section.get_text()
    assert "Er staan geen berichten" not in section.get_text()
    # It brings its own next poll, after the new letter.
    assert "sinds=" in _poll_url(section)


def test_without_htmx_the_poll_leads_to_the_box(client: CheckedClient, db: Session, joke: Account) -> None:
    response = client.get(POLL + "?van=3&sinds=abc")
    assert response.status_code == 302 and response.location == "/berichten/?van=3"


def test_polling_does_not_keep_the_login_alive(client: CheckedClient, db: Session, joke: Account) -> None:
    url = _poll_url(client.page("/berichten/"))
    idle_since = utcnow() - timedelta(minutes=14)
    db.execute(update(LoginSession).values(last_seen_at=idle_since))
    db.commit()
    for _ in range(3):
        assert client.get(url, headers=HTMX).status_code == 204
    assert _last_seen(client, db) == idle_since
    # A page the person asks for is activity.
    client.page("/berichten/")
    assert utcnow() - _last_seen(client, db) < timedelta(seconds=30)


def test_after_the_timeout_the_poll_sends_the_page_to_the_logged_out_page(
    client: CheckedClient, db: Session, joke: Account
) -> None:
    url = _poll_url(client.page("/berichten/"))
    db.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=15, seconds=1)))
    db.commit()
    response = client.get(url, headers=HTMX)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/uitgelogd?reden=tijd"


def test_a_helper_gets_only_what_his_mandate_lists_and_only_arrivals_are_logged(
    client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    joke = account_of(db, "joke")
    sanne = log_in(client, db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    act_under(client, db, mandate)
    url = _poll_url(client.page("/berichten/"))

    def poll_lines() -> list[AuditEntry]:
        db.expire_all()
        return list(db.scalars(select(AuditEntry).where(AuditEntry.mandate_id == mandate.id,
                                                        AuditEntry.what == "messages.new_letters")))

    lines_before = len(list(db.scalars(select(AuditEntry).where(AuditEntry.mandate_id == mandate.id))))
    assert client.get(url, headers=HTMX).status_code == 204
    _place(db, joke, "Alleen voor Joke", not_for_helpers=True)
    assert client.get(url, headers=HTMX).status_code == 204
    db.expire_all()
    assert len(list(db.scalars(select(AuditEntry).where(AuditEntry.mandate_id == mandate.id)))) == lines_before
    _place(db, joke, "Voor Joke en haar helper")
    response = client.get(url, headers=HTMX)
    text = response.get_data(as_text=True)
    assert "Voor Joke en haar helper" in text and "Alleen voor Joke" not in text
    [line] = poll_lines()
    assert action_label(line) == "Zag nieuwe berichten in uw Berichtenbox"
