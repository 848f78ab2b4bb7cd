"""The audit log: every page a helper views and every action they take is recorded, the app
cannot change or remove a line, and no BSN ends up in a log line or an audit row."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.demo.people import PEOPLE
from portal.domain import audit
from portal.domain.audit import AuditLogIsAppendOnly
from portal.models import Account, AuditAction, AuditEntry, Case, Letter, Mandate
from portal.policy import Scope
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

DEMO_BSNS = [person.bsn for person in PEOPLE]


def entries(db: Session) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def unread_letter(db: Session, account: Account) -> Letter:
    found = db.scalars(
        select(Letter).where(Letter.account_id == account.id, Letter.archived.is_(False))
        .order_by(Letter.placed_at.desc())
    ).first()
    assert found is not None
    return found


@pytest.fixture
def joke(db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return account_of(db, "joke")


@pytest.fixture
def sanne_helps_joke(client: CheckedClient, db: Session, joke: Account, now: datetime) -> Mandate:
    helper = log_in(client, db, "sanne")
    mandate = make_mandate(db, joke, helper, now=now)
    act_under(client, db, mandate)
    return mandate


def test_page_views_and_actions_are_recorded_with_who_for_whom_and_what(
    client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate
) -> None:
    letter = unread_letter(db, joke)
    attachment = letter.attachments[0]
    sanne = account_of(db, "sanne")
    client.page("/berichten/")
    client.page(f"/berichten/{letter.id}")
    assert client.get(f"/berichten/{letter.id}/bijlagen/{attachment.id}").status_code == 200
    token = client.csrf_token("/berichten/")
    assert client.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token}).status_code == 302
    recorded = [
        (e.actor_id, e.owner_id, e.mandate_id, e.action, e.what, e.object_id) for e in entries(db)
    ]
    mandate_id = sanne_helps_joke.id
    assert recorded == [
        (sanne.id, joke.id, mandate_id, AuditAction.PAGE_VIEWED, "messages.inbox", None),
        (sanne.id, joke.id, mandate_id, AuditAction.PAGE_VIEWED, "messages.letter", str(letter.id)),
        (sanne.id, joke.id, mandate_id, AuditAction.PAGE_VIEWED, "messages.attachment", str(attachment.id)),
        (sanne.id, joke.id, mandate_id, AuditAction.PAGE_VIEWED, "messages.inbox", None),  # for the token
        (sanne.id, joke.id, mandate_id, AuditAction.ACTION_TAKEN, "messages.archive_letter", str(letter.id)),
    ]
    assert all(e.at is not None for e in entries(db))


def test_cases_profile_and_settings_are_recorded_too(
    client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate
) -> None:
    case = db.scalars(select(Case).where(Case.account_id == joke.id)).first()
    assert case is not None
    client.page(f"/zaken/{case.id}")
    client.page("/gegevens")
    client.page("/instellingen")
    assert [(e.what, e.object_id) for e in entries(db)] == [
        ("cases.case", str(case.id)), ("profile.index", None), ("settings.index", None)
    ]


def test_refused_and_missing_pages_are_recorded_as_attempts_without_content(
    client: CheckedClient, db: Session, now: datetime, demo  # type: ignore[no-untyped-def]
) -> None:
    """Issue 16, item 9: what a helper tried and was refused is in the citizen's log, as an
    attempt, without the object (which may be someone else's). Choosing is not recorded."""
    joke = account_of(db, "joke")
    helper = log_in(client, db, "sanne")
    letters_only = make_mandate(db, joke, helper, now=now, scopes=[Scope.READ_LETTERS])
    act_under(client, db, letters_only)
    client.page("/zaken/", status=403)  # not given
    client.page("/berichten/00000000-0000-4000-8000-000000000000", status=404)
    client.page("/handelen-voor")  # choosing is nobody's data
    htmx = client.get("/zaken/", headers={"HX-Request": "true"})
    assert htmx.status_code == 403  # the page reloads and is recorded then, not twice
    recorded = entries(db)
    assert [(e.action, e.what, e.object_id) for e in recorded] == [
        (AuditAction.ATTEMPT_REFUSED, "cases.index", None),
        (AuditAction.ATTEMPT_REFUSED, "messages.letter", None),
    ]
    assert all(
        (e.actor_id, e.owner_id, e.mandate_id) == (helper.id, joke.id, letters_only.id) for e in recorded
    )
    # A refused attempt is not a first use of the mandate.
    db.refresh(letters_only)
    assert letters_only.first_used_at is None


def test_nothing_is_recorded_when_citizens_act_for_themselves(
    client: CheckedClient, db: Session, joke: Account
) -> None:
    log_in(client, db, "joke")
    letter = unread_letter(db, joke)
    client.page("/berichten/")
    client.page(f"/berichten/{letter.id}")
    client.page("/zaken/")
    token = client.csrf_token("/berichten/")
    client.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token})
    assert entries(db) == []


