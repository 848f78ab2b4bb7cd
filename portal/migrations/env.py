"""Alembic environment: runs on the connection the portal hands over (see portal.migrate)."""

from alembic import context

import portal.models  # noqa: F401  (registers every table)
from portal.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported: run `flask --app portal db upgrade`.")
run_migrations_online()
