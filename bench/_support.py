"""Shared set-up for the benchmarks in this folder: a fresh, migrated database and the app.

Not a benchmark itself. The database is a throw-away SQLite file unless PORTAL_DATABASE_URL is
set; a PostgreSQL database is created when missing and emptied first (DROP SCHEMA public
CASCADE). The database named ``test`` (the test suite's) is refused.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app, migrate  # noqa: E402
from portal.db import Base, make_engine  # noqa: E402

PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}


def database_url(workdir: str, filename: str) -> str:
    return os.environ.get("PORTAL_DATABASE_URL") or f"sqlite:///{workdir}/{filename}"


def describe(url: str) -> str:
    """The database without any password, for the printed figures."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return "sqlite (file)" if parsed.database else "sqlite (memory)"
    return f"{parsed.get_backend_name()} {parsed.host}:{parsed.port}/{parsed.database}"


def ensure_postgres_database(url: str) -> None:
    """Create the database when it does not exist, from the ``postgres`` maintenance database."""
    parsed = make_url(url)
    name = parsed.database or ""
    if name in PROTECTED_DATABASES:
        raise SystemExit(f"Refusing to use the database {name!r}: the benchmark empties it. "
                         "Use e.g. postgresql://postgres@127.0.0.1:5432/bench")
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def fresh_app(url: str, workdir: str, **config: Any) -> Flask:
    """The portal on an empty, migrated database (the instance folder is ``workdir``)."""
    if not url.startswith("sqlite"):
        ensure_postgres_database(url)
    os.environ["PORTAL_INSTANCE_PATH"] = workdir
    app = create_app({"ENV": "test", "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), **config})
    engine = app.extensions["portal.engine"]
    if engine.dialect.name == "postgresql":
        if (engine.url.database or "") in PROTECTED_DATABASES:
            raise SystemExit(f"Refusing to empty the database {engine.url.database!r}.")
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    migrate.upgrade(engine)
    return app
