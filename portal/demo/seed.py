"""Filling an empty database with demo data, emptying it again, and bulk letters for benchmarks.

Every demo letter goes through ``place_letter`` and every account through ``account_for_bsn``,
so the demo obeys the same rules (R1–R4) as real use.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert, inspect, select
from sqlalchemy.orm import Session

from portal.db import Base
from portal.demo.cases import add_cases
from portal.demo.letters import draft_for
from portal.demo.organisations import add_organisations
from portal.domain import legal, visits
from portal.domain.accounts import account_for_bsn
from portal.domain.letters import LetterError, place_letter
from portal.models import Account, HelpDeskStaff, Letter, Mandate, Organisation, Person, Subscription
from portal.scenarios import DEMO, Scenario, ScenarioError, load_scenarios
from portal.scenarios.model import PracticePerson

# Accounts look as if they were made a while ago, before the oldest demo letter.
ACCOUNT_AGE_DAYS = 400
# A letter is opened this long after it arrived (never later than "now").
READ_AFTER = timedelta(hours=5)

# What a reset empties, children before parents. Tables that other modules add with a
# foreign key to one of these are found and emptied first (see ``_tables_to_empty``).
DEMO_TABLES = (
    # No foreign keys (it outlives mandates), so named here: a reset must not leave entries
    # that point at account ids a new seed may reuse.
    "audit_entry",
    "help_desk_staff",
    "mandate",
    "practice_authorization_code",
    "practice_login",
    "login_session",
    "case_letter",
    "case_status_change",
    "case_step",
    "cases",
    "attachment",
    "letter",
    "subscription",
    "account",
    "person",
    "organisation",
)

BENCHMARK_CHUNK_SIZE = 2000


class DemoDataExists(RuntimeError):
    """Seeding was asked for a database that already has persons in it."""


@dataclass(frozen=True)
class SeedSummary:
    persons: int
    practice_logins: int
    organisations: int
    accounts: int
    subscriptions: int
    letters: int
    unread_letters: int
    archived_letters: int
    attachments: int
    cases: int = 0
    mandates: int = 0
    help_desk_staff: int = 0

    def describe(self) -> str:
        """A one-line summary for people (no BSNs, no names)."""
        return (
            f"{self.persons} persons, {self.practice_logins} practice logins, "
            f"{self.organisations} organisations, {self.accounts} accounts, "
            f"{self.subscriptions} subscriptions, {self.letters} letters "
            f"({self.unread_letters} unread, {self.archived_letters} archived), "
            f"{self.attachments} attachments, {self.cases} cases, "
            f"{self.mandates} mandates, {self.help_desk_staff} help-desk staff"
        )


def database_is_empty(session: Session) -> bool:
    """True when there is no person in the register: the only state ``seed_demo`` accepts."""
    return session.scalar(select(Person.id).limit(1)) is None


def seed_demo(session: Session, today: date, now: datetime, *, commit: bool = True) -> SeedSummary:
    """Add the practice persons, logins, organisations, accounts, subscriptions, letters, cases.

    All in one transaction: committed at the end (unless ``commit`` is False), rolled back
    if anything fails. Raises DemoDataExists when the database is not empty.
    """
    if not database_is_empty(session):
        raise DemoDataExists("The database already has persons; reset it first.")
    try:
        # The shipped demo only: a trainer's folder (PORTAL_SCENARIO_DIR) cannot change it.
        summary = build_world(session, load_scenarios()[DEMO], today, now)
        if commit:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return summary


def build_world(
    session: Session,
    scenario: Scenario,
    today: date,
    now: datetime,
    *,
    bsn_for: Callable[[str], str] | None = None,
    sandbox_id: int | None = None,
    reference_suffix: str = "",
) -> SeedSummary:
    """Add the world of ``scenario``: its persons, their logins, accounts, subscriptions,
    letters, cases, mandates and help-desk registrations (organisations are shared and
    added when missing).

    ``sandbox_id`` None is the shared demo world with the persons' own BSNs; a sandbox's
    persons get theirs from ``bsn_for(username)``, and ``reference_suffix`` after their case
    references (an organisation's are unique). Flushes; the caller commits. A letter or
    case the domain rules refuse raises ScenarioError naming the file and the field.
    """
    from portal.practice_digid.logins import create_practice_login

    chosen = scenario.personas
    bsn = {p.username: (bsn_for(p.username) if bsn_for else p.bsn) for p in chosen}
    persons = [_person(p, today, bsn[p.username], sandbox_id) for p in chosen if p.in_register]
    session.add_all(persons)
    session.flush()
    logins = [create_practice_login(session, p, bsn=bsn[p.username], sandbox_id=sandbox_id, now=now) for p in chosen]
    organisations = add_organisations(session, scenario.organisations)
    accounts = _accounts(session, chosen, bsn, sandbox_id, today, now)
    subscriptions = _subscriptions(session, scenario, accounts, organisations)
    letters = _letters(session, scenario, accounts, organisations, today, now)
    try:
        cases = add_cases(session, accounts, organisations, today, now,
                          cases=scenario.cases, templates=scenario.templates, reference_suffix=reference_suffix)
    except ValueError as error:
        raise ScenarioError([f"{scenario.source}: cases: {error}"]) from error
    mandates = _legal_representatives(session, scenario, accounts, today, now)
    staff = _help_desk_staff(session, scenario, accounts, now)
    session.flush()
    return SeedSummary(
        persons=len(persons),
        practice_logins=len(logins),
        organisations=len(organisations),
        accounts=len(accounts),
        subscriptions=subscriptions,
        letters=len(letters),
        unread_letters=sum(1 for letter in letters if letter.first_opened_at is None),
        archived_letters=sum(1 for letter in letters if letter.archived),
        attachments=sum(len(letter.attachments) for letter in letters),
        cases=len(cases),
        mandates=len(mandates),
        help_desk_staff=len(staff),
    )


def reset_demo(session: Session, *, commit: bool = True) -> dict[str, int]:
    """Delete every demo row (letters, accounts, persons, organisations, practice logins …).

    Returns the number of rows deleted per table. Committed unless ``commit`` is False.
    """
    present = set(inspect(session.connection()).get_table_names())
    deleted: dict[str, int] = {}
    try:
        for table in _tables_to_empty(present):
            # On the connection, not through the ORM: a demo reset is the one place that may
            # empty the append-only audit log (portal/domain/audit.py guards the ORM path).
            result = session.connection().execute(table.delete())
            deleted[table.name] = result.rowcount or 0  # type: ignore[attr-defined]
        # The rows are gone: objects the session still holds for them must go too.
        session.expunge_all()
        if commit:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return deleted


def add_letters_for_benchmark(
    session: Session,
    account_id: int,
    organisation_ids: Sequence[int],
    count: int,
    now: datetime,
    *,
    chunk_size: int = BENCHMARK_CHUNK_SIZE,
) -> int:
    """Bulk-insert ``count`` plain letters (no attachments) into one box; returns ``count``.

    Letter ``i`` is placed ``i`` minutes before ``now`` (newest first), from the organisations
    in turn; every fourth is unread and every tenth archived. Bypasses ``place_letter`` for
    speed, so only for measurements and tests. The caller commits.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if not organisation_ids:
        raise ValueError("organisation_ids must not be empty")
    for start in range(0, count, chunk_size):
        rows = [
            _benchmark_row(i, account_id, organisation_ids, now)
            for i in range(start, min(start + chunk_size, count))
        ]
        # The ORM leaves out None values and batches runs of rows with the same columns:
        # group the unread rows together so a chunk takes two statements, not thousands.
        rows.sort(key=lambda row: row["first_opened_at"] is None)
        session.execute(insert(Letter), rows)
    return count


def _benchmark_row(
    i: int, account_id: int, organisation_ids: Sequence[int], now: datetime
) -> dict[str, Any]:
    placed_at = now - timedelta(minutes=i)
    number = i + 1
    return {
        "id": uuid.uuid4(),
        "account_id": account_id,
        "organisation_id": organisation_ids[i % len(organisation_ids)],
        "subject": f"Testbericht {number}",
        "body": f"Dit is testbericht {number}. Het is gemaakt voor een meting.",
        "reference": f"TEST-{number:07d}",
        "sent_at": placed_at,
        "placed_at": placed_at,
        "first_opened_at": None if i % 4 == 0 else placed_at + timedelta(seconds=30),
        "archived": i % 10 == 9,
        "act_by": None,
        "action": None,
        "sender_url": None,
    }


def _person(practice: PracticePerson, today: date, bsn: str, sandbox_id: int | None) -> Person:
    return Person(
        bsn=bsn,
        sandbox_id=sandbox_id,
        given_names=practice.given_names,
        surname_prefix=practice.surname_prefix,
        surname=practice.surname,
        birth_date=practice.birth_date(today),
        street=practice.street,
        house_number=practice.house_number,
        postcode=practice.postcode,
        city=practice.city,
        residence_country=practice.residence_country,
        nationality=practice.nationality,
    )


def _accounts(
    session: Session,
    chosen: Sequence[PracticePerson],
    bsn: dict[str, str],
    sandbox_id: int | None,
    today: date,
    now: datetime,
) -> dict[str, Account]:
    """Accounts of everyone who meets R1, by username; the others get none."""
    accounts: dict[str, Account] = {}
    for practice in chosen:
        outcome = account_for_bsn(session, bsn[practice.username], today, world=sandbox_id)
        if outcome.account is not None:
            outcome.account.created_at = now - timedelta(days=ACCOUNT_AGE_DAYS)
            accounts[practice.username] = outcome.account
    return accounts


def _subscriptions(
    session: Session, scenario: Scenario, accounts: dict[str, Account], organisations: dict[str, Organisation]
) -> int:
    count = 0
    for username, keys in scenario.subscriptions.items():
        account = accounts[username]  # the loader checked that each of them has one
        for key in keys:
            session.add(
                Subscription(
                    account_id=account.id,
                    organisation_id=organisations[key].id,
                    created_at=account.created_at,
                )
            )
            count += 1
    return count


def _letters(
    session: Session,
    scenario: Scenario,
    accounts: dict[str, Account],
    organisations: dict[str, Organisation],
    today: date,
    now: datetime,
) -> list[Letter]:
    letters: list[Letter] = []
    senders = scenario.organisations_by_key
    for username, deliveries in scenario.mailboxes.items():
        account = accounts[username]
        practice = scenario.persona(username)
        box: list[Letter] = []
        for index, delivery in enumerate(deliveries):
            template = scenario.templates[delivery.template]
            # R2: an organisation only sends to a box that is subscribed to it.
            if template.organisation not in scenario.subscriptions.get(username, ()):
                raise ValueError(f"{username!r} is not subscribed to {template.organisation!r}.")
            placed_at = now - timedelta(days=delivery.days_ago, hours=2)
            try:
                draft = draft_for(
                    template, senders[template.organisation], practice,
                    today - timedelta(days=delivery.days_ago),
                )
                letter = place_letter(
                    session,
                    account_id=account.id,
                    organisation_id=organisations[template.organisation].id,
                    draft=draft,
                    placed_at=placed_at,
                )
            except ValueError as error:  # a rule of the letter domain, or a PDF character
                field = f" {error.field}" if isinstance(error, LetterError) else ""
                raise ScenarioError([
                    f"{scenario.source}: letters.{username}[{index}]: letter {template.key!r}{field} "
                    f"breaks a rule: {error} (see docs/limits.md)"
                ]) from error
            if delivery.read:
                letter.first_opened_at = min(placed_at + READ_AFTER, now)
            letter.archived = delivery.archived
            box.append(letter)
        opened = [letter.first_opened_at for letter in box if letter.first_opened_at is not None]
        account.last_login_at = max(opened) if opened else None
        letters.extend(box)
    return letters


def _legal_representatives(
    session: Session, scenario: Scenario, accounts: dict[str, Account], today: date, now: datetime
) -> list[Mandate]:
    """Court decisions (bewindvoerder, curator, mentor): registered, no approval needed."""
    made = []
    for client, decision in scenario.legal_representations:
        decided = legal.Decision(
            role=decision.role,
            court_reference=decision.court_reference,
            decision_date=today - timedelta(days=decision.decided_days_ago),
            until=today + timedelta(days=decision.until_days_ahead) if decision.until_days_ahead else None,
        )
        made.append(
            legal.register(
                session,
                client=accounts[client],
                representative=accounts[decision.representative],
                decision=decided,
                now=now - timedelta(days=decision.decided_days_ago),
            )
        )
    return made


def _help_desk_staff(
    session: Session, scenario: Scenario, accounts: dict[str, Account], now: datetime
) -> list[HelpDeskStaff]:
    return [
        visits.register_staff(session, accounts[username], desk, now - timedelta(days=ACCOUNT_AGE_DAYS))
        for username, desk in scenario.help_desk_staff.items()
    ]


def _tables_to_empty(present: set[str]) -> list[Table]:
    """The demo tables plus every table that (indirectly) points at one, children first."""
    import portal.models  # noqa: F401  (every model table is in the metadata)

    chosen = set(DEMO_TABLES)
    tables = Base.metadata.sorted_tables
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table.name in chosen:
                continue
            targets = {fk.target_fullname.rsplit(".", 1)[0].split(".")[-1]
                       for fk in table.foreign_keys}
            if targets & chosen:
                chosen.add(table.name)
                changed = True
    return [t for t in reversed(tables) if t.name in chosen and t.name in present]
