"""Practice sandboxes (issue 10, item 2): each made from its lesson, with its own test BSNs;
a reset gives back exactly the starting state; idle sandboxes expire and are purged at the
exact edge of ``IDLE_HOURS``."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain.accounts import account_for_bsn
from portal.domain.bsn import is_valid_bsn
from portal.domain.mandates import find_person_account, today_in_nl
from portal.domain.worlds import REGISTER
from portal.models import (
    Account,
    AuditAction,
    Letter,
    LoginSession,
    Mandate,
    Person,
    PracticeLogin,
    PracticeSandbox,
    Subscription,
)
from portal.practice import sandboxes
from portal.practice.scenarios import people
from tests.support.mandates import make_mandate
from tests.support.practice import account_in
from tests.support.snapshot import snapshot


def _make(db: Session, scenario: str, now: datetime) -> PracticeSandbox:
    return sandboxes.create(db, scenario, today_in_nl(now), now).sandbox


def _count(db: Session, model: type, *where: object) -> int:
    return int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def test_every_slot_has_enough_valid_test_bsns_of_its_own() -> None:
    seen: set[str] = set()
    for slot in range(sandboxes.MAX_SANDBOXES):
        numbers = list(sandboxes.bsns_for_slot(slot))
        assert len(numbers) >= sandboxes.MAX_PERSONS, slot
        assert all(is_valid_bsn(n) for n in numbers), slot
        assert seen.isdisjoint(numbers), slot
        seen.update(numbers)
    # Below the shared demo world's numbers (999900006 …), which stay the register's.
    assert max(seen) < "999900000"
    with pytest.raises(ValueError):
        list(sandboxes.bsns_for_slot(sandboxes.MAX_SANDBOXES))


def test_a_sandbox_holds_its_lessons_persons_with_the_numbers_of_its_slot(db: Session, now: datetime) -> None:
    sandbox = _make(db, "machtigen", now)
    persons = db.scalars(select(Person).where(Person.sandbox_id == sandbox.id).order_by(Person.bsn)).all()
    assert sorted(p.given_names for p in persons) == ["Joke", "Sanne"]
    assert {p.bsn for p in persons} <= set(sandboxes.bsns_for_slot(sandbox.slot))
    logins = db.scalars(select(PracticeLogin).where(PracticeLogin.sandbox_id == sandbox.id)).all()
    assert sorted(login.username for login in logins) == ["joke", "sanne"]
    assert {login.bsn for login in logins} == {p.bsn for p in persons}
    joke = account_in(db, sandbox.id, "joke")
    assert _count(db, Letter, Letter.account_id == joke.id) > 0
    assert _count(db, Subscription, Subscription.account_id == joke.id) > 0


def test_two_sandboxes_of_one_lesson_take_different_slots_and_numbers(db: Session, now: datetime) -> None:
    first, second = _make(db, "beginnen", now), _make(db, "beginnen", now)
    assert first.slot != second.slot
    bsns = [set(db.scalars(select(Person.bsn).where(Person.sandbox_id == s.id))) for s in (first, second)]
    assert bsns[0] and bsns[1] and bsns[0].isdisjoint(bsns[1])
    # A freed slot is taken again by the next learner.
    sandboxes.remove(db, first.id)
    db.commit()
    assert _make(db, "beginnen", now).slot == first.slot


def test_a_person_is_found_only_in_their_own_world(db: Session, now: datetime) -> None:
    first, second = _make(db, "machtigen", now), _make(db, "machtigen", now)
    joke_of_second = account_in(db, second.id, "joke")
    bsn = joke_of_second.person.bsn
    today = today_in_nl(now)
    assert account_for_bsn(db, bsn, today, world=second.id).account == joke_of_second
    assert account_for_bsn(db, bsn, today, world=first.id).account is None
    assert account_for_bsn(db, bsn, today, world=REGISTER).account is None
    assert find_person_account(db, bsn, "de Vries", world=second.id) == joke_of_second
    assert find_person_account(db, bsn, "de Vries", world=first.id) is None


def _play(db: Session, sandbox: PracticeSandbox, now: datetime) -> None:
    """What a learner does in a lesson: read, archive, subscribe, log in, give a mandate."""
    joke, sanne = account_in(db, sandbox.id, "joke"), account_in(db, sandbox.id, "sanne")
    letters = db.scalars(select(Letter).where(Letter.account_id == joke.id)).all()
    for letter in letters:
        letter.first_opened_at = letter.first_opened_at or now
    letters[0].archived = not letters[0].archived
    db.execute(Subscription.__table__.delete().where(Subscription.account_id == sanne.id))
    db.add(LoginSession(token_hash=secrets.token_hex(32), account_id=joke.id))
    mandate = make_mandate(db, joke, sanne, now=now)
    audit.record(db, actor_id=sanne.id, owner_id=joke.id, mandate_id=mandate.id, action=AuditAction.ACTION_TAKEN,
                 what="messages.letter", object_id=str(letters[0].id), at=now)
    db.commit()


def test_a_reset_gives_back_the_starting_state_row_for_row(db: Session, now: datetime) -> None:
    sandbox = _make(db, "machtigen", now)
    fresh = snapshot(db)
    _play(db, sandbox, now + timedelta(minutes=5))
    assert snapshot(db) != fresh  # the lesson changed something (the check can fail)
    token_hash, slot = sandbox.token_hash, sandbox.slot
    sandboxes.reset(db, sandbox, today_in_nl(now), now)
    assert snapshot(db) == fresh
    assert (sandbox.token_hash, sandbox.slot) == (token_hash, slot)  # the browser keeps its sandbox


def test_a_reset_leaves_every_other_sandbox_as_it_was(db: Session, now: datetime) -> None:
    mine, other = _make(db, "machtigen", now), _make(db, "machtigen", now)
    _play(db, other, now)
    before = _world_rows(db, other.id)
    _play(db, mine, now)
    sandboxes.reset(db, mine, today_in_nl(now), now)
    assert _world_rows(db, other.id) == before
    assert _count(db, Mandate, Mandate.giver_id == account_in(db, other.id, "joke").id) == 1


def _world_rows(db: Session, sandbox_id: int) -> dict[str, int]:
    accounts = select(Account.id).join(Person).where(Person.sandbox_id == sandbox_id)
    return {
        "persons": _count(db, Person, Person.sandbox_id == sandbox_id),
        "logins": _count(db, PracticeLogin, PracticeLogin.sandbox_id == sandbox_id),
        "letters": _count(db, Letter, Letter.account_id.in_(accounts)),
        "archived": _count(db, Letter, Letter.account_id.in_(accounts), Letter.archived.is_(True)),
        "subscriptions": _count(db, Subscription, Subscription.account_id.in_(accounts)),
        "sessions": _count(db, LoginSession, LoginSession.account_id.in_(accounts)),
    }


def test_a_sandbox_is_alive_until_exactly_eight_idle_hours(db: Session, now: datetime) -> None:
    made = sandboxes.create(db, "beginnen", today_in_nl(now), now)
    edge = now + sandboxes.IDLE_LIMIT
    assert sandboxes.IDLE_LIMIT == timedelta(hours=8)
    assert sandboxes.find(db, made.token, edge - timedelta(microseconds=1)) is not None
    assert sandboxes.find(db, made.token, edge) is None
    assert sandboxes.find(db, "not-a-token", now) is None


def test_activity_is_written_at_most_once_a_minute(db: Session, now: datetime) -> None:
    sandbox = _make(db, "beginnen", now)
    assert not sandboxes.touch(sandbox, now + sandboxes.TOUCH_INTERVAL - timedelta(microseconds=1))
    assert sandboxes.touch(sandbox, now + sandboxes.TOUCH_INTERVAL)
    assert sandbox.last_seen_at == now + sandboxes.TOUCH_INTERVAL


def test_the_purge_removes_exactly_the_sandboxes_idle_for_eight_hours(db: Session, now: datetime) -> None:
    idle = _make(db, "machtigen", now)
    _play(db, idle, now)
    almost = _make(db, "beginnen", now + timedelta(microseconds=1))
    idle_id, almost_id = idle.id, almost.id
    kept = _world_rows(db, almost_id)
    assert sandboxes.purge_idle(db, now + sandboxes.IDLE_LIMIT) == 1
    assert db.get(PracticeSandbox, idle_id) is None
    assert _world_rows(db, idle_id) == dict.fromkeys(kept, 0)
    assert _count(db, Mandate) == 0  # with Joke and Sanne gone, so is what was between them
    assert db.get(PracticeSandbox, almost_id) is not None and _world_rows(db, almost_id) == kept
    assert sandboxes.purge_idle(db, now + sandboxes.IDLE_LIMIT) == 0
    assert sandboxes.purge_idle(db, now + sandboxes.IDLE_LIMIT + timedelta(microseconds=1)) == 1


def test_no_more_sandboxes_than_there_are_slots(db: Session, now: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandboxes, "MAX_SANDBOXES", 2)
    _make(db, "beginnen", now)
    _make(db, "beginnen", now)
    with pytest.raises(sandboxes.NoRoomForSandbox):
        _make(db, "beginnen", now)
    assert _count(db, PracticeSandbox) == 2


def test_every_lesson_fits_in_a_sandbox(db: Session, now: datetime) -> None:
    from portal.practice.scenarios import lessons

    for lesson in lessons():
        assert 1 <= len(people(lesson.key)) <= sandboxes.MAX_PERSONS, lesson.key
        sandbox = _make(db, lesson.key, now)
        learner = people(lesson.key)[0]
        assert account_in(db, sandbox.id, learner) is not None, lesson.key
