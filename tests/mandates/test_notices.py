"""Letters to the citizen about their mandates, in their own Berichtenbox, from Burgerportaal:
given, first used (exactly once, on the helper's first page view), about to end, ended."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.domain.portal_letters import PORTAL_SENDER_NAME
from portal.mandates import notices
from portal.models import Account, EndReason, Letter, Mandate, MandateKind, Organisation
from portal.policy import Scope
from portal.timeutil import as_utc
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate


def portal_letters_of(db: Session, account: Account) -> list[Letter]:
    db.expire_all()
    return list(
        db.scalars(
            select(Letter).join(Organisation).where(
                Letter.account_id == account.id, Organisation.name == PORTAL_SENDER_NAME
            ).order_by(Letter.placed_at, Letter.reference)
        )
    )


@pytest.fixture
def in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def joke(db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return account_of(db, "joke")


@pytest.fixture
def mandate(db: Session, joke: Account, now: datetime) -> Mandate:
    return make_mandate(db, joke, account_of(db, "sanne"), now=now,
                        scopes=[Scope.READ_LETTERS, Scope.VIEW_CASES])


def test_a_given_mandate_is_announced_in_the_citizens_own_box(
    client: CheckedClient, db: Session, joke: Account, mandate: Mandate, now: datetime, in_request: None
) -> None:
    notices.given(db, mandate, now)
    db.commit()
    (letter,) = portal_letters_of(db, joke)
    assert letter.subject == "Iemand mag dingen voor u doen"
    assert "Sanne de Vries mag dingen voor u doen" in letter.body
    assert "berichten lezen, lopende zaken bekijken" in letter.body
    assert "Wat anderen voor mij deden" in letter.body
    assert letter.account_id == joke.id and letter.first_opened_at is None
    # Joke finds it in her own Berichtenbox, from Burgerportaal.
    log_in(client, db, "joke")
    rows = [normalise(row.get_text(" ")) for row in client.page("/berichten/").select(".letter-row")]
    assert any(PORTAL_SENDER_NAME in row and letter.subject in row for row in rows)
    assert not portal_letters_of(db, account_of(db, "sanne"))  # nothing in the helper's box


def test_an_assisted_visit_is_announced_with_the_desk(
    db: Session, joke: Account, now: datetime, in_request: None
) -> None:
    visit = make_mandate(db, joke, account_of(db, "marieke"), now=now, kind=MandateKind.ASSISTED,
                         ends_at=now + timedelta(minutes=60))
    notices.given(db, visit, now)
    db.commit()
    (letter,) = portal_letters_of(db, joke)
    assert letter.subject == "Iemand van de balie helpt u"
    assert "Marieke Jansen van Bibliotheek Utrecht" in letter.body


def test_first_use_is_announced_exactly_once_on_the_helpers_first_page_view(
    client: CheckedClient, db: Session, joke: Account, mandate: Mandate
) -> None:
    log_in(client, db, "sanne")
    act_under(client, db, mandate)
    client.page("/instellingen", status=403)  # refused: not a use
    assert portal_letters_of(db, joke) == []
    client.page("/berichten/")
    client.page("/zaken/")
    client.page("/berichten/")
    letters = portal_letters_of(db, joke)
    assert [letter.subject for letter in letters] == ["Sanne de Vries deed iets voor u"]
    assert "Stop de machtiging dan meteen bij Machtigingen" in letters[0].body
    db.refresh(mandate)
    assert mandate.first_used_at is not None


def test_first_use_of_a_second_mandate_is_announced_again(
    client: CheckedClient, db: Session, joke: Account, mandate: Mandate, now: datetime
) -> None:
    log_in(client, db, "sanne")
    act_under(client, db, mandate)
    client.page("/berichten/")
    mandates.end(db, mandate, by_id=joke.id, reason=EndReason.REVOKED, now=now)
    db.commit()
    second = make_mandate(db, joke, account_of(db, "sanne"), now=now)
    act_under(client, db, second)
    client.page("/berichten/")
    client.page("/berichten/")
    subjects = [letter.subject for letter in portal_letters_of(db, joke)]
    assert subjects == ["Sanne de Vries deed iets voor u"] * 2


def test_citizens_acting_for_themselves_get_no_first_use_letter(
    client: CheckedClient, db: Session, joke: Account, mandate: Mandate
) -> None:
    log_in(client, db, "joke")
    client.page("/berichten/")
    assert portal_letters_of(db, joke) == []


def test_the_expiry_warning_names_the_last_day(
    db: Session, joke: Account, now: datetime, in_request: None
) -> None:
    ends = mandates.end_after_day((now + timedelta(days=30)).date())
    expiring = make_mandate(db, joke, account_of(db, "sanne"), now=now, ends_at=ends)
    notices.expiring(db, expiring, now)
    db.commit()
    (letter,) = portal_letters_of(db, joke)
    assert letter.subject == "Uw machtiging stopt binnenkort"
    last = mandates.last_day(expiring)
    assert last is not None and str(last.day) in letter.body and str(last.year) in letter.body
    assert "Sanne de Vries" in letter.body
    assert expiring.expiry_warned_at is not None and as_utc(expiring.expiry_warned_at) == now


def test_an_ended_mandate_is_announced_but_one_never_accepted_is_not(
    db: Session, joke: Account, mandate: Mandate, now: datetime, in_request: None
) -> None:
    mandates.end(db, mandate, by_id=joke.id, reason=EndReason.REVOKED, now=now)
    notices.ended(db, mandate, now)
    never = make_mandate(db, joke, account_of(db, "ahmed"), now=now, accepted=False)
    notices.ended(db, never, now)
    db.commit()
    (letter,) = portal_letters_of(db, joke)
    assert letter.subject == "Een machtiging is gestopt"
    assert "Sanne de Vries mag vanaf nu niets meer voor u doen" in letter.body


def test_each_notice_has_its_own_reference_per_mandate(
    db: Session, joke: Account, mandate: Mandate, now: datetime, in_request: None
) -> None:
    notices.given(db, mandate, now)
    notices.first_used(db, mandate, now)
    notices.expiring(db, mandate, now)
    notices.ended(db, mandate, now)
    db.commit()
    letters = portal_letters_of(db, joke)
    assert len(letters) == 4
    assert len({letter.reference for letter in letters}) == 4
    # first_used does nothing the second time.
    notices.first_used(db, mandate, now + timedelta(minutes=1))
    db.commit()
    assert len(portal_letters_of(db, joke)) == 4
