"""Lesson cards (issue 10, item 5): per lesson, printable steps with a screenshot of the real
page in each language. ``scripts/lesson-cards`` takes the screenshots from the live portal
in practice mode and writes, next to them, the heading each page had; a test fails when a
page's heading no longer matches its card (tests/practice/test_lesson_cards.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, Letter
from portal.practice import scenarios
from portal.practice.sandboxes import account_of_person
from portal.scenarios.model import LessonCard

# Where the screenshots and what they show are kept: static/lesson-cards/<lesson>/.
CARDS_DIR = Path(__file__).resolve().parents[1] / "static" / "lesson-cards"
INDEX_FILE = "cards.json"
# The screenshots: the top of the page's content at this size (readable on a printed card).
SHOT_WIDTH, SHOT_HEIGHT = 800, 560


def shot_name(language: str, number: int) -> str:
    return f"{language}-{number}.jpg"


def recorded(lesson_key: str) -> dict[str, list[dict[str, str]]]:
    """What the script saw: per language, per card, the page's heading and the image."""
    index = CARDS_DIR / lesson_key / INDEX_FILE
    if not index.exists():
        return {}
    return json.loads(index.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def path_of(session: Session, sandbox_id: int, lesson: scenarios.Lesson, card: LessonCard) -> str:
    """The card's page in one sandbox: {letter} and {case} are the learner's newest."""
    account = account_of_person(session, sandbox_id, lesson.people[0])
    values: dict[str, str] = {}
    if account is not None and "{letter}" in card.path:
        letter = session.scalars(select(Letter.id).where(Letter.account_id == account.id)
                                 .order_by(Letter.placed_at.desc())).first()
        values["letter"] = str(letter)
    if account is not None and "{case}" in card.path:
        case = session.scalars(select(Case.id).where(Case.account_id == account.id, Case.closed_at.is_(None))
                               .order_by(Case.opened_at.desc())).first()
        values["case"] = str(case)
    return card.path.format_map(values)
