"""Demo cases (Lopende Zaken), made through the same domain functions the organisation API uses.

Joke has two running cases and one closed: her huurtoeslag application changed two days ago
and asks her to send something (the case a course or a usability script starts from); her
traplift application has not changed since she last looked; her closed zorgtoeslag
application links to the letter with the decision. A few other people have one case each.
The data is in ``portal/scenarios/files/demo.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.letters import TEMPLATES
from portal.domain.cases import close_case, link_letter, open_case, post_status
from portal.models import Account, Case, Letter, Organisation
from portal.scenarios import DEMO, load_scenarios
from portal.scenarios.model import DemoCase, DemoStatus, LetterTemplate

__all__ = ["CASES", "DemoCase", "DemoStatus", "add_cases"]

CASES: tuple[DemoCase, ...] = load_scenarios()[DEMO].cases
"""Every demo case, in the order they are made."""


def add_cases(
    session: Session,
    accounts: dict[str, Account],
    organisations: dict[str, Organisation],
    today: date,
    now: datetime,
    *,
    cases: Sequence[DemoCase] = CASES,
    templates: Mapping[str, LetterTemplate] = TEMPLATES,
    reference_suffix: str = "",
) -> list[Case]:
    """Open, update, close and link ``cases`` (the demo's by default). The caller commits.

    An organisation's case references are unique: each practice sandbox adds its own
    ``reference_suffix`` to them."""
    made = []
    for spec in cases:
        if spec.username not in accounts:
            continue  # not in this world
        account = accounts[spec.username]
        organisation = organisations[spec.organisation]
        case = open_case(
            session,
            account_id=account.id,
            organisation_id=organisation.id,
            title=spec.title,
            reference=spec.reference + reference_suffix,
            steps=list(spec.steps),
            opened_at=now - timedelta(days=spec.opened_days_ago),
        )
        for status in spec.statuses:
            post_status(
                session,
                case,
                step=status.step,
                text=status.text,
                action=status.action,
                act_by=(today + timedelta(days=status.act_within_days)
                        if status.act_within_days is not None else None),
                at=now - timedelta(days=status.days_ago),
                if_not_done=status.if_not_done,
            )
        if spec.closed is not None:
            close_case(session, case, text=spec.closed.text,
                       at=now - timedelta(days=spec.closed.days_ago))
        if spec.letter is not None:
            link_letter(session, case, _letter(session, account, organisation, templates[spec.letter]))
        if spec.seen_days_ago is not None:
            case.seen_at = now - timedelta(days=spec.seen_days_ago)
        made.append(case)
    session.flush()
    return made


def _letter(
    session: Session, account: Account, organisation: Organisation, template: LetterTemplate
) -> Letter:
    prefix = template.reference_prefix + "-"
    # Ids and references only: loading letters here would also load their senders, and a
    # reset in the same session would then find those stale organisations still in memory.
    rows = session.execute(
        select(Letter.id, Letter.reference)
        .where(Letter.account_id == account.id, Letter.organisation_id == organisation.id)
        .order_by(Letter.placed_at.desc())
    )
    for letter_id, reference in rows:
        if reference.startswith(prefix):
            letter = session.get(Letter, letter_id)
            assert letter is not None
            return letter
    raise ValueError(f"No {template.key!r} letter in the demo box to link to a case.")
