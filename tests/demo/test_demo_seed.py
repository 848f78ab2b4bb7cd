from datetime import timedelta

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, func, select, text
from sqlalchemy.orm import Session

from portal.db import Base
from portal.demo import seed as seed_module
from portal.demo.mailboxes import MAILBOXES, SUBSCRIPTIONS
from portal.demo.organisations import ORGANISATIONS
from portal.demo.people import PEOPLE, PRACTICE_PASSWORD, by_username
from portal.demo.seed import (
    DEMO_TABLES,
    DemoDataExists,
    database_is_empty,
    reset_demo,
    seed_demo,
)
from portal.domain.eligibility import age_on
from portal.domain.mandates import active_held
from portal.models import (
    Account,
    AuditAction,
    AuditEntry,
    HelpDeskStaff,
    LegalRole,
    MandateKind,
    Attachment,
    Letter,
    LoginSession,
    Organisation,
    Person,
    PracticeAuthorizationCode,
    PracticeLogin,
    Subscription,
)
from portal.policy import Scope, scopes_of
from portal.practice_digid.logins import check_practice_login
from portal.timeutil import as_utc

INELIGIBLE = ("lotte", "klaus", "noor")


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def box(session: Session, username: str) -> list[Letter]:
    person = by_username(username)
    return list(
        session.scalars(
            select(Letter)
            .join(Account, Account.id == Letter.account_id)
            .join(Person, Person.id == Account.person_id)
            .where(Person.bsn == person.bsn)
            .order_by(Letter.placed_at.desc())
        )
    )


def test_seed_counts(seeded_once):
    session, seeded = seeded_once
    expected_letters = sum(len(b) for b in MAILBOXES.values())
    assert seeded.persons == sum(p.in_register for p in PEOPLE) == count(session, Person)
    assert seeded.practice_logins == len(PEOPLE) == count(session, PracticeLogin)
    assert seeded.organisations == len(ORGANISATIONS) == count(session, Organisation)
    assert seeded.accounts == len(PEOPLE) - len(INELIGIBLE) == count(session, Account)
    assert seeded.subscriptions == sum(map(len, SUBSCRIPTIONS.values()))
    assert seeded.subscriptions == count(session, Subscription)
    assert seeded.letters == expected_letters == count(session, Letter)
    assert seeded.attachments == count(session, Attachment) > 0
    unread = session.scalar(
        select(func.count()).select_from(Letter).where(Letter.first_opened_at.is_(None)))
    assert seeded.unread_letters == unread
    assert seeded.archived_letters == count(session, Letter) - session.scalar(
        select(func.count()).select_from(Letter).where(Letter.archived.is_(False)))
    assert "999" not in seeded.describe()


def test_joke_has_one_unread_letter_that_needs_action(seeded_once, today):
    session, _ = seeded_once
    letters = box(session, "joke")
    assert 7 <= len(letters) <= 9
    unread = [letter for letter in letters if letter.is_unread]
    assert len(unread) == 1
    newest = letters[0]
    assert unread == [newest]
    assert newest.organisation.name == "Belastingdienst"
    assert newest.act_by is not None and newest.act_by > today
    assert newest.action and newest.action.startswith("Betaal €")
    assert not newest.archived
    assert sum(letter.archived for letter in letters) >= 2
    assert newest.attachments and newest.attachments[0].filename.endswith(".pdf")


@pytest.mark.parametrize("username", ["sanne", "ahmed", "kees", "marieke", "tom", "emma", "henk", "fatima", "wim"])
def test_other_boxes(seeded_once, username):
    session, _ = seeded_once
    letters = box(session, username)
    assert 3 <= len(letters) <= 6
    assert any(letter.is_unread for letter in letters)


def test_kees_is_bewindvoerder_of_three_clients_and_marieke_is_at_the_desk(seeded_once, now):
    session, summary = seeded_once
    kees = session.scalar(select(Account).join(Person).where(Person.bsn == by_username("kees").bsn))
    held = active_held(session, kees.id, now)
    assert sorted(m.giver.person.full_name for m in held) == ["Fatima Ouali", "Henk Mulder", "Wim van Dijk"]
    for mandate in held:
        assert mandate.kind is MandateKind.LEGAL and mandate.legal_role is LegalRole.BEWINDVOERDER
        assert mandate.court_reference and mandate.decision_date < now.date()
        assert Scope.MANAGE_MANDATES in scopes_of(mandate)
    assert summary.mandates == 3 and summary.help_desk_staff == 1
    [staff] = session.scalars(select(HelpDeskStaff))
    marieke = session.scalar(select(Account).join(Person).where(Person.bsn == by_username("marieke").bsn))
    assert staff.account_id == marieke.id
    assert staff.desk_name == "Bibliotheek Utrecht – Informatiepunt Digitale Overheid"


def test_ineligible_people_have_no_account(seeded_once):
    session, _ = seeded_once
    for username in INELIGIBLE:
        person = session.scalar(select(Person).where(Person.bsn == by_username(username).bsn))
        if username == "noor":
            assert person is None  # not in the register at all
            continue
        assert person is not None
        assert session.scalar(select(Account).where(Account.person_id == person.id)) is None


