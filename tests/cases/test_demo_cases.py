"""The demo cases: what a course and the usability scripts start from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo.cases import CASES
from portal.domain import cases
from portal.models import Case, CaseLetter
from tests.support.login import account_of


def test_joke_has_a_changed_case_that_needs_action_a_quiet_one_and_a_closed_one(
    db: Session, demo
) -> None:  # type: ignore[no-untyped-def]
    box = account_of(db, "joke").id
    running = cases.running_cases(db, box)
    assert [c.title for c in running] == ["Aanvraag huurtoeslag", "Aanvraag traplift"]
    changed, quiet = running
    assert changed.is_changed and not changed.is_new
    assert changed.organisation.name == "Dienst Toeslagen"
    assert changed.act_by is not None and changed.act_by > date.today()
    assert not quiet.is_changed and quiet.act_by is None
    [closed] = cases.closed_cases(db, box)
    assert not closed.is_changed
    assert [letter.organisation_id for letter in cases.linked_letters(db, closed)] == [
        closed.organisation_id
    ]


def test_every_demo_case_is_made_and_others_have_a_few(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    assert demo.cases == len(CASES) == db.scalar(select(func.count()).select_from(Case))
    assert db.scalar(select(func.count()).select_from(CaseLetter)) == 1
    others = {spec.username for spec in CASES} - {"joke"}
    assert len(others) >= 2
