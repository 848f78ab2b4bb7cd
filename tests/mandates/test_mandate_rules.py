"""The rules of giving, asking, answering, activating and ending mandates, at their edges."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from portal import policy
from portal.domain import mandates
from portal.domain.mandates import MandateError, MandateRule, Terms
from portal.models import Account, EndReason, MandateKind
from portal.policy import Scope
from tests.support.login import account_of
from tests.support.mandates import make_mandate

# 12:00 in Utrecht on 28 November 2026 (a Dutch winter day: UTC+1).
NOW = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
JOKE_BSN = "999900006"
SANNE_BSN = "999900018"
LOTTE_BSN = "999900080"  # in the register, too young for an account
NOOR_BSN = "999900109"  # passes the elfproef, not in the register


def terms(first: date | None = TODAY, last: date | None = date(2027, 11, 28), *,
          scopes: frozenset[Scope] = frozenset({Scope.READ_LETTERS}),
          organisation_ids: frozenset[int] | None = None) -> Terms:
    return Terms(scopes=scopes, organisation_ids=organisation_ids, first=first, last=last)


def rules_of(error: pytest.ExceptionInfo[MandateError]) -> set[MandateRule]:
    return set(error.value.rules)


# -- the terms: scopes, letters and dates ---------------------------------------------------


def test_a_mandate_of_exactly_five_years_is_allowed_and_a_day_more_is_not() -> None:
    assert mandates.check_terms(terms(TODAY, date(2031, 11, 28)), TODAY) == []
    assert mandates.check_terms(terms(TODAY, date(2031, 11, 29)), TODAY) == [MandateRule.TOO_LONG]


def test_five_years_from_29_february_ends_on_28_february() -> None:
    first = date(2028, 2, 29)
    assert mandates.check_terms(terms(first, date(2033, 2, 28)), TODAY) == []
    assert mandates.check_terms(terms(first, date(2033, 3, 1)), TODAY) == [MandateRule.TOO_LONG]


def test_the_last_day_may_not_come_before_the_first() -> None:
    # A mandate of one day (start and end on the same day) is allowed; the day before is not.
    assert mandates.check_terms(terms(TODAY, TODAY), TODAY) == []
    assert mandates.check_terms(terms(TODAY, TODAY - timedelta(days=1)), TODAY) == [MandateRule.END_BEFORE_START]
    assert mandates.check_terms(terms(TODAY, TODAY + timedelta(days=1)), TODAY) == []


def test_the_first_day_may_be_today_but_not_yesterday() -> None:
    assert mandates.check_terms(terms(TODAY - timedelta(days=1)), TODAY) == [MandateRule.START_IN_PAST]
    assert mandates.check_terms(terms(TODAY + timedelta(days=10)), TODAY) == []


def test_today_is_the_dutch_day() -> None:
    late_evening_utc = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # 00:30 on the 29th in Utrecht
    assert mandates.today_in_nl(late_evening_utc) == date(2026, 11, 29)
    problems = mandates.check_terms(terms(date(2026, 11, 28)), mandates.today_in_nl(late_evening_utc))
    assert problems == [MandateRule.START_IN_PAST]


def test_both_dates_are_required() -> None:
    assert mandates.check_terms(terms(None, None), TODAY) == [MandateRule.START_MISSING, MandateRule.END_MISSING]


def test_at_least_one_scope_and_never_managing_mandates() -> None:
    assert mandates.check_terms(terms(scopes=frozenset()), TODAY) == [MandateRule.NO_SCOPE]
    for scope in policy.HELPER_SCOPES:
        assert mandates.check_terms(terms(scopes=frozenset({scope})), TODAY) == []
    assert Scope.MANAGE_MANDATES not in policy.HELPER_SCOPES
    refused = mandates.check_terms(terms(scopes=frozenset({Scope.READ_LETTERS, Scope.MANAGE_MANDATES})), TODAY)
    assert refused == [MandateRule.SCOPE_NOT_ALLOWED]


def test_only_these_organisations_needs_one_when_letters_may_be_read() -> None:
    assert mandates.check_terms(terms(organisation_ids=frozenset()), TODAY) == [MandateRule.NO_ORGANISATION]
    assert mandates.check_terms(terms(organisation_ids=frozenset({1})), TODAY) == []
    no_letters = terms(scopes=frozenset({Scope.VIEW_CASES}), organisation_ids=frozenset())
    assert mandates.check_terms(no_letters, TODAY) == []


def test_dutch_days_become_moments() -> None:
    assert mandates.start_of_day(date(2026, 11, 28)) == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    assert mandates.end_after_day(date(2027, 7, 1)) == datetime(2027, 7, 1, 22, 0, tzinfo=UTC)  # summer time


# -- (a) the citizen offers, the helper accepts --------------------------------------------


def offer(db: Session, giver: Account, bsn: str, surname: str, **kwargs) -> object:  # type: ignore[no-untyped-def]
    return mandates.offer(db, giver_id=giver.id, actor_id=giver.id, helper_bsn=bsn, helper_surname=surname,
                          terms=kwargs.pop("t", terms()), now=kwargs.pop("now", NOW))


@pytest.mark.parametrize(
    ("bsn", "surname"),
    [
        (SANNE_BSN, "Jansen"),  # wrong surname
        (NOOR_BSN, "Hendriks"),  # not in the register
        (LOTTE_BSN, "Smit"),  # no account
        ("123456789", "Vries"),  # not a BSN
        ("99990001", "Vries"),  # eight digits
        (SANNE_BSN, ""),  # no surname
    ],
)
def test_every_miss_about_the_helper_is_the_same_rule(db: Session, demo, bsn: str, surname: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MandateError) as error:
        offer(db, account_of(db, "joke"), bsn, surname)
    assert error.value.rules == (MandateRule.PERSON_NOT_FOUND,)


@pytest.mark.parametrize("surname", ["Vries", "  VRIES ", "vries", "de Vries", "De  vries"])
def test_the_surname_ignores_case_spaces_and_may_have_its_prefix(db: Session, demo, surname: str) -> None:  # type: ignore[no-untyped-def]
    mandate = offer(db, account_of(db, "joke"), SANNE_BSN, surname)
    assert mandate.helper_id == account_of(db, "sanne").id


def test_you_cannot_give_yourself_a_mandate(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MandateError) as error:
        offer(db, account_of(db, "joke"), JOKE_BSN, "Vries")
    assert error.value.rules == (MandateRule.YOURSELF,)


def test_all_problems_come_at_once(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MandateError) as error:
        offer(db, account_of(db, "joke"), SANNE_BSN, "Bakker", t=terms(None, None, scopes=frozenset()))
    assert rules_of(error) == {MandateRule.PERSON_NOT_FOUND, MandateRule.NO_SCOPE, MandateRule.START_MISSING,
                               MandateRule.END_MISSING}


def test_an_offer_gives_nothing_until_accepted(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    mandate = offer(db, joke, SANNE_BSN, "Vries", t=terms(TODAY, date(2027, 5, 1),
                                                          scopes=frozenset({Scope.READ_LETTERS, Scope.VIEW_CASES})))
    db.commit()
    assert mandate.kind is MandateKind.GRANTED and mandate.accepted_at is None
    assert mandate.created_by_id == joke.id and mandate.giver_id == joke.id
    assert mandate.starts_at == mandates.start_of_day(TODAY)
    assert mandate.ends_at == mandates.end_after_day(date(2027, 5, 1))
    assert mandates.last_day(mandate) == date(2027, 5, 1)
    assert policy.grant_under(mandate, sanne.id, NOW) is None
    mandates.accept(mandate, NOW)
    grant = policy.grant_under(mandate, sanne.id, NOW)
    assert grant is not None and grant.owner_id == joke.id
    assert grant.scopes == {Scope.READ_LETTERS, Scope.VIEW_CASES}
    with pytest.raises(MandateError) as error:
        mandates.accept(mandate, NOW)
    assert error.value.rules == (MandateRule.NOT_PENDING,)


def test_an_offer_limited_to_organisations_keeps_them(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Organisation

    first = db.query(Organisation).order_by(Organisation.id).first()
    assert first is not None
    mandate = offer(db, account_of(db, "joke"), SANNE_BSN, "Vries",
                    t=terms(organisation_ids=frozenset({first.id})))
    mandates.accept(mandate, NOW)
    grant = policy.grant_for_mandate(mandate)
    assert grant.letters.organisation_ids == {first.id}


def test_an_unanswered_offer_lapses_after_30_days(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate = offer(db, account_of(db, "joke"), SANNE_BSN, "Vries")
    just_before = NOW + timedelta(days=mandates.PENDING_DAYS) - timedelta(seconds=1)
    at_lapse = NOW + timedelta(days=mandates.PENDING_DAYS)
    assert mandates.is_open(mandate, just_before) and not mandates.is_lapsed(mandate, just_before)
    assert mandates.is_lapsed(mandate, at_lapse) and not mandates.is_open(mandate, at_lapse)
    assert mandates.stopped_at(mandate, at_lapse) == at_lapse
    with pytest.raises(MandateError) as error:
        mandates.accept(mandate, at_lapse)
    assert error.value.rules == (MandateRule.LAPSED,)
    assert mandate.accepted_at is None


# -- (b) the helper asks; the citizen approves, or the helper types the code ---------------


def asked(db: Session, helper: Account, bsn: str = JOKE_BSN, surname: str = "de Vries",
          now: datetime = NOW) -> mandates.Asked:
    first = mandates.today_in_nl(now)
    return mandates.ask(db, helper_id=helper.id, citizen_bsn=bsn, citizen_surname=surname,
                        terms=terms(first, first + timedelta(days=100)), now=now)


def ask(db: Session, helper: Account, bsn: str = JOKE_BSN, surname: str = "de Vries", now: datetime = NOW):  # type: ignore[no-untyped-def]
    """A request that reached the citizen, and its code."""
    result = asked(db, helper, bsn, surname, now)
    assert result.request is not None and result.code is not None
    return result.request, result.code


def test_a_request_keeps_only_the_hash_of_its_code(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    mandate, code = ask(db, sanne)
    assert mandate.kind is MandateKind.REQUESTED and mandate.accepted_at is None
    assert mandate.giver_id == account_of(db, "joke").id and mandate.helper_id == sanne.id
    assert len(code) == mandates.CODE_LENGTH and set(code) <= set(mandates.CODE_ALPHABET)
    assert not set("01OIL") & set(mandates.CODE_ALPHABET)
    assert mandate.activation_code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert code not in mandate.activation_code_hash
    assert mandate.activation_code_expires_at == NOW + timedelta(days=mandates.ACTIVATION_CODE_DAYS)


def test_codes_differ() -> None:
    assert len({mandates.new_activation_code() for _ in range(50)}) == 50


@pytest.mark.parametrize(("bsn", "surname"), [(JOKE_BSN, "Bakker"), (NOOR_BSN, "Hendriks"), (LOTTE_BSN, "Smit")])
def test_asking_someone_unknown_is_recorded_like_any_ask(db: Session, demo, bsn: str, surname: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: no error that would tell whether someone has an account; no request."""
    result = asked(db, account_of(db, "sanne"), bsn, surname)
    assert result.request is None and result.code is None
    assert (result.ask.bsn_masked, result.ask.surname, result.ask.mandate_id) == ("******" + bsn[-3:], surname, None)


