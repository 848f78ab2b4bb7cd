"""``flask --app portal ...`` commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal import migrate
from portal.db import engine_for

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    migrate.upgrade(engine_for(current_app), revision)
    click.echo("Database schema is up to date.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the database schema back to REVISION."""
    migrate.downgrade(engine_for(current_app), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration for model changes (developers only)."""
    migrate.revision(engine_for(current_app), message)


def init_app(app: Flask) -> None:
    from portal.demo.cli import register as register_demo
    from portal.mandates.cli import register as register_mandates
    from portal.notifications.cli import notifications_cli

    from portal.api.cli import api_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(api_cli)
    register_demo(app)
    register_mandates(app)
