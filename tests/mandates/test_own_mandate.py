"""Issue 16, item 1: a representative approved his own request while acting for his client,
and kept that mandate after the court ended his representation.

Rule (``portal.domain.mandates.refuse_own``): nobody approves, gives or changes a mandate whose
helper is the person acting, under whatever mandate they act. Everything a representative
gave, approved or changed while acting ends with the representation (``legal.end_representation``;
at once for an expiry too, through ``policy.state_of``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.people import by_username
from portal.domain import mandates
from portal.domain.mandates import MandateError, MandateRule, Terms
from portal.mandates import daily
from portal.models import EndReason, Letter, Mandate, MandateKind
from portal.policy import HELPER_SCOPES, MandateState, state_of
from portal.timeutil import as_utc
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

HENK = by_username("henk")
LOST_TEXT = "U kunt dit niet meer doen voor een ander"


def legal_mandate(db: Session, client: str = "henk", rep: str = "kees") -> Mandate:
    found = db.scalar(select(Mandate).where(
        Mandate.kind == MandateKind.LEGAL, Mandate.giver_id == account_of(db, client).id,
        Mandate.helper_id == account_of(db, rep).id, Mandate.ended_at.is_(None)))
    assert found is not None
    return found


def terms(today: date) -> Terms:
    return Terms(scopes=frozenset(HELPER_SCOPES), organisation_ids=None, first=today,
                 last=mandates.add_years(today, mandates.MAX_YEARS))


def ask_henk_as_kees(client: CheckedClient, db: Session) -> Mandate:
    """Kees, for himself, asks Henk for all five scopes until five years ahead (the review's step 1)."""
    today = mandates.today_in_nl(datetime.now().astimezone())
    token = client.csrf_token("/machtigingen/vragen")
    answer = client.post("/machtigingen/vragen", data={
        "csrf_token": token, "bsn": HENK.bsn, "achternaam": HENK.surname,  # type: ignore[union-attr]
        "taak": [scope.value for scope in HELPER_SCOPES], "berichten": "alle",
        "begindatum": today.isoformat(), "einddatum": mandates.add_years(today, mandates.MAX_YEARS).isoformat(),
    })
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    db.expire_all()
    asked = db.scalar(select(Mandate).where(
        Mandate.kind == MandateKind.REQUESTED, Mandate.helper_id == account_of(db, "kees").id,
        Mandate.giver_id == account_of(db, "henk").id))
    assert asked is not None
    return asked


def act_for(client: CheckedClient, mandate: Mandate) -> None:
    token = client.csrf_token("/handelen-voor")
    assert client.post("/handelen-voor", data={"csrf_token": token, "voor": str(mandate.id)}).status_code == 302


# -- The domain rule ----------------------------------------------------------------------


def test_the_helper_cannot_approve_his_own_request(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    henk, kees = account_of(db, "henk"), account_of(db, "kees")
    asked = make_mandate(db, henk, kees, now=now, kind=MandateKind.REQUESTED, accepted=False)
    with pytest.raises(MandateError) as caught:
        mandates.approve(asked, now, by_id=kees.id, under_id=legal_mandate(db).id)
    assert caught.value.rules == (MandateRule.OWN_MANDATE,)
    assert asked.accepted_at is None
    mandates.approve(asked, now, by_id=henk.id)  # Henk himself may
    assert asked.accepted_at == now and asked.arranged_under_id is None


def test_the_helper_cannot_change_his_own_mandate(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    henk, kees = account_of(db, "henk"), account_of(db, "kees")
    given = make_mandate(db, henk, kees, now=now, scopes=[HELPER_SCOPES[0]])
    with pytest.raises(MandateError) as caught:
        mandates.change(db, given, terms=terms(mandates.today_in_nl(now)), now=now, by_id=kees.id)
    assert caught.value.rules == (MandateRule.OWN_MANDATE,)


def test_the_helper_cannot_give_himself_one_through_his_client(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    henk, kees = account_of(db, "henk"), account_of(db, "kees")
    person = by_username("kees")
    with pytest.raises(MandateError) as caught:
        mandates.offer(db, giver_id=henk.id, actor_id=kees.id, helper_bsn=person.bsn,  # type: ignore[union-attr]
                       helper_surname=person.surname, terms=terms(mandates.today_in_nl(now)), now=now,  # type: ignore[union-attr]
                       under_id=legal_mandate(db).id)
    assert MandateRule.YOURSELF in caught.value.rules


# -- The review's steps, through the pages -----------------------------------------------------


def test_the_reported_loop_is_refused(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "kees")
    asked = ask_henk_as_kees(client, db)
    act_for(client, legal_mandate(db))
    page = client.page(f"/machtigingen/{asked.id}")
    assert not page.find("form", attrs={"action": f"/machtigingen/{asked.id}/goedkeuren"})
    assert "Dit is een machtiging voor uzelf" in normalise(page.get_text())
    token = client.csrf_token("/machtigingen/")
    answer = client.post(f"/machtigingen/{asked.id}/goedkeuren", data={"csrf_token": token})
    assert answer.status_code == 403  # it was 302: approved
    db.expire_all()
    assert db.get(Mandate, asked.id).accepted_at is None  # type: ignore[union-attr]


def test_a_mandate_approved_under_a_representation_ends_with_it(
    app: Flask, client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    # What the loop left behind before the fix: Kees's own request, approved under his
    # representation of Henk.
    henk, kees = account_of(db, "henk"), account_of(db, "kees")
    representation = legal_mandate(db)
    own = make_mandate(db, henk, kees, now=now, kind=MandateKind.REQUESTED)
    own.arranged_under_id = representation.id
    db.commit()
    result = app.test_cli_runner().invoke(args=["mandates", "end-representative", "--mandate-id", str(representation.id)])
    assert result.exit_code == 0, result.output
    assert "1 mandates arranged under it" in result.output
    db.expire_all()
    assert db.get(Mandate, own.id).end_reason is EndReason.REPRESENTATION_ENDED  # type: ignore[union-attr]
    # Kees logs in again: no "Voor Henk Mulder", and Henk's pages are closed to him.
    log_in(client, db, "kees")
    chooser = normalise(client.page("/handelen-voor").get_text())
    assert "Henk Mulder" not in chooser
    act_under(client, db, own)
    for path in ("/berichten/", "/gegevens", "/instellingen"):
        answer = client.get(path)
        assert answer.status_code == 403 and LOST_TEXT in answer.get_data(as_text=True), path
    # Henk is told which machtiging stopped and why.
    letters = db.scalars(select(Letter).where(Letter.account_id == henk.id, Letter.subject == "Een machtiging is gestopt")).all()
    assert any("Deze machtiging was geregeld door iemand die de rechter voor u had gekozen" in letter.body for letter in letters)


def test_what_a_representative_gives_a_third_person_ends_with_him(
    app: Flask, client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "kees")
    representation = legal_mandate(db)
    act_for(client, representation)
    sanne = by_username("sanne")
    today = mandates.today_in_nl(now)
    token = client.csrf_token("/machtigingen/geven")
    answer = client.post("/machtigingen/geven", data={
        "csrf_token": token, "bsn": sanne.bsn, "achternaam": sanne.surname,  # type: ignore[union-attr]
        "taak": HELPER_SCOPES[0].value, "berichten": "alle",
        "begindatum": today.isoformat(), "einddatum": (today + timedelta(days=30)).isoformat(),
    })
    assert answer.status_code == 302
    db.expire_all()
    given = db.scalar(select(Mandate).where(Mandate.giver_id == account_of(db, "henk").id,
                                            Mandate.helper_id == account_of(db, "sanne").id))
    assert given is not None and given.arranged_under_id == representation.id
    result = app.test_cli_runner().invoke(args=["mandates", "end-representative", "--mandate-id", str(representation.id)])
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert db.get(Mandate, given.id).end_reason is EndReason.REPRESENTATION_ENDED  # type: ignore[union-attr]


def test_an_expired_representation_takes_what_it_arranged_along_at_once(
    app: Flask, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    henk, sanne = account_of(db, "henk"), account_of(db, "sanne")
    representation = legal_mandate(db)
    arranged = make_mandate(db, henk, sanne, now=now)
    arranged.arranged_under_id = representation.id
    db.commit()
    assert state_of(arranged, now) is MandateState.ACTIVE
    representation.ends_at = now - timedelta(seconds=1)
    db.commit()
    db.expire_all()
    arranged = db.get(Mandate, arranged.id)
    assert state_of(arranged, now) is MandateState.ENDED  # before any job ran
    assert mandates.stopped_at(arranged, now) == as_utc(representation.ends_at)
    with app.app_context():
        result = daily.run(db, now)
    assert result.ended == 1
    db.expire_all()
    assert db.get(Mandate, arranged.id).end_reason is EndReason.REPRESENTATION_ENDED  # type: ignore[union-attr]
    with app.app_context():
        assert daily.run(db, now).ended == 0  # once
