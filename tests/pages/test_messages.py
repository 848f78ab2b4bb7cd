"""The Berichtenbox pages through the test client: scoping, opening, archiving, paging."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.config import INBOX_PAGE_SIZE
from portal.demo.seed import add_letters_for_benchmark
from portal.models import Letter, Organisation
from tests.support.html import CheckedClient, parse
from tests.support.login import account_of, log_in


def letters_of(db: Session, username: str, archived: bool | None = None) -> list[Letter]:
    query = select(Letter).where(Letter.account_id == account_of(db, username).id)
    if archived is not None:
        query = query.where(Letter.archived.is_(archived))
    return list(db.scalars(query.order_by(Letter.placed_at.desc())))


@pytest.fixture
def joke(client: CheckedClient, db: Session, demo):  # type: ignore[no-untyped-def]
    return log_in(client, db, "joke")


def test_inbox_lists_newest_first_and_marks_unread_with_text(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    soup = client.page("/berichten/")
    rows = soup.select(".letter-row")
    expected = letters_of(db, "joke", archived=False)
    assert [row.select_one(".letter-row__subject").get_text(strip=True) for row in rows] == [
        letter.subject for letter in expected
    ]
    unread = [row for row in rows if "Nieuw" in row.get_text()]
    assert len(unread) == 1
    assert "Doe iets vóór" in unread[0].get_text()
    assert "U heeft 1 nieuw bericht." in soup.get_text()


def test_opening_a_letter_records_the_first_opening_once(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    newest = letters_of(db, "joke", archived=False)[0]
    assert newest.first_opened_at is None
    soup = client.page(f"/berichten/{newest.id}")
    assert soup.h1.get_text(strip=True) == newest.subject
    db.expire_all()
    first = db.get(Letter, newest.id).first_opened_at
    assert first is not None
    client.page(f"/berichten/{newest.id}")
    db.expire_all()
    assert db.get(Letter, newest.id).first_opened_at == first
    assert "U heeft geen nieuwe berichten." in client.page("/berichten/").get_text()


def test_letter_page_shows_facts_action_attachments_and_sender_link(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    letter = letters_of(db, "joke", archived=False)[0]
    soup = client.page(f"/berichten/{letter.id}")
    text = soup.get_text(" ", strip=True)
    assert letter.organisation.name in text
    assert letter.reference in text
    assert "Wat moet ik doen?" in text
    links = {a.get_text(strip=True): a["href"] for a in soup.find_all("a")}
    for attachment in letter.attachments:
        assert links[attachment.filename] == f"/berichten/{letter.id}/bijlagen/{attachment.id}"
    assert links[f"Naar de website van {letter.organisation.name}"] == letter.sender_url


def test_attachment_downloads_as_pdf(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    letter = letters_of(db, "joke", archived=False)[0]
    attachment = letter.attachments[0]
    response = client.get(f"/berichten/{letter.id}/bijlagen/{attachment.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert len(response.data) == attachment.size
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_another_citizens_letter_and_attachment_are_not_found(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    theirs = letters_of(db, "sanne")[0]
    with_attachment = next(l for l in letters_of(db, "sanne") if l.attachments)
    attachment = with_attachment.attachments[0]
    paths = [
        f"/berichten/{theirs.id}",
        f"/berichten/{theirs.id}/afdrukken",
        f"/berichten/{with_attachment.id}/bijlagen/{attachment.id}",
        # Joke's own letter id with Sanne's attachment id.
        f"/berichten/{letters_of(db, 'joke')[0].id}/bijlagen/{attachment.id}",
        f"/berichten/{uuid.uuid4()}",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
    token = client.csrf_token("/berichten/")
    response = client.post(f"/berichten/{theirs.id}/archiveren", data={"csrf_token": token})
    assert response.status_code == 404
    db.expire_all()
    assert db.get(Letter, theirs.id).archived is False
    assert db.get(Letter, theirs.id).first_opened_at == theirs.first_opened_at


def test_archive_and_restore_without_javascript(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    letter = letters_of(db, "joke", archived=False)[0]
    token = client.csrf_token(f"/berichten/{letter.id}")
    response = client.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/berichten/"
    soup = client.page("/berichten/")
    assert "Het bericht staat nu in het archief." in soup.get_text()
    assert letter.subject not in [a.get_text(strip=True) for a in soup.select(".letter-row__subject a")]
    assert letter.subject in client.page("/berichten/archief").get_text()
    response = client.post(f"/berichten/{letter.id}/terugzetten", data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/berichten/archief"
    db.expire_all()
    assert db.get(Letter, letter.id).archived is False


def test_archive_from_the_list_with_htmx_returns_the_updated_list(
    client: CheckedClient, db: Session, joke
) -> None:  # type: ignore[no-untyped-def]
    letter = letters_of(db, "joke", archived=False)[1]
    token = client.csrf_token("/berichten/")
    response = client.post(
        f"/berichten/{letter.id}/archiveren",
        data={"csrf_token": token, "lijst": "postvak"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = parse(response.get_data(as_text=True))
    assert fragment.find("html") is None
    section = fragment.find(id="berichtenlijst")
    assert section is not None
    assert letter.subject not in section.get_text()
    assert fragment.find(id="lijst-status")["hx-swap-oob"] == "true"
    assert "HX-Request" in response.headers["Vary"]


def test_filter_per_organisation(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    letters = letters_of(db, "joke", archived=False)
    sender = letters[0].organisation
    soup = client.page(f"/berichten/?van={sender.id}")
    subjects = [a.get_text(strip=True) for a in soup.select(".letter-row__subject a")]
    assert subjects == [l.subject for l in letters if l.organisation_id == sender.id]
    options = [o.get_text(strip=True) for o in soup.select("#van option")]
    assert options[0] == "Alle organisaties" and sender.name in options
    # A filter on an organisation that never wrote gives an empty list, not an error.
    other = db.scalar(select(Organisation).where(Organisation.id.not_in({l.organisation_id for l in letters})))
    assert "Geen berichten" in client.page(f"/berichten/?van={other.id}").get_text()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999", "1 OR 1=1"])
def test_bad_filter_and_cursor_values_show_the_first_page(
    client: CheckedClient, joke, value: str  # type: ignore[no-untyped-def]
) -> None:
    assert client.get(f"/berichten/?van={value}").status_code == 200
    assert client.get(f"/berichten/?na={value}").status_code == 200
    assert client.get(f"/berichten/?voor={value}").status_code == 200


def test_paging_walks_every_letter_once_both_ways(
    client: CheckedClient, db: Session, joke, now
) -> None:  # type: ignore[no-untyped-def]
    account = account_of(db, "joke")
    organisation_ids = list(db.scalars(select(Organisation.id)))
    add_letters_for_benchmark(db, account.id, organisation_ids, 2 * INBOX_PAGE_SIZE + 5, now)
    db.commit()
    expected = [l.subject + str(l.id) for l in letters_of(db, "joke", archived=False)]
    seen: list[str] = []
    url = "/berichten/"
    pages = []
    while url:
        soup = client.page(url)
        pages.append(url)
        for row in soup.select(".letter-row__subject a"):
            seen.append(row.get_text(strip=True) + row["href"].rsplit("/", 1)[1])
        older = soup.find("a", string="Oudere berichten")
        url = older["href"] if older else None
    assert [s.replace("-", "") for s in seen] == [e.replace("-", "") for e in expected]
    # And back: from the last page, "Nieuwere berichten" returns the page before it.
    soup = client.page(pages[-1])
    newer = soup.find("a", string="Nieuwere berichten")
    back = client.page(newer["href"])
    first_back = back.select(".letter-row__subject a")[0]["href"]
    assert first_back == client.page(pages[-2]).select(".letter-row__subject a")[0]["href"]


def test_inbox_with_10000_letters_uses_a_fixed_number_of_queries(
    client: CheckedClient, app: Flask, db: Session, joke, now
) -> None:  # type: ignore[no-untyped-def]
    account = account_of(db, "joke")
    organisation_ids = list(db.scalars(select(Organisation.id)))
    add_letters_for_benchmark(db, account.id, organisation_ids, 10_000, now)
    db.commit()
    statements: list[str] = []
    engine = app.extensions["portal.engine"]

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        soup = client.page("/berichten/")
        older = soup.find("a", string="Oudere berichten")["href"]
        first_page = len(statements)
        statements.clear()
        client.page(older)
        second_page = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(soup.select(".letter-row")) == INBOX_PAGE_SIZE
    # Session and account (1), idle-timer refresh (1), letters, count, unread count, senders.
    assert first_page <= INBOX_QUERY_BOUND, statements
    assert second_page <= INBOX_QUERY_BOUND
    print(f"inbox queries with 10,000 letters: first page {first_page}, next page {second_page}")


INBOX_QUERY_BOUND = 6


def test_print_view_holds_the_letter(client: CheckedClient, db: Session, joke) -> None:  # type: ignore[no-untyped-def]
    letter = letters_of(db, "joke", archived=False)[0]
    soup = client.page(f"/berichten/{letter.id}/afdrukken")
    text = soup.get_text(" ", strip=True)
    for part in (letter.subject, letter.organisation.name, letter.reference):
        assert part in text
    assert soup.find("button", attrs={"data-print": True}).has_attr("hidden")