def test_practice_logins_work_for_everyone(seeded_once):
    session, _ = seeded_once
    for practice in PEOPLE:
        login = check_practice_login(session, practice.username, PRACTICE_PASSWORD)
        assert login is not None and login.bsn == practice.bsn


def test_persons_have_their_practice_age(seeded_once, today):
    session, _ = seeded_once
    for practice in PEOPLE:
        if not practice.in_register:
            continue
        person = session.scalar(select(Person).where(Person.bsn == practice.bsn))
        assert age_on(person.birth_date, today) == practice.age_years
        assert person.full_name == practice.full_name


def test_letter_times_make_sense(seeded_once, now):
    session, _ = seeded_once
    for letter in session.scalars(select(Letter)):
        placed = as_utc(letter.placed_at)
        assert now - timedelta(days=200) < placed < now
        assert as_utc(letter.sent_at) == placed
        if letter.first_opened_at is not None:
            assert placed <= as_utc(letter.first_opened_at) <= now
        if letter.archived:
            assert letter.first_opened_at is not None
    for account in session.scalars(select(Account)):
        assert as_utc(account.created_at) < now - timedelta(days=200)


def test_every_letter_comes_from_a_subscribed_organisation(seeded_once):
    session, _ = seeded_once
    unsubscribed = session.scalar(
        select(func.count())
        .select_from(Letter)
        .outerjoin(
            Subscription,
            (Subscription.account_id == Letter.account_id)
            & (Subscription.organisation_id == Letter.organisation_id),
        )
        .where(Subscription.id.is_(None))
    )
    assert unsubscribed == 0


def test_joke_is_subscribed_to_all_organisations(seeded_once):
    session, _ = seeded_once
    letters = box(session, "joke")
    account_id = letters[0].account_id
    subscribed = session.scalar(
        select(func.count()).select_from(Subscription).where(Subscription.account_id == account_id))
    assert subscribed == len(ORGANISATIONS)


def test_database_is_empty_prevents_seeding_twice(session, today, now):
    assert database_is_empty(session)
    seed_demo(session, today, now)
    assert not database_is_empty(session)
    letters = count(session, Letter)
    with pytest.raises(DemoDataExists):
        seed_demo(session, today, now)
    assert count(session, Letter) == letters
    assert count(session, Person) == sum(p.in_register for p in PEOPLE)


def test_seed_is_one_transaction(session, today, now, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(seed_module, "place_letter", broken)
    with pytest.raises(RuntimeError):
        seed_demo(session, today, now)
    assert database_is_empty(session)
    for model in (PracticeLogin, Organisation, Account, Subscription, Letter):
        assert count(session, model) == 0


def test_seed_without_commit_can_be_rolled_back(session, today, now):
    seed_demo(session, today, now, commit=False)
    assert not database_is_empty(session)
    session.rollback()
    assert database_is_empty(session)


def test_reset_empties_everything(session, seeded, now):
    account = session.scalars(select(Account)).first()
    session.add(LoginSession(token_hash="a" * 64, account_id=account.id))
    session.add(PracticeAuthorizationCode(code="code-1", client_id="burgerportaal", user_id=1))
    session.add(AuditEntry(actor_id=account.id, owner_id=account.id, action=AuditAction.PAGE_VIEWED,
                           what="messages.inbox", at=now))
    session.commit()

    deleted = reset_demo(session)

    # The demo tables, and every table that points at them (API, notifications, ...).
    assert set(DEMO_TABLES) <= set(deleted)
    assert deleted["login_session"] == 1 and deleted["practice_authorization_code"] == 1
    assert deleted["letter"] == seeded.letters
    assert deleted["mandate"] == seeded.mandates and deleted["audit_entry"] == 1
    for table in DEMO_TABLES:
        assert session.scalar(text(f"SELECT COUNT(*) FROM {table}")) == 0
    assert database_is_empty(session)


def test_seed_again_after_reset(session, seeded, today, now):
    reset_demo(session)
    again = seed_demo(session, today, now)
    assert again == seeded


def test_reset_also_empties_tables_that_point_at_demo_rows(session, fresh_engine, seeded):
    # A table another module might add later (e.g. a delivery log pointing at letters).
    note = Table(
        "demo_test_delivery_note", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("letter_id", ForeignKey("letter.id"), nullable=False),
    )
    try:
        note.create(fresh_engine)
        letter_id = session.scalars(select(Letter.id)).first()
        session.execute(note.insert().values(letter_id=letter_id))
        session.commit()

        deleted = reset_demo(session)

        assert deleted["demo_test_delivery_note"] == 1
        assert count(session, Letter) == 0
    finally:
        Base.metadata.remove(note)


def test_seeding_on_a_leap_day(session, now):
    from datetime import date

    summary = seed_demo(session, date(2028, 2, 29), now.replace(year=2028, month=2, day=29))
    assert summary.accounts == len(PEOPLE) - len(INELIGIBLE)
