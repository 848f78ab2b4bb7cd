import time

import pytest
from sqlalchemy import event, func, select

from portal.demo.seed import add_letters_for_benchmark
from portal.models import Account, Letter, Organisation


@pytest.fixture
def box(session, seeded):
    account = session.scalars(select(Account).order_by(Account.id)).first()
    organisation_ids = list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
    return account.id, organisation_ids


def letters_in(session, account_id, *conditions):
    return session.scalar(
        select(func.count()).select_from(Letter).where(Letter.account_id == account_id, *conditions))


def test_ten_thousand_letters_in_one_box_fast(session, box, now):
    account_id, organisation_ids = box
    before = letters_in(session, account_id)

    started = time.perf_counter()
    added = add_letters_for_benchmark(session, account_id, organisation_ids, 10_000, now)
    session.commit()
    elapsed = time.perf_counter() - started

    assert added == 10_000
    assert elapsed < 5.0, f"bulk insert took {elapsed:.2f} s"
    assert letters_in(session, account_id) == before + 10_000
    new = (Letter.reference.like("TEST-%"),)
    assert letters_in(session, account_id, *new, Letter.first_opened_at.is_(None)) == 2_500
    assert letters_in(session, account_id, *new, Letter.archived.is_(True)) == 1_000
    distinct_times = session.scalar(
        select(func.count(func.distinct(Letter.placed_at))).where(*new))
    assert distinct_times == 10_000
    used = session.scalar(select(func.count(func.distinct(Letter.organisation_id))).where(*new))
    assert used == len(organisation_ids)


def test_bulk_insert_uses_few_statements(session, fresh_engine, box, now):
    account_id, organisation_ids = box
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(fresh_engine, "before_cursor_execute", remember)
    try:
        add_letters_for_benchmark(session, account_id, organisation_ids, 5_000, now, chunk_size=1_000)
    finally:
        event.remove(fresh_engine, "before_cursor_execute", remember)
    session.commit()
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert 1 <= len(inserts) <= 10


def test_newest_benchmark_letter_is_placed_at_now(session, box, now):
    account_id, organisation_ids = box
    add_letters_for_benchmark(session, account_id, organisation_ids, 3, now)
    session.commit()
    subjects = list(session.scalars(
        select(Letter.subject).where(Letter.reference.like("TEST-%")).order_by(
            Letter.placed_at.desc())))
    assert subjects == ["Testbericht 1", "Testbericht 2", "Testbericht 3"]


def test_bad_arguments_are_refused(session, box, now):
    account_id, organisation_ids = box
    with pytest.raises(ValueError):
        add_letters_for_benchmark(session, account_id, [], 10, now)
    with pytest.raises(ValueError):
        add_letters_for_benchmark(session, account_id, organisation_ids, -1, now)
    assert add_letters_for_benchmark(session, account_id, organisation_ids, 0, now) == 0
