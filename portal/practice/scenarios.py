"""The lessons a learner can start a sandbox with, and building their worlds: a thin seam
between the sandboxes and the scenario files (portal/scenarios, docs/scenarios.md).

The lessons are the scenario files in course order, the trainer's own after them, and last
the whole demo world (every practice person).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.demo.seed import SeedSummary, build_world
from portal.scenarios import DEMO, Scenario, lesson_scenarios, scenario
from portal.scenarios.model import LessonStep

Step = LessonStep


@dataclass(frozen=True)
class Lesson:
    """A scenario as a lesson: its title, who takes part (the learner first), its steps."""

    scenario: Scenario

    @property
    def key(self) -> str:
        return self.scenario.key

    def title(self, language: str) -> str:
        return self.scenario.title_in(language)

    @property
    def people(self) -> tuple[str, ...]:
        learner = self.scenario.learner
        return (learner, *(name for name in self.scenario.usernames if name != learner))

    @property
    def steps(self) -> tuple[LessonStep, ...]:
        return self.scenario.steps


def lessons() -> tuple[Lesson, ...]:
    return (*(Lesson(found) for found in lesson_scenarios()), Lesson(scenario(DEMO)))


def lesson(key: str) -> Lesson | None:
    try:
        return Lesson(scenario(key))
    except KeyError:
        return None


def people(key: str) -> tuple[str, ...]:
    found = lesson(key)
    if found is None:
        raise KeyError(key)
    return found.people


def build(
    session: Session,
    key: str,
    today: date,
    now: datetime,
    *,
    bsn_for: Callable[[str], str],
    sandbox_id: int,
    reference_suffix: str,
) -> SeedSummary:
    return build_world(session, scenario(key), today, now, bsn_for=bsn_for, sandbox_id=sandbox_id,
                       reference_suffix=reference_suffix)
