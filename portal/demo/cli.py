"""``flask --app portal demo seed|reset|check``: practice data for courses, demos and research."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import inspect

from portal.db import engine_for, get_session
from portal.timeutil import utcnow

demo_cli = AppGroup("demo", help="Practice data: persons, logins, organisations and letters.")


def _check_database() -> None:
    # Reset deletes every account and letter: never on a real portal.
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is not available in production.")
    if not inspect(engine_for(current_app)).has_table("person"):
        raise click.ClickException(
            "The database has no tables yet: run 'flask --app portal db upgrade' first."
        )


@demo_cli.command("seed")
@click.option("--reset", "reset_first", is_flag=True, help="Delete all demo data first.")
def seed_command(reset_first: bool) -> None:
    """Add the demo data, but only to an empty database."""
    from portal.demo.seed import database_is_empty, reset_demo, seed_demo

    _check_database()
    session = get_session()
    if reset_first:
        reset_demo(session)
        click.echo("Demo data deleted.")
    if not database_is_empty(session):
        click.echo("Database not empty: nothing added.")
        return
    summary = seed_demo(session, date.today(), utcnow())
    click.echo(f"Demo data added: {summary.describe()}.")


@demo_cli.command("reset")
def reset_command() -> None:
    """Delete all demo data (letters, accounts, persons, organisations, practice logins)."""
    from portal.demo.seed import reset_demo

    _check_database()
    deleted = reset_demo(get_session())
    click.echo(f"Demo data deleted: {sum(deleted.values())} rows.")


@demo_cli.command("check")
def check_command() -> None:
    """Check every scenario file (the shipped ones and those in PORTAL_SCENARIO_DIR)."""
    from portal.demo.check import check_all

    extra = current_app.config.get("SCENARIO_DIR")
    good, problems = check_all(extra, date.today(), utcnow())
    for checked in good:
        scenario = checked.scenario
        click.echo(
            f"{scenario.key} ({scenario.source}): {scenario.title_in('nl')}. "
            f"Learner: {scenario.learner}. {checked.summary}."
        )
    if problems:
        click.echo(f"{len(problems)} problem(s):", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"All {len(good)} scenarios are correct.")


def register(app: Flask) -> None:
    """Add the ``demo`` command group to ``app.cli``."""
    app.cli.add_command(demo_cli)
