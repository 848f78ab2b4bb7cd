"""The shipped scenario files: they read, they build on this database, and each lesson's world
holds what its lesson needs."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo import cases as demo_cases
from portal.demo import letters as demo_letters
from portal.demo import mailboxes, mandates, organisations, people
from portal.demo.seed import build_world
from portal.domain import cases
from portal.i18n import LANGUAGES
from portal.models import (
    Account,
    Letter,
    Mandate,
    NotificationSettings,
    Organisation,
    Person,
    PracticeLogin,
    Subscription,
)
from portal.scenarios import DEMO, LESSONS, SHIPPED_DIR, check_scenarios, lesson_scenarios, scenario
from portal.timeutil import as_utc

ALL_KEYS = (*LESSONS, DEMO)


def test_every_shipped_file_reads_without_a_problem() -> None:
    result = check_scenarios()
    assert result.problems == []
    assert sorted(result.scenarios) == sorted(ALL_KEYS)
    files = {p.name for p in SHIPPED_DIR.glob("*.toml")}
    assert files == {f"{key}.toml" for key in ALL_KEYS} | {"personen.toml", "brieven.toml", "organisaties.toml"}


def test_the_lessons_in_course_order_without_the_demo() -> None:
    assert [s.key for s in lesson_scenarios()] == [
        "beginnen", "berichtenbox", "lopende-zaken", "machtigen", "instellingen"]
    assert [s.title_in("nl") for s in lesson_scenarios()] == [
        "Beginnen", "Berichtenbox", "Lopende zaken", "Machtigen", "Instellingen"]


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_shipped_scenario_has_its_title_and_description_in_six_languages(key: str) -> None:
    found = scenario(key)
    assert set(found.title) == set(found.description) == set(LANGUAGES)
    assert len({found.title_in(code) for code in LANGUAGES}) >= 5  # really translated
    assert found.learner in found.usernames


def test_a_missing_language_falls_back_to_dutch() -> None:
    only_dutch = dataclasses.replace(scenario("beginnen"), title={"nl": "Beginnen"})
    assert only_dutch.title_in("pl") == "Beginnen"
    assert scenario("beginnen").title_in("pl") == "Na początek"


def test_the_demo_modules_show_the_demo_file() -> None:
    demo = scenario(DEMO)
    assert people.PEOPLE == demo.personas and len(people.PEOPLE) == 13
    assert organisations.ORGANISATIONS == demo.organisations
    assert mailboxes.MAILBOXES == demo.mailboxes and mailboxes.SUBSCRIPTIONS == demo.subscriptions
    assert demo_cases.CASES == demo.cases
    assert mandates.LEGAL_REPRESENTATIONS == demo.legal_representations
    assert mandates.HELP_DESK_STAFF == demo.help_desk_staff
    assert demo_letters.TEMPLATES == demo.templates and len(demo.templates) == 19
    assert demo.learner == "joke" and demo.usernames[:2] == ("joke", "sanne")


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_shipped_scenario_builds(db: Session, now: datetime, key: str) -> None:
    found = scenario(key)
    summary = build_world(db, found, now.date(), now)
    db.commit()
    assert summary.practice_logins == len(found.personas) == count(db, PracticeLogin)
    assert summary.persons == count(db, Person)
    assert summary.letters == found.letter_count == count(db, Letter)
    assert summary.subscriptions == count(db, Subscription)
    assert summary.organisations == count(db, Organisation) == 13
    assert summary.cases == len(found.cases)
    assert summary.mandates == len(found.legal_representations) == count(db, Mandate)


def account(db: Session, key: str, username: str) -> Account:
    bsn = scenario(key).persona(username).bsn
    found = db.scalar(select(Account).join(Person).where(Person.bsn == bsn))
    assert found is not None, username
    return found


def box(db: Session, account_id: int) -> list[Letter]:
    return list(db.scalars(
        select(Letter).where(Letter.account_id == account_id).order_by(Letter.placed_at.desc())))


def built(db: Session, now: datetime, key: str) -> Account:
    build_world(db, scenario(key), now.date(), now)
    db.commit()
    return account(db, key, scenario(key).learner)


def test_beginnen_the_learner_has_exactly_one_new_letter_to_read(db: Session, now: datetime) -> None:
    joke = built(db, now, "beginnen")
    letters = box(db, joke.id)
    assert len(letters) >= 3
    [new] = [letter for letter in letters if letter.is_unread]
    assert new is letters[0]
    assert new.organisation.name == "Belastingdienst"
    assert new.subject.startswith("Uw aanslag inkomstenbelasting")
    assert new.act_by is not None and new.act_by > now.date()
    assert not any(letter.archived for letter in letters)


def test_berichtenbox_has_a_new_letter_with_attachments_archived_letters_and_an_old_one(
    db: Session, now: datetime
) -> None:
    joke = built(db, now, "berichtenbox")
    letters = box(db, joke.id)
    new = letters[0]
    assert new.is_unread and len(new.attachments) == 2  # to open and to print
    assert all(a.filename.endswith(".pdf") and a.size > 0 for a in new.attachments)
    assert sum(letter.archived for letter in letters) == 2
    oldest = letters[-1]
    assert as_utc(oldest.placed_at) < now - timedelta(days=180) and not oldest.archived
    assert len(letters) > 5


def test_lopende_zaken_has_a_running_case_that_asks_something(db: Session, now: datetime) -> None:
    joke = built(db, now, "lopende-zaken")
    running = cases.running_cases(db, joke.id)
    assert [c.title for c in running] == ["Aanvraag huurtoeslag", "Aanvraag traplift"]
    asking = running[0]
    assert asking.is_changed and asking.act_by is not None and asking.act_by > now.date()
    [closed] = cases.closed_cases(db, joke.id)
    [letter] = cases.linked_letters(db, closed)
    assert letter.subject.startswith("Voorschot zorgtoeslag")


def test_machtigen_has_two_personas_with_accounts_and_no_mandate_between_them(
    db: Session, now: datetime
) -> None:
    sanne = built(db, now, "machtigen")
    joke = account(db, "machtigen", "joke")
    assert scenario("machtigen").usernames == ("joke", "sanne")
    assert sanne.id != joke.id
    assert count(db, Mandate) == 0
    assert box(db, joke.id) and box(db, sanne.id)  # Sanne has something of Joke's to read


def test_instellingen_leaves_organisations_to_subscribe_to(db: Session, now: datetime) -> None:
    joke = built(db, now, "instellingen")
    subscribed = count_where(db, Subscription, Subscription.account_id == joke.id)
    assert 1 <= subscribed <= 3
    assert count(db, Organisation) - subscribed >= 10
    assert count_where(db, NotificationSettings, NotificationSettings.account_id == joke.id) == 0  # no e-mail yet


def count_where(db: Session, model: type, condition) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(model).where(condition))


@pytest.mark.parametrize("key", ALL_KEYS)
def test_the_dutch_lesson_texts_are_plain_language(key: str) -> None:
    from tests.test_plain_language import MAX_SENTENCE_WORDS, MIN_FLESCH_DOUMA, flesch_douma, sentences, words

    text = scenario(key).description_in("nl")
    assert all(len(words(sentence)) <= MAX_SENTENCE_WORDS for sentence in sentences(text))
    assert flesch_douma(text) >= MIN_FLESCH_DOUMA, text


def test_build_world_gives_the_personas_the_bsns_it_is_asked_for(db: Session, now: datetime) -> None:
    from portal.domain.bsn import is_valid_bsn

    own = {"joke": "999911004", "sanne": "999911016"}
    assert all(is_valid_bsn(bsn) for bsn in own.values())
    summary = build_world(db, scenario("machtigen"), now.date(), now, bsn_for=own.__getitem__)
    db.commit()
    assert summary.accounts == 2
    assert sorted(db.scalars(select(Person.bsn))) == sorted(own.values())
    assert sorted(db.scalars(select(PracticeLogin.bsn))) == sorted(own.values())
