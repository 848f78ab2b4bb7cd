"""A trainer's own folder (PORTAL_SCENARIO_DIR) adds scenarios, with their own personas and
letters, without writing Python."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.config import load_config
from portal.demo.seed import build_world
from portal.models import Account, Letter, Person
from portal.scenarios import lesson_scenarios, load_scenarios, scenario
from tests.scenarios.conftest import GOOD
from tests.scenarios.test_bad_files import PERSONA, TEMPLATE

OWN = GOOD.replace('people = ["joke"]', 'people = ["joke", "ria"]') + PERSONA + TEMPLATE + """
[[letters.ria]]
template = "bibliotheek"
days_ago = 0
read = false

[[letters.ria]]
days_ago = 3
letter = { organisation = "gemeente_utrecht", subject = "Uw nieuwe pas", reference_prefix = "PAS", body = "Beste {name},\\n\\nUw pas is klaar." }
"""
OWN = OWN.replace('joke = ["belastingdienst"]', 'joke = ["belastingdienst"]\nria = ["gemeente_utrecht"]')


def test_a_trainer_folder_adds_a_scenario(trainer_dir: Path) -> None:
    (trainer_dir / "mijn-les.toml").write_text(GOOD)
    found = load_scenarios(trainer_dir)
    assert set(found) == {"beginnen", "berichtenbox", "lopende-zaken", "machtigen", "instellingen", "demo",
                          "mijn-les"}
    assert found["mijn-les"].title_in("en") == "Mijn les"  # no English: Dutch
    assert [s.key for s in lesson_scenarios(extra_dir=trainer_dir)][-2:] == ["instellingen", "mijn-les"]
    assert "mijn-les" not in load_scenarios()


def test_own_personas_and_letters(trainer_dir: Path, db: Session, now: datetime) -> None:
    (trainer_dir / "mijn-les.toml").write_text(OWN)
    own = scenario("mijn-les", extra_dir=trainer_dir)
    assert own.usernames == ("joke", "ria")
    summary = build_world(db, own, now.date(), now)
    db.commit()
    assert summary.persons == 2 and summary.letters == 3
    ria = db.scalar(select(Account).join(Person).where(Person.bsn == "999900146"))
    subjects = list(db.scalars(select(Letter.subject).where(Letter.account_id == ria.id)
                               .order_by(Letter.placed_at.desc())))
    assert subjects == ["Welkom in de les", "Uw nieuwe pas"]
    body = db.scalar(select(Letter.body).where(Letter.account_id == ria.id, Letter.subject == "Uw nieuwe pas"))
    assert body == "Beste Ria Kok,\n\nUw pas is klaar."


def test_a_changed_file_is_read_again(trainer_dir: Path) -> None:
    path = trainer_dir / "mijn-les.toml"
    path.write_text(GOOD)
    assert load_scenarios(trainer_dir)["mijn-les"].title_in("nl") == "Mijn les"
    path.write_text(GOOD.replace("Mijn les", "Mijn tweede les"))
    os.utime(path, ns=(1, 1))  # another stamp, however fast the test
    assert load_scenarios(trainer_dir)["mijn-les"].title_in("nl") == "Mijn tweede les"


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PORTAL_SCENARIO_DIR", raising=False)
    assert load_config(str(tmp_path), "development")["SCENARIO_DIR"] is None
    monkeypatch.setenv("PORTAL_SCENARIO_DIR", "/srv/lessen")
    assert load_config(str(tmp_path), "development")["SCENARIO_DIR"] == "/srv/lessen"


def test_in_the_app_scenario_reads_the_configured_folder(trainer_dir: Path) -> None:
    (trainer_dir / "mijn-les.toml").write_text(GOOD)
    app = Flask("scenario_test")
    app.config["SCENARIO_DIR"] = str(trainer_dir)
    with app.app_context():
        assert scenario("mijn-les").learner == "joke"
        assert lesson_scenarios()[-1].key == "mijn-les"
    with pytest.raises(KeyError):
        scenario("mijn-les")
