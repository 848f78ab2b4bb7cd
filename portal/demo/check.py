"""``flask demo check``: read every scenario file and build each world once, in a throwaway
in-memory database, so a trainer learns about a letter the rules refuse before the lesson."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from portal.scenarios import Scenario, ScenarioError, check_scenarios, in_course_order


@dataclass(frozen=True)
class CheckedScenario:
    scenario: Scenario
    summary: str  # what its world holds (SeedSummary.describe)


def check_all(extra_dir: Path | str | None, today: date, now: datetime) -> tuple[list[CheckedScenario], list[str]]:
    """Every scenario that reads and builds, and every problem (file: field: what)."""
    result = check_scenarios(extra_dir)
    problems = list(result.problems)
    good = []
    for scenario in in_course_order(result.scenarios.values()):
        try:
            good.append(CheckedScenario(scenario, build_in_memory(scenario, today, now)))
        except ScenarioError as error:
            problems.extend(error.problems)
    return good, problems


def build_in_memory(scenario: Scenario, today: date, now: datetime) -> str:
    """Build ``scenario`` in a fresh in-memory SQLite database; its summary. Nothing is kept."""
    import portal.models  # noqa: F401  (every table in the metadata)
    from portal.db import Base, make_engine
    from portal.demo.seed import build_world

    engine = make_engine("sqlite://")
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            summary = build_world(session, scenario, today, now)
            session.rollback()
        return summary.describe()
    finally:
        engine.dispose()