@pytest.mark.parametrize(("bsn", "surname"), [("", "de Vries"), ("12345678", "de Vries"), ("999900007", "de Vries"),
                                              (JOKE_BSN, "  ")])
def test_what_is_wrong_with_the_typing_is_said(db: Session, demo, bsn: str, surname: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MandateError) as error:
        asked(db, account_of(db, "sanne"), bsn, surname)
    assert error.value.rules == (MandateRule.PERSON_NOT_FOUND,)


def test_you_cannot_ask_yourself_and_asking_twice_sends_nothing_new(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    with pytest.raises(MandateError) as error:
        asked(db, sanne, SANNE_BSN, "anything")  # her own BSN: whatever the surname
    assert error.value.rules == (MandateRule.YOURSELF,)
    first, _code = ask(db, sanne)
    again = asked(db, sanne)
    assert again.request is None and again.code is None
    # Once the first request lapsed, asking again makes a new one.
    later, _code = ask(db, sanne, now=NOW + timedelta(days=mandates.PENDING_DAYS))
    assert later.id != first.id


def activate(db: Session, helper: Account, code: str, now: datetime = NOW, bsn: str = JOKE_BSN):  # type: ignore[no-untyped-def]
    return mandates.activate(db, helper_id=helper.id, citizen_bsn=bsn, code=code, now=now)


def wrong(code: str) -> str:
    return "".join("A" if ch != "A" else "B" for ch in code)


def test_the_right_code_activates_once(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    mandate, code = ask(db, sanne)
    assert activate(db, sanne, f" {code.lower()[:4]}-{code.lower()[4:]} ") is mandate
    assert mandate.accepted_at == NOW
    assert mandate.activation_code_hash is None and mandate.activation_code_expires_at is None
    assert policy.grant_under(mandate, sanne.id, NOW) is not None
    with pytest.raises(MandateError) as error:
        activate(db, sanne, code)
    assert error.value.rules == (MandateRule.CODE_WRONG,)


def test_five_wrong_codes_and_the_code_no_longer_works(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    mandate, code = ask(db, sanne)
    for attempt in range(1, mandates.MAX_CODE_ATTEMPTS):
        with pytest.raises(MandateError) as error:
            activate(db, sanne, wrong(code))
        assert error.value.rules == (MandateRule.CODE_WRONG,)
        assert mandate.activation_attempts == attempt
    with pytest.raises(MandateError) as error:
        activate(db, sanne, wrong(code))
    assert error.value.rules == (MandateRule.CODE_USED_UP,)
    with pytest.raises(MandateError) as error:
        activate(db, sanne, code)
    assert error.value.rules == (MandateRule.CODE_USED_UP,)
    assert mandate.accepted_at is None


def test_four_wrong_codes_and_the_right_one_still_works(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    mandate, code = ask(db, sanne)
    for _ in range(mandates.MAX_CODE_ATTEMPTS - 1):
        with pytest.raises(MandateError):
            activate(db, sanne, wrong(code))
    assert activate(db, sanne, code) is mandate


def test_an_expired_code_is_refused(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    mandate, code = ask(db, sanne)
    expiry = NOW + timedelta(days=mandates.ACTIVATION_CODE_DAYS)
    with pytest.raises(MandateError) as error:
        activate(db, sanne, code, now=expiry)
    assert error.value.rules == (MandateRule.CODE_EXPIRED,)
    assert activate(db, sanne, code, now=expiry - timedelta(seconds=1)) is mandate


def test_a_code_works_only_for_its_helper_and_citizen(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne, tom = account_of(db, "sanne"), account_of(db, "tom")
    mandate, code = ask(db, sanne)
    for helper, bsn in ((tom, JOKE_BSN), (sanne, SANNE_BSN), (sanne, NOOR_BSN), (sanne, "12345")):
        with pytest.raises(MandateError) as error:
            activate(db, helper, code, bsn=bsn)
        assert error.value.rules == (MandateRule.CODE_WRONG,)
    # Misses on another person count no try against this request.
    assert mandate.activation_attempts == 0
    with pytest.raises(MandateError) as error:
        activate(db, sanne, "  ")
    assert error.value.rules == (MandateRule.CODE_MISSING,)


def test_approving_online_stops_the_code(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    sanne = account_of(db, "sanne")
    mandate, code = ask(db, sanne)
    mandates.approve(mandate, NOW + timedelta(days=1), by_id=mandate.giver_id)
    assert mandate.accepted_at == NOW + timedelta(days=1) and mandate.activation_code_hash is None
    with pytest.raises(MandateError):
        activate(db, sanne, code)


def test_a_lapsed_request_cannot_be_approved(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    mandate, _ = ask(db, account_of(db, "sanne"))
    with pytest.raises(MandateError) as error:
        mandates.approve(mandate, NOW + timedelta(days=mandates.PENDING_DAYS), by_id=mandate.giver_id)
    assert error.value.rules == (MandateRule.LAPSED,)
    mandates.approve(mandate, NOW + timedelta(days=mandates.PENDING_DAYS) - timedelta(seconds=1), by_id=mandate.giver_id)


def test_an_offer_is_not_approved_and_a_request_not_accepted(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    request, _ = ask(db, account_of(db, "sanne"))
    given = offer(db, account_of(db, "joke"), "999900067", "Visser")
    with pytest.raises(MandateError):
        mandates.accept(request, NOW)
    with pytest.raises(MandateError):
        mandates.approve(given, NOW, by_id=given.giver_id)


# -- ending -----------------------------------------------------------------------------------


def test_the_citizen_ends_with_the_fitting_reason(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    active = make_mandate(db, joke, sanne, now=now)
    offered = make_mandate(db, joke, sanne, now=now, accepted=False)
    requested = make_mandate(db, joke, sanne, now=now, accepted=False, kind=MandateKind.REQUESTED)
    for mandate, reason in ((active, EndReason.REVOKED), (offered, EndReason.WITHDRAWN),
                            (requested, EndReason.DECLINED)):
        assert mandates.end_by_giver(db, mandate, by_id=joke.id, now=now)
        assert mandate.end_reason is reason and mandate.ended_by_id == joke.id and mandate.ended_at == now
    assert policy.grant_under(active, sanne.id, now) is None
    assert not mandates.end_by_giver(db, active, by_id=joke.id, now=now)  # already ended


def test_a_legal_representation_is_not_ended_by_either_side(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, kees = account_of(db, "joke"), account_of(db, "kees")
    legal = make_mandate(db, joke, kees, now=now, kind=MandateKind.LEGAL, ends_at=None)
    for end in (mandates.end_by_giver, mandates.end_by_helper):
        with pytest.raises(MandateError) as error:
            end(db, legal, by_id=joke.id, now=now)
        assert error.value.rules == (MandateRule.LEGAL_NOT_ENDABLE,)
    assert legal.ended_at is None


def test_the_helper_gives_back_or_withdraws(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    active = make_mandate(db, joke, sanne, now=now)
    requested = make_mandate(db, joke, sanne, now=now, accepted=False, kind=MandateKind.REQUESTED)
    offered = make_mandate(db, joke, sanne, now=now, accepted=False)
    mandates.end_by_helper(db, active, by_id=sanne.id, now=now)
    mandates.end_by_helper(db, requested, by_id=sanne.id, now=now)
    mandates.end_by_helper(db, offered, by_id=sanne.id, now=now)
    assert active.end_reason is EndReason.RETURNED
    assert requested.end_reason is EndReason.WITHDRAWN
    assert offered.end_reason is EndReason.DECLINED


# -- what stays listed --------------------------------------------------------------------------


def test_the_cut_off_is_15_calendar_months() -> None:
    assert mandates.visible_since(NOW) == datetime(2025, 8, 28, 11, 0, tzinfo=UTC)
    assert mandates.visible_since(datetime(2027, 5, 31, tzinfo=UTC)) == datetime(2026, 2, 28, tzinfo=UTC)


def test_stopped_mandates_stay_listed_for_15_months(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    ended = make_mandate(db, joke, sanne, now=now)
    mandates.end_by_giver(db, ended, by_id=joke.id, now=now)
    expired = make_mandate(db, joke, sanne, now=now, starts_at=now - timedelta(days=10), ends_at=now)
    active = make_mandate(db, joke, sanne, now=now)
    later = now + timedelta(days=1)
    assert mandates.stopped_at(expired, later) == now and mandates.stopped_at(active, later) is None
    cut_off_reached = now.replace(year=now.year + 1) + timedelta(days=95)  # a bit over 15 months
    edge = mandates.visible_since(cut_off_reached)
    for mandate in (ended, expired):
        assert mandates.is_listed(mandate, later)
        assert mandates.is_listed(mandate, now + (cut_off_reached - edge))  # exactly 15 months: still
    assert not mandates.is_listed(ended, cut_off_reached + timedelta(days=400))
    assert mandates.is_listed(active, later)
    listed = {m.id for m in mandates.given_by(db, joke.id, now + timedelta(days=600))}
    assert ended.id not in listed and expired.id not in listed
    assert mandates.find_given(db, joke.id, ended.id, now + timedelta(days=600)) is None
    assert mandates.find_given(db, joke.id, ended.id, later) is ended


def test_each_side_finds_only_its_own(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne, tom = account_of(db, "joke"), account_of(db, "sanne"), account_of(db, "tom")
    mandate = make_mandate(db, joke, sanne, now=now)
    assert mandates.find_given(db, joke.id, mandate.id, now) is mandate
    assert mandates.find_given(db, sanne.id, mandate.id, now) is None
    assert mandates.find_held(db, sanne.id, mandate.id, now) is mandate
    assert mandates.find_held(db, tom.id, mandate.id, now) is None
    assert mandates.find_held(db, joke.id, mandate.id, now) is None


def test_the_overviews_sort_each_mandate_once(db: Session, demo, now: datetime) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    active = make_mandate(db, joke, sanne, now=now)
    future = make_mandate(db, joke, sanne, now=now, starts_at=now + timedelta(days=3))
    offered = make_mandate(db, joke, sanne, now=now, accepted=False)
    requested = make_mandate(db, joke, sanne, now=now, accepted=False, kind=MandateKind.REQUESTED)
    ended = make_mandate(db, joke, sanne, now=now)
    mandates.end_by_giver(db, ended, by_id=joke.id, now=now)
    given = mandates.given_overview(db, joke.id, now)
    assert {m.id for m in given.helpers} >= {active.id, future.id, offered.id}
    assert requested in given.requests and ended in given.stopped and requested not in given.helpers
    held = mandates.held_overview(db, sanne.id, now)
    assert offered in held.offers and active in held.current and future in held.current and ended in held.stopped
    assert offered not in held.current
    # Her own request, not yet answered, is not shown to her (only her asks, as typed: none here).
    assert held.asked == [] and requested not in held.current + held.stopped + held.offers


def test_only_unknown_organisations_is_no_organisation(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    from portal.domain.portal_letters import portal_sender

    portal_id = portal_sender(db).id
    with pytest.raises(MandateError) as error:
        offer(db, account_of(db, "joke"), SANNE_BSN, "Vries", t=terms(organisation_ids=frozenset({999999, portal_id})))
    assert error.value.rules == (MandateRule.NO_ORGANISATION,)
