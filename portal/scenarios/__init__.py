"""Scenarios as data (issue 10, item 3): the practice world of each lesson, in TOML files.

``scenario(key)`` and ``lesson_scenarios()`` read the shipped files and the trainer's folder
(``PORTAL_SCENARIO_DIR``, when the app has one); ``load_scenarios`` reads given folders.
``portal.demo.seed.build_world`` builds a scenario's world. See docs/scenarios.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from portal.scenarios.loader import (
    DEMO,
    LESSONS,
    SHIPPED_DIR,
    CheckResult,
    ScenarioError,
    check_scenarios,
    load_scenarios,
)
from portal.scenarios.model import Scenario

__all__ = [
    "DEMO", "LESSONS", "SHIPPED_DIR", "CheckResult", "Scenario", "ScenarioError",
    "check_scenarios", "configured_dir", "in_course_order", "lesson_scenarios", "load_scenarios", "scenario",
]


def configured_dir() -> Path | None:
    """The trainer's folder of the running app (``PORTAL_SCENARIO_DIR``), or None."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    value = current_app.config.get("SCENARIO_DIR")
    return Path(value) if value else None


def scenario(key: str, *, extra_dir: Path | str | None = None) -> Scenario:
    """The scenario ``key``; KeyError when there is none. Raises ScenarioError for bad files."""
    return load_scenarios(extra_dir if extra_dir is not None else configured_dir())[key]


def lesson_scenarios(*, extra_dir: Path | str | None = None) -> list[Scenario]:
    """The lessons: the shipped ones in course order, then the trainer's own by key; no demo."""
    found = load_scenarios(extra_dir if extra_dir is not None else configured_dir())
    return [s for s in in_course_order(found.values()) if s.key != DEMO]


def in_course_order(scenarios: Iterable[Scenario]) -> list[Scenario]:
    """The shipped lessons in course order, then the trainer's own by key, the demo last."""
    def place(s: Scenario) -> tuple[int, str]:
        if s.key in LESSONS:
            return LESSONS.index(s.key), ""
        return (len(LESSONS) + 1, "") if s.key == DEMO else (len(LESSONS), s.key)

    return sorted(scenarios, key=place)
