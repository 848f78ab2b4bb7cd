"""Changing a mandate: the rules at their edges, the change page, the letters, and the
helper's very next request decided with the new scopes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import policy
from portal.domain import mandates
from portal.domain.mandates import MandateError, MandateRule, Terms
from portal.models import Account, EndReason, Letter, Mandate, MandateKind, Organisation
from portal.models.organisation import PORTAL_OIN
from portal.policy import Scope
from portal.timeutil import as_utc
from tests.support.html import CheckedClient, normalise, parse
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

# 12:00 in Utrecht on 28 November 2026 (a Dutch winter day: UTC+1).
NOW = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
YESTERDAY = TODAY - timedelta(days=1)
DAY = timedelta(days=1)
REFUSED_TEXT = "Dit mag u niet doen voor"


def terms(last: date | None = date(2027, 6, 1), first: date | None = None, *,
          scopes: frozenset[Scope] = frozenset({Scope.VIEW_CASES}),
          organisation_ids: frozenset[int] | None = None) -> Terms:
    return Terms(scopes=scopes, organisation_ids=organisation_ids, first=first, last=last)


def active(db: Session, *, first: date = YESTERDAY, **kwargs) -> Mandate:  # type: ignore[no-untyped-def]
    """Joke's mandate for Sanne that started on ``first`` (a Dutch day) and holds at NOW."""
    mandate = make_mandate(db, account_of(db, "joke"), account_of(db, "sanne"), now=NOW,
                           starts_at=mandates.start_of_day(first), **kwargs)
    mandate.created_at = NOW - 2 * DAY
    mandate.accepted_at = NOW - DAY if mandate.accepted_at is not None else None
    db.commit()
    return mandate


def rules_of(mandate: Mandate, db: Session, t: Terms, now: datetime = NOW) -> tuple[MandateRule, ...]:
    with pytest.raises(MandateError) as error:
        mandates.change(db, mandate, terms=t, now=now, by_id=mandate.giver_id)
    return error.value.rules


# -- the rules ----------------------------------------------------------------------------------------


