"""Classes: a trainer's lesson that learners join with a short code (issue 10, item 4).

The trainer gets a trainer code once, at the start: with it they come back to the console
from any browser. Only its SHA-256 is kept. Learners give a nickname, never a name.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.models import PracticeClass, PracticeSandbox
from portal.practice import sandboxes
from portal.timeutil import as_utc

# Letters and digits that cannot be mixed up when read aloud or copied from a board:
# no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CLASS_CODE_LENGTH = 6
TRAINER_CODE_LENGTH = 12
TRAINER_CODE_GROUP = 4  # shown as three groups of four
# How long a class lasts, in whole hours, as the trainer chooses (a lesson is about 2 hours).
CLASS_HOURS = (1, 2, 3, 4)
# Learners in one class (a Digisterker group is 8 to 15).
MAX_LEARNERS = 40
NICKNAME_MAX_LENGTH = 30
_ATTEMPTS = 5


class ClassFull(RuntimeError):
    """MAX_LEARNERS have joined already."""


@dataclass(frozen=True)
class NewClass:
    practice_class: PracticeClass
    trainer_code: str  # shown once; only its hash is kept


def normal_code(typed: str) -> str:
    """A code as typed, without spaces, dashes and case (``ab-c 123`` is ``ABC123``)."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def show_trainer_code(code: str) -> str:
    return "-".join(code[i:i + TRAINER_CODE_GROUP] for i in range(0, len(code), TRAINER_CODE_GROUP))


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def create(session: Session, scenario: str, hours: int, now: datetime) -> NewClass:
    """A new class of ``scenario`` that ends ``hours`` from now. Committed."""
    if hours not in CLASS_HOURS:
        raise ValueError(f"a class lasts one of {CLASS_HOURS} hours")
    for _attempt in range(_ATTEMPTS):
        trainer_code = _random_code(TRAINER_CODE_LENGTH)
        made = PracticeClass(code=_random_code(CLASS_CODE_LENGTH),
                             trainer_code_hash=sandboxes.token_hash(trainer_code), scenario=scenario,
                             created_at=now, ends_at=now + timedelta(hours=hours))
        session.add(made)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # the code was taken by a class still alive: draw again
            continue
        return NewClass(made, trainer_code)
    raise RuntimeError("no free class code after several attempts")


def is_open(practice_class: PracticeClass, now: datetime) -> bool:
    return now < as_utc(practice_class.ends_at)


def by_code(session: Session, typed: str, now: datetime) -> PracticeClass | None:
    """The class learners may join with this code now, or None."""
    found = session.scalar(select(PracticeClass).where(PracticeClass.code == normal_code(typed)))
    return found if found is not None and is_open(found, now) else None


def by_trainer_code(session: Session, typed: str) -> PracticeClass | None:
    """The class of this trainer code (also after it ended, until it is purged), or None."""
    code = normal_code(typed)
    if len(code) != TRAINER_CODE_LENGTH:
        return None
    return session.scalar(select(PracticeClass).where(PracticeClass.trainer_code_hash == sandboxes.token_hash(code)))


def join(session: Session, practice_class: PracticeClass, nickname: str, today: date, now: datetime
         ) -> sandboxes.NewSandbox:
    """A sandbox of the class's lesson for a learner called ``nickname``. Raises ClassFull."""
    joined = session.scalar(select(func.count()).select_from(PracticeSandbox)
                            .where(PracticeSandbox.class_id == practice_class.id)) or 0
    if joined >= MAX_LEARNERS:
        raise ClassFull(f"{MAX_LEARNERS} learners joined already")
    return sandboxes.create(session, practice_class.scenario, today, now,
                            class_id=practice_class.id, nickname=nickname)


def learners(session: Session, practice_class: PracticeClass) -> list[PracticeSandbox]:
    """The sandboxes of the class, in the order the learners joined."""
    return list(session.scalars(select(PracticeSandbox).where(PracticeSandbox.class_id == practice_class.id)
                                .order_by(PracticeSandbox.created_at, PracticeSandbox.id)))


def learner(session: Session, practice_class: PracticeClass, sandbox_id: int) -> PracticeSandbox | None:
    """One learner of this class (never a sandbox of another class)."""
    return session.scalar(select(PracticeSandbox).where(PracticeSandbox.id == sandbox_id,
                                                        PracticeSandbox.class_id == practice_class.id))


def purge_ended(session: Session, now: datetime) -> int:
    """Classes that ended ``sandboxes.IDLE_HOURS`` ago or more go (their sandboxes expire on
    their own). Committed; returns how many."""
    result = session.execute(delete(PracticeClass).where(PracticeClass.ends_at <= now - sandboxes.IDLE_LIMIT))
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
