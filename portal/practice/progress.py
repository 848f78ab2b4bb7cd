"""How far each learner got in their lesson, for the trainer's console (issue 10, item 4).

A step is done the first time the learner's request to its endpoint succeeds (2xx or a
redirect): noted after the request, in practice mode only, for the endpoints of the lesson
of this browser's sandbox. One cheap check per request; a write only the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.config import is_practice
from portal.db import get_session
from portal.models import PracticeSandbox, PracticeStep
from portal.practice import browser, scenarios
from portal.timeutil import utcnow


@dataclass(frozen=True)
class Progress:
    done: int  # steps done, in the lesson's order or not
    total: int
    last: scenarios.Step | None  # the furthest step done in the lesson's order


def note(response: Response) -> Response:
    """After a request: note the lesson's step it completed (after_request hook)."""
    if not is_practice(current_app.config) or response.status_code >= 400 or request.endpoint is None:
        return response
    if request.endpoint not in _step_pages():
        return response  # most requests (and every static file): no lookup at all
    sandbox = browser.current_sandbox()
    if sandbox is None:
        return response
    lesson = scenarios.lesson(sandbox.scenario)
    if lesson is None or request.endpoint not in {step.endpoint for step in lesson.steps}:
        return response
    record(get_session(), sandbox, request.endpoint, utcnow())
    return response


def _step_pages() -> frozenset[str]:
    """Every page that is a step of some lesson."""
    return frozenset(step.endpoint for lesson in scenarios.lessons() for step in lesson.steps)


def record(session: Session, sandbox: PracticeSandbox, endpoint: str, now: datetime) -> None:
    """Note a step once (the first time counts). Committed."""
    if session.scalar(select(PracticeStep.id).where(PracticeStep.sandbox_id == sandbox.id,
                                                    PracticeStep.step == endpoint)) is not None:
        return
    session.add(PracticeStep(sandbox_id=sandbox.id, step=endpoint, at=now))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # two tabs did it at once: noted already


def of(session: Session, sandboxes: list[PracticeSandbox]) -> dict[int, Progress]:
    """Each sandbox's progress in its lesson, in one query."""
    ids = [sandbox.id for sandbox in sandboxes]
    done: dict[int, set[str]] = {sandbox_id: set() for sandbox_id in ids}
    for sandbox_id, step in session.execute(
        select(PracticeStep.sandbox_id, PracticeStep.step).where(PracticeStep.sandbox_id.in_(ids))
    ):
        done[sandbox_id].add(step)
    result = {}
    for sandbox in sandboxes:
        lesson = scenarios.lesson(sandbox.scenario)
        steps = lesson.steps if lesson is not None else ()
        finished = [step for step in steps if step.endpoint in done[sandbox.id]]
        result[sandbox.id] = Progress(done=len(finished), total=len(steps),
                                      last=finished[-1] if finished else None)
    return result
