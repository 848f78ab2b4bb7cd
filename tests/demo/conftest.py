"""A fresh SQLite file per test, tables made by ``create_all``, and a fixed clock.

The names differ from the shared fixtures (``engine``, ``db``) on purpose: these tests do not
need the migrations and must not depend on the wall clock. ``now`` is overridden with a
fixed moment here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

import portal.models  # noqa: F401  (every table in the metadata)
from portal.db import Base, make_engine

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def fresh_database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'demo.sqlite3'}"


@pytest.fixture
def fresh_engine(fresh_database_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(fresh_engine: Engine) -> Iterator[Session]:
    with Session(fresh_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def seeded(session: Session):
    from portal.demo.seed import seed_demo

    return seed_demo(session, TODAY, NOW)


@pytest.fixture(scope="module")
def seeded_once(tmp_path_factory):
    """One seeded database shared by the read-only tests of a module (seeding hashes passwords)."""
    from portal.demo.seed import seed_demo

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'demo.sqlite3'}")
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        summary = seed_demo(session, TODAY, NOW)
        yield session, summary
    engine.dispose()
