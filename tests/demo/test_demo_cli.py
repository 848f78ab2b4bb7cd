import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import db
from portal.demo.cli import register
from portal.demo.people import PEOPLE
from portal.models import Letter, Person


def make_app(fresh_database_url: str, env_name: str = "test") -> Flask:
    app = Flask("portal_demo_cli_test")
    app.config.update(DATABASE_URL=fresh_database_url, LOG_SQL=False, ENV_NAME=env_name, TESTING=True)
    db.init_app(app)
    register(app)
    return app


@pytest.fixture
def runner(fresh_engine, fresh_database_url):
    return make_app(fresh_database_url).test_cli_runner()


def persons(fresh_engine) -> int:
    with Session(fresh_engine) as session:
        return session.scalar(select(func.count()).select_from(Person))


def letters(fresh_engine) -> int:
    with Session(fresh_engine) as session:
        return session.scalar(select(func.count()).select_from(Letter))


def assert_no_bsn(output: str) -> None:
    for person in PEOPLE:
        assert person.bsn not in output


def test_seed_an_empty_database(runner, fresh_engine):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Demo data added: ")
    assert_no_bsn(result.output)
    assert persons(fresh_engine) > 0


def test_seed_a_database_that_is_not_empty(runner, fresh_engine):
    runner.invoke(args=["demo", "seed"])
    before = letters(fresh_engine)
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Database not empty: nothing added."
    assert letters(fresh_engine) == before


def test_seed_with_reset_starts_over(runner, fresh_engine):
    runner.invoke(args=["demo", "seed"])
    before = letters(fresh_engine)
    result = runner.invoke(args=["demo", "seed", "--reset"])
    assert result.exit_code == 0, result.output
    assert "Demo data added: " in result.output
    assert_no_bsn(result.output)
    assert letters(fresh_engine) == before


def test_reset(runner, fresh_engine):
    runner.invoke(args=["demo", "seed"])
    result = runner.invoke(args=["demo", "reset"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Demo data deleted")
    assert persons(fresh_engine) == 0 and letters(fresh_engine) == 0


def test_refused_in_production(fresh_engine, fresh_database_url):
    runner = make_app(fresh_database_url, env_name="production").test_cli_runner()
    for args in (["demo", "seed"], ["demo", "reset"], ["demo", "seed", "--reset"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert "not available in production" in result.output
    assert persons(fresh_engine) == 0


def test_a_database_without_tables_gets_a_clear_message(tmp_path):
    runner = make_app(f"sqlite:///{tmp_path / 'bare.sqlite3'}").test_cli_runner()
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "db upgrade" in result.output