@pytest.fixture
def one_entry(client: CheckedClient, db: Session, sanne_helps_joke: Mandate) -> AuditEntry:
    client.page("/berichten/")
    (entry,) = entries(db)
    return entry


def test_an_entry_cannot_be_changed_through_the_orm(db: Session, one_entry: AuditEntry) -> None:
    one_entry.what = "messages.inbox.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db.commit()
    db.rollback()
    assert entries(db)[0].what == "messages.inbox"


def test_an_entry_cannot_be_deleted_through_the_orm(db: Session, one_entry: AuditEntry) -> None:
    db.delete(one_entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()
    assert len(entries(db)) == 1


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEntry).values(what="x"),
        update(AuditEntry).where(AuditEntry.id > 0).values(actor_id=0),
        delete(AuditEntry),
        delete(AuditEntry).where(AuditEntry.id > 0),
    ],
    ids=["update-all", "update-where", "delete-all", "delete-where"],
)
def test_bulk_statements_cannot_change_or_delete_entries(
    db: Session, one_entry: AuditEntry, statement  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(AuditLogIsAppendOnly):
        db.execute(statement)
    db.rollback()
    assert [(e.id, e.what, e.actor_id) for e in entries(db)] == [
        (one_entry.id, one_entry.what, one_entry.actor_id)
    ]


def test_the_app_session_refuses_changes_too(app: Flask, one_entry: AuditEntry) -> None:
    from portal.db import get_session

    with app.app_context():
        session = get_session()
        found = session.get(AuditEntry, one_entry.id)
        assert found is not None
        session.delete(found)
        with pytest.raises(AuditLogIsAppendOnly):
            session.commit()
        session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            session.execute(update(AuditEntry).values(object_id=None))
        session.rollback()


def test_adding_entries_stays_possible(db: Session, one_entry: AuditEntry, now: datetime) -> None:
    audit.record(db, actor_id=one_entry.actor_id, owner_id=one_entry.owner_id, mandate_id=one_entry.mandate_id,
                 action=AuditAction.ACTION_TAKEN, what="messages.archive_letter", at=now)
    db.commit()
    assert len(entries(db)) == 2


def test_no_bsn_in_any_log_line_or_audit_row_during_a_helper_journey(
    app: Flask, client: CheckedClient, db: Session, joke: Account, now: datetime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    helper = log_in(client, db, "sanne")
    citizen = app.test_client()
    log_in(citizen, db, "joke")
    mandate = make_mandate(db, joke, helper, now=now)
    letter = unread_letter(db, joke)
    attachment_id = letter.attachments[0].id
    case = db.scalars(select(Case).where(Case.account_id == joke.id)).first()
    assert case is not None
    # Everything the app logs, down to DEBUG, and every SQL statement with its parameters.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    # Sanne chooses Joke, looks around, archives a letter, stops; Joke reads her log.
    token = client.csrf_token("/handelen-voor")
    client.post("/handelen-voor", data={"csrf_token": token, "voor": str(mandate.id)})
    for url in ("/berichten/", f"/berichten/{letter.id}", f"/berichten/{letter.id}/afdrukken", "/zaken/",
                f"/zaken/{case.id}", "/gegevens", "/instellingen", "/instellingen/e-mail"):
        client.page(url)
    assert client.get(f"/berichten/{letter.id}/bijlagen/{attachment_id}").status_code == 200
    client.page("/machtigingen/logboek", status=403)
    token = client.csrf_token("/berichten/")
    client.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token})
    client.post("/handelen-voor/stoppen", data={"csrf_token": token})
    client.page("/machtigingen/mijn-acties")
    citizen.page("/machtigingen/logboek")
    logged = [record.getMessage() + " " + repr(record.args) for record in caplog.records]
    caplog.set_level(logging.WARNING, logger="sqlalchemy.engine")

    assert len(logged) > 50, "the capture should see the journey's SQL"
    for line in logged:
        for bsn in DEMO_BSNS:
            assert bsn not in line, line[:200]
    rows = entries(db)
    assert len(rows) >= 10
    for entry in rows:
        row = " ".join(str(value) for value in (entry.actor_id, entry.owner_id, entry.mandate_id, entry.action,
                                                 entry.what, entry.object_id, entry.at))
        assert not any(bsn in row for bsn in DEMO_BSNS)
