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
