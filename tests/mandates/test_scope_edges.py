"""Scope edges: letters of chosen organisations only, "not for helpers" letters, expiry at
the exact second, revocation on the very next request, future mandates, missing scopes, htmx."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import acting
from portal.domain import mandates
from portal.models import Account, AuditEntry, EndReason, Letter, Mandate, Organisation
from portal.policy import Scope
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate


def letters_of(db: Session, account: Account) -> list[Letter]:
    return list(db.scalars(select(Letter).where(Letter.account_id == account.id).order_by(Letter.placed_at.desc())))


def organisation(db: Session, name: str) -> Organisation:
    found = db.scalar(select(Organisation).where(Organisation.name == name))
    assert found is not None, name
    return found


def subjects_on(soup) -> list[str]:  # type: ignore[no-untyped-def]
    return [normalise(row.get_text()) for row in soup.select(".letter-row__subject")]


def audit_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count(AuditEntry.id))) or 0


@pytest.fixture
def joke(db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return account_of(db, "joke")


@pytest.fixture
def sanne(client: CheckedClient, db: Session, joke: Account) -> Account:
    return log_in(client, db, "sanne")


# -- Letters of chosen organisations only -----------------------------------------------------


def test_a_mandate_for_some_organisations_shows_only_their_letters(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime
) -> None:
    belastingdienst = organisation(db, "Belastingdienst")
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS], organisations=[belastingdienst])
    act_under(client, db, mandate)
    everything = letters_of(db, joke)
    chosen = [l for l in everything if l.organisation_id == belastingdienst.id]
    others = [l for l in everything if l.organisation_id != belastingdienst.id]
    assert chosen and others
    # One unread letter of another organisation must not count for the helper.
    hidden_unread = next(l for l in others if not l.archived)
    hidden_unread.first_opened_at = None
    db.commit()
    unread_chosen = sum(1 for l in chosen if not l.archived and l.first_opened_at is None)
    assert unread_chosen == 1

    inbox = client.page("/berichten/")
    expected_inbox = [l.subject for l in chosen if not l.archived]
    assert subjects_on(inbox) == expected_inbox
    heading = normalise(inbox.select_one("#lijst-kop").get_text())
    assert heading == ("1 bericht" if len(expected_inbox) == 1 else f"{len(expected_inbox)} berichten")
    text = normalise(inbox.get_text())
    for letter in others:
        assert letter.subject not in text
        assert letter.organisation.name not in text  # not even in the sender filter
    archive = client.page("/berichten/archief")
    assert subjects_on(archive) == [l.subject for l in chosen if l.archived]
    assert "U heeft 1 nieuw bericht." in text  # the unread count leaves the others out

    for letter in others:
        client.page(f"/berichten/{letter.id}", status=404)
        client.page(f"/berichten/{letter.id}/afdrukken", status=404)
        for attachment in letter.attachments:
            assert client.get(f"/berichten/{letter.id}/bijlagen/{attachment.id}").status_code == 404
    # Filtering on another organisation by hand shows nothing of it either.
    other_org = others[0].organisation_id
    assert subjects_on(client.page(f"/berichten/?van={other_org}")) == []

    for letter in chosen:
        soup = client.page(f"/berichten/{letter.id}")
        assert normalise(soup.h1.get_text()) == letter.subject
        for attachment in letter.attachments:
            assert client.get(f"/berichten/{letter.id}/bijlagen/{attachment.id}").status_code == 200


def test_a_letter_of_another_organisation_cannot_be_archived_by_the_helper(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime
) -> None:
    belastingdienst = organisation(db, "Belastingdienst")
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS, Scope.MANAGE_LETTERS],
                           organisations=[belastingdienst])
    act_under(client, db, mandate)
    other = next(l for l in letters_of(db, joke) if l.organisation_id != belastingdienst.id and not l.archived)
    token = client.csrf_token("/berichten/")
    assert client.post(f"/berichten/{other.id}/archiveren", data={"csrf_token": token}).status_code == 404
    db.refresh(other)
    assert other.archived is False


# -- "Not for helpers" ------------------------------------------------------------------------


@pytest.fixture
def private_letter(db: Session, joke: Account) -> Letter:
    letter = next(l for l in letters_of(db, joke) if l.attachments and not l.archived)
    letter.not_for_helpers = True
    letter.first_opened_at = None
    db.commit()
    return letter


def test_a_helper_sees_that_a_not_for_helpers_letter_exists_but_never_its_content(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime, private_letter: Letter
) -> None:
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS, Scope.MANAGE_LETTERS])
    act_under(client, db, mandate)
    secrets = [private_letter.subject, private_letter.body[:40]] + [a.filename for a in private_letter.attachments]

    inbox = client.page("/berichten/")
    # One line with the count (issue #18; tests/mandates/test_not_for_helpers_line.py), not a
    # link per letter.
    assert "1 bericht is alleen voor Joke de Vries." in normalise(inbox.get_text())
    assert inbox.find("a", href=f"/berichten/{private_letter.id}") is None
    assert not any(secret in inbox.get_text() for secret in secrets)

    for url in (f"/berichten/{private_letter.id}", f"/berichten/{private_letter.id}/afdrukken"):
        soup = client.page(url)
        assert normalise(soup.h1.get_text()) == "Bericht alleen voor Joke de Vries"
        text = normalise(soup.get_text())
        assert private_letter.organisation.name in text  # it exists, and who sent it
        assert not any(secret in text for secret in secrets), url
        assert soup.select_one(".letter-body") is None
    for attachment in private_letter.attachments:
        assert client.get(f"/berichten/{private_letter.id}/bijlagen/{attachment.id}").status_code == 404
    db.expire_all()
    assert db.get(Letter, private_letter.id).first_opened_at is None  # still unread for Joke


def test_the_citizen_reads_a_not_for_helpers_letter_normally(
    client: CheckedClient, db: Session, joke: Account, private_letter: Letter
) -> None:
    log_in(client, db, "joke")
    assert private_letter.subject in subjects_on(client.page("/berichten/"))
    soup = client.page(f"/berichten/{private_letter.id}")
    assert normalise(soup.h1.get_text()) == private_letter.subject
    attachment = private_letter.attachments[0]
    assert client.get(f"/berichten/{private_letter.id}/bijlagen/{attachment.id}").status_code == 200
    db.expire_all()
    assert db.get(Letter, private_letter.id).first_opened_at is not None


# -- Time: expiry at the exact second, future mandates ------------------------------------------


def test_a_mandate_holds_until_one_microsecond_before_its_end(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ends_at = (now + timedelta(hours=1)).replace(microsecond=0)
    mandate = make_mandate(db, joke, sanne, now=now, ends_at=ends_at)
    act_under(client, db, mandate)
    monkeypatch.setattr(acting, "utcnow", lambda: ends_at - timedelta(microseconds=1))
    client.page("/berichten/")
    monkeypatch.setattr(acting, "utcnow", lambda: ends_at)
    soup = client.page("/berichten/", status=403)
    assert normalise(soup.h1.get_text()) == "U kunt dit niet meer doen voor een ander"
    assert "De machtiging voor Joke de Vries is verlopen." in normalise(soup.get_text())
    assert soup.select_one(".letter-row") is None


def test_a_future_mandate_gives_nothing_until_it_starts(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    starts_at = (now + timedelta(days=2)).replace(microsecond=0)
    mandate = make_mandate(db, joke, sanne, now=now, starts_at=starts_at)
    act_under(client, db, mandate)
    for url in ("/berichten/", "/zaken/", "/gegevens"):
        soup = client.page(url, status=403)
        assert soup.select_one(".letter-row, .case-list") is None
    assert audit_count(db) == 0
    monkeypatch.setattr(acting, "utcnow", lambda: starts_at - timedelta(microseconds=1))
    client.page("/berichten/", status=403)
    monkeypatch.setattr(acting, "utcnow", lambda: starts_at)
    client.page("/berichten/")


# -- Revocation on the very next request --------------------------------------------------------


@pytest.mark.parametrize("reason", [EndReason.REVOKED, EndReason.RETURNED])
def test_ending_a_mandate_takes_effect_on_the_helpers_very_next_request(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime, reason: EndReason
) -> None:
    mandate = make_mandate(db, joke, sanne, now=now)
    act_under(client, db, mandate)
    letter = next(l for l in letters_of(db, joke) if not l.archived)
    client.page(f"/berichten/{letter.id}")
    token = client.csrf_token("/berichten/")
    recorded = audit_count(db)
    assert mandates.end(db, mandate, by_id=joke.id, reason=reason, now=now)
    db.commit()
    # The very next request, whatever it is, gets the lost page and no data.
    response = client.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token})
    assert response.status_code == 403
    assert letter.subject not in response.get_data(as_text=True)
    db.refresh(letter)
    assert letter.archived is False
    soup = client.page(f"/berichten/{letter.id}", status=403)
    assert "De machtiging voor Joke de Vries is gestopt." in normalise(soup.get_text())
    assert audit_count(db) == recorded


# -- Missing scopes and htmx --------------------------------------------------------------------


def test_a_helper_without_the_scope_gets_the_refused_page_and_nothing_changes(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime
) -> None:
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS])
    act_under(client, db, mandate)
    for url in ("/zaken/", "/gegevens", "/instellingen", "/machtigingen/logboek"):
        soup = client.page(url, status=403)
        assert normalise(soup.h1.get_text()) == "Dit mag u niet doen voor Joke de Vries", url
    letter = next(l for l in letters_of(db, joke) if not l.archived)
    token = client.csrf_token("/berichten/")
    response = client.post(f"/berichten/{letter.id}/archiveren", data={"csrf_token": token})
    assert response.status_code == 403
    db.refresh(letter)
    assert letter.archived is False


def test_htmx_requests_that_are_refused_or_lost_reload_the_whole_page(
    client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime
) -> None:
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS])
    act_under(client, db, mandate)
    refused = client.get("/zaken/", headers={"HX-Request": "true"})
    assert refused.status_code == 403 and refused.headers["HX-Refresh"] == "true"
    assert refused.get_data() == b""
    mandates.end(db, mandate, by_id=joke.id, reason=EndReason.REVOKED, now=now)
    db.commit()
    lost = client.get("/berichten/?pagina=2", headers={"HX-Request": "true"})
    assert lost.status_code == 403 and lost.headers["HX-Refresh"] == "true"


def test_the_helper_pages_of_another_helper_are_no_way_in(
    app: Flask, client: CheckedClient, db: Session, joke: Account, sanne: Account, now: datetime
) -> None:
    """A mandate for someone else (not the logged-in helper) gives nothing, even if the
    login session names it."""
    kees = account_of(db, "kees")
    not_sannes: Mandate = make_mandate(db, joke, kees, now=now)
    act_under(client, db, not_sannes)
    client.page("/berichten/", status=403)
    assert audit_count(db) == 0
