"""What a trainer makes happen in learners' sandboxes (issue 10, item 4), through the same
domain code as real deliveries:

- a new letter: placed with ``place_letter`` and its e-mail notice queued with
  ``notify_new_letter``, as the organisation API does;
- a case changes status: ``post_status`` and ``notify_case_change``, as the API does;
- a mandate request: another practice person of the sandbox asks the learner's person with
  ``mandates.ask``, and the activation-code letter goes out, as a helper's own request does;
- a timeout drill: the learner's next page shows the timeout warning within seconds.

A push acts on the learner's practice person (the lesson's first) in each chosen sandbox;
the console only offers sandboxes of the trainer's own class. The caller commits.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo.letters import TEMPLATES, build_draft
from portal.demo.organisations import BY_KEY
from portal.domain import mandates
from portal.domain.cases import post_status
from portal.domain.letters import MAX_REFERENCE_LENGTH, place_letter
from portal.domain.notifications import notify_case_change, notify_new_letter
from portal.domain.subscriptions import is_subscribed
from portal.models import Account, Case, Letter, Organisation, PracticeSandbox, Scope
from portal.practice import scenarios
from portal.practice.sandboxes import account_of_person

# The letters a trainer can send, in order of preference: the first whose organisation the
# learner's person is subscribed to (rule R2) is sent.
PUSH_LETTERS = ("waterschap_betalen", "apk", "woz", "zorgtoeslag")
# What the organisation writes when a case moves on (organisation text, as in the demo data).
CASE_TEXT = "Wij hebben uw zaak verder bekeken. Kijk hier wat er nu gebeurt."
# The mandate another practice person asks for: read letters and see cases, for a month.
ASKED_SCOPES = frozenset({Scope.READ_LETTERS, Scope.VIEW_CASES})
ASKED_DAYS = 30


class Push(enum.StrEnum):
    """What a trainer can make happen (the values are the form's)."""

    LETTER = "brief"
    CASE = "zaak"
    MANDATE_REQUEST = "machtiging"
    TIMEOUT = "tijd"


def send(session: Session, push: Push, sandbox: PracticeSandbox, today: date, now: datetime) -> bool:
    """Make ``push`` happen in ``sandbox``; False when its lesson has nothing for it (no
    subscribed organisation, no open case, nobody to ask)."""
    account = _learner(session, sandbox)
    if account is None:
        return False
    if push is Push.LETTER:
        return new_letter(session, account, today, now) is not None
    if push is Push.CASE:
        return case_change(session, account, now) is not None
    if push is Push.MANDATE_REQUEST:
        return mandate_request(session, sandbox, account, today, now)
    sandbox.timeout_drill = True
    return True


def _learner(session: Session, sandbox: PracticeSandbox) -> Account | None:
    lesson = scenarios.lesson(sandbox.scenario)
    if lesson is None or not lesson.people:
        return None
    return account_of_person(session, sandbox.id, lesson.people[0])


def new_letter(session: Session, account: Account, today: date, now: datetime) -> Letter | None:
    for key in PUSH_LETTERS:
        template = TEMPLATES[key]
        organisation = session.scalar(select(Organisation).where(Organisation.oin == BY_KEY[template.organisation].oin))
        if organisation is not None and is_subscribed(session, account.id, organisation.id):
            break
    else:
        return None
    draft = build_draft(key, account.person, today)
    # A second push of the same letter on the same day gets a reference of its own.
    earlier = session.scalar(select(func.count()).select_from(Letter).where(
        Letter.account_id == account.id, Letter.reference.startswith(draft.reference))) or 0
    if earlier:
        draft = dataclasses.replace(draft, reference=f"{draft.reference}-{earlier + 1}"[:MAX_REFERENCE_LENGTH])
    letter = place_letter(session, account_id=account.id, organisation_id=organisation.id, draft=draft,
                          placed_at=now)
    notify_new_letter(session, letter)
    return letter


def case_change(session: Session, account: Account, now: datetime) -> Case | None:
    """The learner's most recent open case moves one step on (or gets news on its last step)."""
    case = session.scalars(select(Case).where(Case.account_id == account.id, Case.closed_at.is_(None))
                           .order_by(Case.opened_at.desc())).first()
    if case is None:
        return None
    post_status(session, case, step=min(case.current_step + 1, case.step_count), text=CASE_TEXT,
                action=None, act_by=None, at=now)
    notify_case_change(session, case.account_id, case.organisation_id)
    return case


def mandate_request(session: Session, sandbox: PracticeSandbox, account: Account, today: date, now: datetime) -> bool:
    """The lesson's second person asks the learner's person for a mandate; the code letter
    goes to the learner's box. False without a second person, or when they asked already."""
    from portal.mandates import code_letter  # needs the app (the letter's language)

    lesson = scenarios.lesson(sandbox.scenario)
    helper = account_of_person(session, sandbox.id, lesson.people[1]) if lesson and len(lesson.people) > 1 else None
    if helper is None:
        return False
    terms = mandates.Terms(scopes=ASKED_SCOPES, organisation_ids=None, first=today,
                           last=today + timedelta(days=ASKED_DAYS))
    try:
        asked = mandates.ask(session, helper_id=helper.id, citizen_bsn=account.person.bsn,
                             citizen_surname=account.person.surname, terms=terms, now=now)
    except mandates.MandateError:
        return False
    if asked.request is None:
        return False
    code_letter.activation_code(session, asked.request, asked.code, now)
    return True