def test_a_change_sets_scopes_and_last_day_and_keeps_the_first_day(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate = active(db)
    starts_at = mandate.starts_at
    assert mandates.change(db, mandate, terms=terms(date(2027, 6, 1)), now=NOW, by_id=mandate.giver_id) is True
    assert policy.scopes_of(mandate) == {Scope.VIEW_CASES}
    assert mandate.ends_at == mandates.end_after_day(date(2027, 6, 1))
    assert mandates.last_day(mandate) == date(2027, 6, 1)
    assert mandate.starts_at == starts_at
    grant = policy.grant_under(mandate, mandate.helper_id, NOW)
    assert grant is not None and grant.scopes == {Scope.VIEW_CASES}


def test_the_last_day_may_be_today_but_not_yesterday(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate = active(db, first=TODAY - 10 * DAY)
    assert rules_of(mandate, db, terms(YESTERDAY)) == (MandateRule.END_IN_PAST,)
    assert mandates.change(db, mandate, terms=terms(TODAY), now=NOW, by_id=mandate.giver_id) is True
    assert policy.state_of(mandate, NOW) is policy.MandateState.ACTIVE
    assert policy.state_of(mandate, mandates.end_after_day(TODAY)) is policy.MandateState.EXPIRED


def test_the_last_day_may_not_come_before_the_first(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    started = active(db, first=YESTERDAY)
    assert rules_of(started, db, terms(YESTERDAY - DAY)) == (MandateRule.END_BEFORE_START,)
    future = active(db, first=TODAY + 10 * DAY)
    assert rules_of(future, db, terms(TODAY + 9 * DAY, TODAY + 10 * DAY)) == (MandateRule.END_BEFORE_START,)
    assert mandates.change(db, future, terms=terms(TODAY + 10 * DAY, TODAY + 10 * DAY), now=NOW, by_id=future.giver_id)


def test_five_years_after_the_first_day_and_not_a_day_more(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    first = date(2026, 11, 1)
    mandate = active(db, first=first)
    assert rules_of(mandate, db, terms(date(2031, 11, 2))) == (MandateRule.TOO_LONG,)
    assert mandates.change(db, mandate, terms=terms(date(2031, 11, 1)), now=NOW, by_id=mandate.giver_id) is True
    # Counted from the first day, which stays, not from today.
    assert mandates.first_day(mandate) == first


def test_scopes_and_organisations_follow_the_same_rules(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate = active(db)
    assert rules_of(mandate, db, terms(scopes=frozenset())) == (MandateRule.NO_SCOPE,)
    assert rules_of(mandate, db, terms(scopes=frozenset({Scope.MANAGE_MANDATES}))) == (MandateRule.SCOPE_NOT_ALLOWED,)
    read = frozenset({Scope.READ_LETTERS})
    assert rules_of(mandate, db, terms(scopes=read, organisation_ids=frozenset())) == (MandateRule.NO_ORGANISATION,)
    assert rules_of(mandate, db, terms(scopes=frozenset(), last=None)) == (MandateRule.NO_SCOPE, MandateRule.END_MISSING)
    # Nothing changed by a refused change.
    db.refresh(mandate)
    assert policy.scopes_of(mandate) == set(policy.HELPER_SCOPES)
    rdw = db.scalar(select(Organisation).where(Organisation.name == "RDW"))
    assert mandates.change(db, mandate, terms=terms(scopes=read, organisation_ids=frozenset({rdw.id})), now=NOW, by_id=mandate.giver_id)
    assert [o.name for o in mandate.letter_organisations] == ["RDW"]
    grant = policy.grant_under(mandate, mandate.helper_id, NOW)
    assert grant is not None and grant.letters.organisation_ids == {rdw.id}
    assert mandates.change(db, mandate, terms=terms(scopes=read, organisation_ids=None), now=NOW, by_id=mandate.giver_id)
    assert mandate.letter_organisations == []


def test_the_first_day_changes_only_while_it_has_not_come(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    future = active(db, first=TODAY + 10 * DAY)
    assert rules_of(future, db, terms(first=YESTERDAY)) == (MandateRule.START_IN_PAST,)
    assert mandates.change(db, future, terms=terms(first=TODAY + 3 * DAY), now=NOW, by_id=future.giver_id)
    assert mandates.first_day(future) == TODAY + 3 * DAY
    assert mandates.change(db, future, terms=terms(first=TODAY), now=NOW, by_id=future.giver_id)
    assert future.starts_at == mandates.start_of_day(TODAY)
    # Now it has started: a typed first day is ignored.
    started = active(db, first=YESTERDAY)
    assert mandates.change(db, started, terms=terms(first=TODAY + 30 * DAY), now=NOW, by_id=started.giver_id)
    assert mandates.first_day(started) == YESTERDAY
    assert not mandates.start_is_fixed(future, mandates.start_of_day(TODAY) - timedelta(microseconds=1))
    assert mandates.start_is_fixed(future, mandates.start_of_day(TODAY))


def test_a_pending_offer_can_change(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    offer = active(db, first=TODAY, accepted=False)
    assert mandates.is_changeable(offer, NOW)
    assert mandates.change(db, offer, terms=terms(), now=NOW, by_id=offer.giver_id)
    assert offer.accepted_at is None


def test_legal_assisted_ended_expired_and_lapsed_cannot_change(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, kees, marieke = account_of(db, "joke"), account_of(db, "kees"), account_of(db, "marieke")
    legal = make_mandate(db, joke, kees, now=NOW, kind=MandateKind.LEGAL, ends_at=None)
    assert rules_of(legal, db, terms()) == (MandateRule.LEGAL_NOT_CHANGEABLE,)
    visit = make_mandate(db, joke, marieke, now=NOW, kind=MandateKind.ASSISTED, starts_at=NOW - timedelta(minutes=5),
                         ends_at=NOW + timedelta(minutes=55))
    assert rules_of(visit, db, terms()) == (MandateRule.NOT_CHANGEABLE,)
    ended = active(db)
    mandates.end_by_giver(db, ended, by_id=joke.id, now=NOW - timedelta(seconds=1))
    assert rules_of(ended, db, terms()) == (MandateRule.NOT_CHANGEABLE,)
    expired = active(db, first=TODAY - 100 * DAY, ends_at=mandates.end_after_day(YESTERDAY))
    assert rules_of(expired, db, terms()) == (MandateRule.NOT_CHANGEABLE,)
    # At the exact second of its end it has expired; a microsecond before it still changes.
    ending = active(db, first=TODAY - 100 * DAY, ends_at=NOW)
    assert rules_of(ending, db, terms()) == (MandateRule.NOT_CHANGEABLE,)
    assert mandates.is_changeable(ending, NOW - timedelta(microseconds=1))
    lapsed = active(db, first=TODAY, accepted=False)
    lapsed.created_at = NOW - timedelta(days=mandates.PENDING_DAYS)
    assert rules_of(lapsed, db, terms()) == (MandateRule.NOT_CHANGEABLE,)
    for mandate in (legal, visit, ended, expired, ending, lapsed):
        assert Scope.READ_LETTERS in policy.scopes_of(mandate)  # untouched


def test_moving_the_end_sends_the_expiry_letter_again(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate = active(db, ends_at=mandates.end_after_day(TODAY + 20 * DAY))
    mandate.expiry_warned_at = NOW - DAY
    # Only the scopes: the letter about the coming end stays sent.
    assert mandates.change(db, mandate, terms=terms(TODAY + 20 * DAY), now=NOW, by_id=mandate.giver_id)
    assert mandate.expiry_warned_at is not None
    assert mandates.change(db, mandate, terms=terms(TODAY + 25 * DAY), now=NOW, by_id=mandate.giver_id)
    assert mandate.expiry_warned_at is None


def test_the_same_terms_change_nothing(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate = active(db)
    assert mandates.change(db, mandate, terms=terms(date(2027, 6, 1)), now=NOW, by_id=mandate.giver_id)
    assert mandates.change(db, mandate, terms=terms(date(2027, 6, 1)), now=NOW, by_id=mandate.giver_id) is False


# -- the pages ------------------------------------------------------------------------------------------


def today() -> date:
    return mandates.today_in_nl(datetime.now(UTC))


def change_data(token: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": token,
        "taak": ["view_cases"],
        "berichten": "alle",
        "einddatum": (today() + timedelta(days=60)).isoformat(),
    }
    data.update(changes)
    return data


def portal_subjects(db: Session, account: Account) -> list[str]:
    db.expire_all()
    return list(db.scalars(
        select(Letter.subject).join(Organisation)
        .where(Letter.account_id == account.id, Organisation.oin == PORTAL_OIN).order_by(Letter.placed_at)
    ))


def test_the_change_page_is_filled_with_what_holds_now(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = log_in(client, db, "joke"), account_of(db, "sanne")
    rdw = db.scalar(select(Organisation).where(Organisation.name == "RDW"))
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS, Scope.VIEW_CASES],
                           organisations=[rdw])
    detail = client.page(f"/machtigingen/{mandate.id}")
    link = detail.find("a", string="Wijzigen")
    assert link is not None and link["href"] == f"/machtigingen/{mandate.id}/wijzigen"
    soup = client.page(link["href"])
    assert "Machtiging van Sanne de Vries wijzigen" in soup.h1.get_text()
    checked = {box["value"] for box in soup.select("input[name=taak][checked]")}
    assert checked == {"read_letters", "view_cases"}
    assert soup.select_one("input[name=berichten][checked]")["value"] == "deze"
    assert [box["value"] for box in soup.select("input[name=organisatie][checked]")] == [str(rdw.id)]
    assert soup.select_one("input[name=einddatum]")["value"] == mandates.last_day(mandate).isoformat()
    # It has started: the first day is text, not a field.
    assert soup.select_one("input[name=begindatum]") is None
    text = normalise(soup.get_text(" "))
    assert "De eerste dag kunt u niet meer veranderen" in text
    assert "De wijziging geldt meteen" in text


def test_joke_changes_a_mandate_and_both_get_a_letter(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = log_in(client, db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    url = f"/machtigingen/{mandate.id}/wijzigen"
    last = today() + timedelta(days=60)
    response = client.post(url, data=change_data(client.csrf_token(url), einddatum=last.isoformat()))
    assert response.status_code == 302 and response.location == f"/machtigingen/{mandate.id}"
    soup = client.page(response.location)
    assert "De machtiging van Sanne de Vries is gewijzigd." in normalise(soup.get_text(" "))
    db.expire_all()
    changed = db.get(Mandate, mandate.id)
    assert policy.scopes_of(changed) == {Scope.VIEW_CASES}
    assert mandates.last_day(changed) == last
    assert portal_subjects(db, joke) == ["Uw machtiging is gewijzigd"]
    assert portal_subjects(db, sanne) == ["Een machtiging voor u is gewijzigd"]
    letter = db.scalar(select(Letter).where(Letter.account_id == joke.id, Letter.subject == "Uw machtiging is gewijzigd"))
    assert "Sanne de Vries" in letter.body and "lopende zaken bekijken" in letter.body
    assert "berichten lezen" not in letter.body


def test_a_future_mandate_can_move_its_first_day(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = log_in(client, db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now, starts_at=mandates.start_of_day(today() + timedelta(days=10)))
    url = f"/machtigingen/{mandate.id}/wijzigen"
    soup = client.page(url)
    assert soup.select_one("input[name=begindatum]")["value"] == (today() + timedelta(days=10)).isoformat()
    first = today() + timedelta(days=2)
    response = client.post(url, data=change_data(client.csrf_token(url), begindatum=first.isoformat()))
    assert response.status_code == 302
    db.expire_all()
    assert mandates.first_day(db.get(Mandate, mandate.id)) == first


def test_wrong_input_gives_400_and_keeps_it(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = log_in(client, db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    before = (mandate.scopes, as_utc(mandate.ends_at))
    url = f"/machtigingen/{mandate.id}/wijzigen"
    too_late = (mandates.add_years(mandates.first_day(mandate), mandates.MAX_YEARS) + timedelta(days=1)).isoformat()
    response = client.post(url, data=change_data(client.csrf_token(url), taak=["read_letters", "change_settings"],
                                                 einddatum=too_late))
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    assert soup.title.get_text().startswith("Fout:")
    summary = normalise(soup.select_one("[role=alert], .error-summary").get_text(" "))
    assert "hooguit 5 jaar" in summary
    assert {box["value"] for box in soup.select("input[name=taak][checked]")} == {"read_letters", "change_settings"}
    assert soup.select_one("input[name=einddatum]")["value"] == too_late
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = client.post(url, data=change_data(client.csrf_token(url), taak=[], einddatum=yesterday))
    assert response.status_code == 400
    text = normalise(parse(response.get_data(as_text=True)).get_text(" "))
    assert "Kies minstens één ding" in text and "niet voor vandaag" in text
    db.expire_all()
    kept = db.get(Mandate, mandate.id)
    assert (kept.scopes, as_utc(kept.ends_at)) == before
    assert portal_subjects(db, joke) == [] and portal_subjects(db, sanne) == []


def test_someone_elses_mandate_cannot_be_changed(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now)
    url = f"/machtigingen/{mandate.id}/wijzigen"
    for name in ("tom", "sanne"):  # another citizen, and the helper herself
        log_in(client, db, name)
        client.page(url, status=404)
        assert client.post(url, data=change_data(client.csrf_token("/machtigingen/"))).status_code == 404
    # Sanne acting for Joke (with every helper scope) never reaches it.
    act_under(client, db, mandate)
    response = client.get(url)
    assert response.status_code == 403 and REFUSED_TEXT in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Mandate, mandate.id).scopes == mandate.scopes


def test_legal_and_assisted_have_no_change_button(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke = log_in(client, db, "joke")
    legal = make_mandate(db, joke, account_of(db, "kees"), now=now, kind=MandateKind.LEGAL, ends_at=None)
    visit = make_mandate(db, joke, account_of(db, "marieke"), now=now, kind=MandateKind.ASSISTED,
                         starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=55))
    ended = make_mandate(db, joke, account_of(db, "sanne"), now=now)
    mandates.end_by_giver(db, ended, by_id=joke.id, now=now)
    db.commit()
    for mandate in (legal, visit, ended):
        soup = client.page(f"/machtigingen/{mandate.id}")
        assert soup.find("a", string=re.compile("Wijzigen")) is None
    response = client.get(f"/machtigingen/{legal.id}/wijzigen")
    assert response.status_code == 403
    assert "wettelijke vertegenwoordiging kunt u hier niet wijzigen" in normalise(response.get_data(as_text=True))
    url = f"/machtigingen/{legal.id}/wijzigen"
    assert client.post(url, data=change_data(client.csrf_token("/machtigingen/"))).status_code == 403
    assert client.get(f"/machtigingen/{visit.id}/wijzigen").status_code == 400
    assert client.get(f"/machtigingen/{ended.id}/wijzigen").status_code == 400
    db.expire_all()
    assert db.get(Mandate, legal.id).scopes == legal.scopes
    assert db.get(Mandate, ended.id).end_reason is EndReason.REVOKED


def test_a_representative_changes_the_clients_other_mandates(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    kees = log_in(client, db, "kees")
    legal = make_mandate(db, joke, kees, now=now, kind=MandateKind.LEGAL, ends_at=None)
    other = make_mandate(db, joke, sanne, now=now)
    act_under(client, db, legal)
    url = f"/machtigingen/{other.id}/wijzigen"
    soup = client.page(url)
    assert soup.select_one("input[name=einddatum]") is not None
    response = client.post(url, data=change_data(client.csrf_token(url)))
    assert response.status_code == 302
    db.expire_all()
    assert policy.scopes_of(db.get(Mandate, other.id)) == {Scope.VIEW_CASES}
    # Joke is told, in her own box.
    assert "Uw machtiging is gewijzigd" in portal_subjects(db, joke)
    # His own appointment is not his to change.
    assert client.get(f"/machtigingen/{legal.id}/wijzigen").status_code == 403


# -- the helper's very next request ----------------------------------------------------------------------


def test_a_removed_scope_counts_on_the_helpers_next_request(app: Flask, client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    mandate = make_mandate(db, joke, sanne, now=now, scopes=[Scope.READ_LETTERS, Scope.VIEW_CASES])
    mandate.first_used_at = mandate.accepted_at
    db.commit()
    subjects = list(db.scalars(select(Letter.subject).join(Organisation).where(
        Letter.account_id == joke.id, Organisation.oin != PORTAL_OIN, Letter.not_for_helpers.is_(False))))
    assert subjects, "the demo gives Joke letters"
    # Sanne acts for Joke and reads her inbox.
    log_in(client, db, "sanne")
    act_under(client, db, mandate)
    inbox = client.get("/berichten/")
    assert inbox.status_code == 200
    assert any(subject in inbox.get_data(as_text=True) for subject in subjects)
    # Meanwhile Joke, in her own browser, takes away reading letters.
    joke_client: CheckedClient = app.test_client()  # type: ignore[assignment]
    log_in(joke_client, db, "joke")
    url = f"/machtigingen/{mandate.id}/wijzigen"
    assert joke_client.post(url, data=change_data(joke_client.csrf_token(url))).status_code == 302
    # Sanne's very next request.
    response = client.get("/berichten/")
    body = response.get_data(as_text=True)
    assert response.status_code == 403 and REFUSED_TEXT in body
    assert not any(subject in body for subject in subjects)
    soup = client.page("/zaken/")
    banner = normalise(soup.select_one(".acting-banner").get_text(" "))
    assert "U mag: lopende zaken bekijken." in banner
    assert "berichten lezen" not in banner
