"""``flask demo check``: every scenario with what its world holds, or the problems (exit 1)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from click.testing import Result

from portal.demo.cli import register
from tests.scenarios.conftest import GOOD


def check(scenario_dir: Path | None) -> Result:
    app = Flask("portal_demo_check_test")
    app.config.update(ENV_NAME="test", TESTING=True, SCENARIO_DIR=str(scenario_dir) if scenario_dir else None)
    register(app)
    return app.test_cli_runner().invoke(args=["demo", "check"])


def test_the_shipped_files() -> None:
    result = check(None)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == [
        "beginnen", "berichtenbox", "lopende-zaken", "machtigen", "instellingen", "demo"]
    assert lines[0] == (
        "beginnen (beginnen.toml): Beginnen. Learner: joke. 1 persons, 1 practice logins, "
        "13 organisations, 1 accounts, 5 subscriptions, 4 letters (1 unread, 0 archived), "
        "6 attachments, 0 cases, 0 mandates, 0 help-desk staff.")
    assert lines[-1] == "All 6 scenarios are correct."


def test_a_good_trainer_file_is_listed(tmp_path: Path) -> None:
    (tmp_path / "mijn-les.toml").write_text(GOOD)
    result = check(tmp_path)
    assert result.exit_code == 0, result.output
    assert "mijn-les (mijn-les.toml): Mijn les. Learner: joke. 1 persons," in result.output
    assert result.output.splitlines()[-1] == "All 7 scenarios are correct."


def test_a_bad_trainer_file_gives_its_problems_and_exit_code_1(tmp_path: Path) -> None:
    (tmp_path / "mijn-les.toml").write_text(GOOD.replace('template = "ib_aanslag"', 'template = "xyz"'))
    result = check(tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        "1 problem(s):\n  mijn-les.toml: letters.joke[0].template: unknown letter template 'xyz'\n")
    assert "beginnen (beginnen.toml)" in result.stdout  # the good ones are still listed
    assert "correct" not in result.stdout


def test_a_letter_the_rules_refuse_is_found_by_building_it(tmp_path: Path) -> None:
    too_long = "Een onderwerp dat veel langer is dan vijftig tekens en dus niet past"
    text = GOOD.replace(
        '{ template = "ib_aanslag", days_ago = 1, read = false },',
        '{ days_ago = 1, letter = { organisation = "belastingdienst", subject = "' + too_long
        + '", reference_prefix = "X", body = "Beste {name}," } },',
    )
    (tmp_path / "mijn-les.toml").write_text(text)
    result = check(tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        "1 problem(s):\n  mijn-les.toml: letters.joke[0]: letter 'joke-1' subject breaks a rule: "
        "subject_too_long (see docs/limits.md)\n")
