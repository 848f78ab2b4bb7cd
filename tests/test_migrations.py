"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

import portal.models  # noqa: F401
from portal.db import Base


def test_migrations_match_the_models(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists(migrated_engine: Engine) -> None:
    from tests.conftest import table_names

    assert {t.name for t in Base.metadata.sorted_tables} <= table_names(migrated_engine)


def _demo_database(tmp_path):  # type: ignore[no-untyped-def]
    """A new SQLite database, migrated to the newest version, with the demo data; and now."""
    from sqlalchemy.orm import Session

    from portal import migrate
    from portal.db import make_engine
    from portal.demo.seed import seed_demo
    from portal.timeutil import utcnow

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    migrate.upgrade(engine)
    now = utcnow()
    with Session(engine, expire_on_commit=False) as db:
        seed_demo(db, now.date(), now)
        db.commit()
    return engine, now


def test_0007_finds_what_a_representative_arranged_in_the_audit_log(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, item 1: mandates approved, changed or offered by a representative before
    ``arranged_under_id`` existed get it from the audit log, so they end with him."""
    from datetime import timedelta

    from sqlalchemy.orm import Session

    from portal import migrate
    from portal.domain import audit
    from portal.models import AuditAction, Mandate, MandateKind
    from tests.support.login import account_of
    from tests.support.mandates import make_mandate

    engine, now = _demo_database(tmp_path)
    with Session(engine, expire_on_commit=False) as db:
        henk, kees, sanne, joke = (account_of(db, n) for n in ("henk", "kees", "sanne", "joke"))
        legal = next(m for m in db.query(Mandate).all()
                     if m.kind is MandateKind.LEGAL and m.giver_id == henk.id and m.helper_id == kees.id)
        approved = make_mandate(db, henk, kees, now=now, kind=MandateKind.REQUESTED)
        changed = make_mandate(db, henk, sanne, now=now)
        offered = make_mandate(db, henk, sanne, now=now)
        offered.created_by_id = kees.id
        untouched = make_mandate(db, joke, sanne, now=now)
        for what, target in (("mandates.approve", approved), ("mandates.change", changed)):
            audit.record(db, actor_id=kees.id, owner_id=henk.id, mandate_id=legal.id, action=AuditAction.ACTION_TAKEN,
                         what=what, object_id=str(target.id), at=now - timedelta(days=1))
        db.commit()
        ids = {name: m.id for name, m in
               (("approved", approved), ("changed", changed), ("offered", offered), ("untouched", untouched))}
    migrate.downgrade(engine, "0006")
    migrate.upgrade(engine)
    with Session(engine) as db:
        found = {name: db.get(Mandate, mandate_id).arranged_under_id for name, mandate_id in ids.items()}  # type: ignore[union-attr]
    engine.dispose()
    assert found == {"approved": legal.id, "changed": legal.id, "offered": legal.id, "untouched": None}


def test_0008_adds_the_asks_and_takes_them_away_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, item 5: every ask is kept as typed (``mandate_ask``); a downgrade removes the
    table and leaves the mandates as they were, and upgrading again works."""
    from datetime import timedelta

    from sqlalchemy import inspect, select
    from sqlalchemy.orm import Session

    from portal import migrate
    from portal.models import Mandate, MandateAsk, MandateKind
    from tests.support.login import account_of
    from tests.support.mandates import make_mandate

    engine, now = _demo_database(tmp_path)
    with Session(engine, expire_on_commit=False) as db:
        joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
        request = make_mandate(db, joke, sanne, now=now, kind=MandateKind.REQUESTED, accepted=False)
        db.add(MandateAsk(helper_id=sanne.id, asked_at=now, lapses_at=now + timedelta(days=30),
                          bsn_masked="******006", surname="Vries", mandate_id=request.id))
        db.commit()
    migrate.downgrade(engine, "0007")
    assert "mandate_ask" not in inspect(engine).get_table_names()
    with engine.connect() as connection:  # the model is newer than this schema: plain SQL
        assert connection.execute(select(Mandate.id).where(Mandate.id == request.id)).scalar() is not None
    migrate.upgrade(engine)
    with Session(engine) as db:
        assert db.query(MandateAsk).count() == 0
    engine.dispose()


def test_0009_turns_comma_strings_into_sets_and_back(engine: Engine) -> None:
    """Issue 15, item 3: a mandate's scopes were a comma string; 0009 makes them a JSON array
    in the fixed order, read as a frozenset of ``Scope``. The downgrade joins them again.
    On the test database of the run (SQLite, or PostgreSQL with PORTAL_TEST_DATABASE_URL)."""
    import json

    from sqlalchemy import JSON, String, column, select, table, update
    from sqlalchemy.orm import Session

    from portal import migrate
    from portal.demo.seed import seed_demo
    from portal.models import Mandate, Scope
    from portal.timeutil import utcnow
    from tests.support.login import account_of
    from tests.support.mandates import make_mandate

    now = utcnow()
    with Session(engine, expire_on_commit=False) as db:
        seed_demo(db, now.date(), now)
        joke, sanne, tom = (account_of(db, name) for name in ("joke", "sanne", "tom"))
        two = make_mandate(db, joke, sanne, now=now, scopes=[Scope.VIEW_CASES, Scope.READ_LETTERS]).id
        one = make_mandate(db, joke, tom, now=now, scopes=[Scope.CHANGE_SETTINGS]).id
        db.commit()
        everything = {m.id: m.scopes for m in db.query(Mandate).all()}
    migrate.downgrade(engine, "0008")
    try:
        old = table("mandate", column("id", Mandate.id.type), column("scopes", String()))
        with engine.begin() as connection:
            texts = dict(connection.execute(select(old.c.id, old.c.scopes)).all())
            assert texts[two] == "read_letters,view_cases"
            assert texts[one] == "change_settings"
            # As an older version wrote it: out of order, with a stray space and an empty part.
            connection.execute(update(old).where(old.c.id == two).values(scopes="view_cases, read_letters,"))
    finally:
        migrate.upgrade(engine)
    new = table("mandate", column("id", Mandate.id.type), column("scopes", JSON()))
    with engine.connect() as connection:
        raw = connection.execute(select(new.c.scopes).where(new.c.id == two)).scalar()
    assert (json.loads(raw) if isinstance(raw, str) else raw) == ["read_letters", "view_cases"]
    with Session(engine) as db:
        assert {m.id: m.scopes for m in db.query(Mandate).all()} == everything
        assert isinstance(db.get(Mandate, one).scopes, frozenset)  # type: ignore[union-attr]
