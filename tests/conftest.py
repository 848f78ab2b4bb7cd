"""Shared fixtures: one database per test run, emptied before every test; the app; clients.

The database is SQLite in a temporary file, or PostgreSQL when PORTAL_TEST_DATABASE_URL is set.
With PORTAL_NO_SKIPS=1 (CI) a skipped test fails the run.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal import create_app, migrate
from portal.db import Base, make_engine
from portal.timeutil import utcnow
from tests.support.html import CheckedClient


_skipped_as_failed: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and os.environ.get("PORTAL_NO_SKIPS") == "1":
        report.outcome = "failed"
        report.longrepr = f"Skipped while PORTAL_NO_SKIPS=1: {report.longrepr}"
        _skipped_as_failed.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped_as_failed and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal-test.sqlite3")


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """The test database, built from scratch by the Alembic migrations (so they are tested)."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def empty_database(engine: Engine) -> None:
    """Every table emptied, children first. DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of
    all tables takes about 30 ms even when they are empty, the DELETEs about 2 ms; over a
    thousand tests that is half a minute. Tests never rely on the values of generated ids."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        for table in tables:
            connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    empty_database(migrated_engine)
    return migrated_engine


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("instance"))


def app_settings(database_url: str, base_url: str) -> dict[str, object]:
    return {
        "ENV": "test",
        "DATABASE_URL": database_url,
        "BASE_URL": base_url,
        "OIDC_ISSUER": f"{base_url}/oefen-digid",
        "OIDC_REDIRECT_URI": f"{base_url}/inloggen/terug",
        "PRACTICE_DIGID": True,
        "SECRET_KEY": secrets.token_hex(16),
    }


@pytest.fixture
def app(engine: Engine, database_url: str, instance_path: str,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", instance_path)
    application = create_app(app_settings(database_url, "http://localhost"))
    application.test_client_class = CheckedClient
    yield application
    application.extensions["portal.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> CheckedClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def now() -> datetime:
    return utcnow()


@pytest.fixture
def demo(db: Session, now: datetime):  # type: ignore[no-untyped-def]
    """The demo data set: practice persons, organisations, accounts, letters."""
    from portal.demo.seed import seed_demo

    summary = seed_demo(db, now.date(), now)
    db.commit()
    return summary


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
