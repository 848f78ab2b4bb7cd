"""Finding or creating the account of a person at login (rule R1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain.eligibility import PersonFacts, Refusal, check_eligibility
from portal.domain.worlds import REGISTER, in_world
from portal.models import Account, Person


def account_with_bsn(session: Session, bsn: str, *, world: int | None) -> Account | None:
    """The account of the person with this BSN in ``world``, if they have one."""
    return session.scalar(
        select(Account).join(Person, Person.id == Account.person_id)
        .where(Person.bsn == bsn, in_world(Person.sandbox_id, world))
    )


@dataclass(frozen=True)
class AccountOutcome:
    account: Account | None
    refusal: Refusal | None


def facts_of(person: Person) -> PersonFacts:
    return PersonFacts(
        bsn=person.bsn,
        birth_date=person.birth_date,
        residence_country=person.residence_country,
        nationality=person.nationality,
    )


def account_for_bsn(session: Session, bsn: str, today: date, *, world: int | None = REGISTER) -> AccountOutcome:
    """The person's account, created automatically the first time R1 holds.

    R1 is checked at every login, not only the first: someone who moved abroad and gave up
    Dutch nationality is refused from then on. Only a person of ``world`` is found (the
    register, or one practice sandbox). The caller commits.
    """
    person = session.scalar(select(Person).where(Person.bsn == bsn, in_world(Person.sandbox_id, world)))
    refusal = check_eligibility(facts_of(person) if person else None, bsn, today)
    if refusal is not None or person is None:
        return AccountOutcome(None, refusal or Refusal.NOT_REGISTERED)
    account = session.scalar(select(Account).where(Account.person_id == person.id))
    if account is None:
        account = Account(person_id=person.id)
        session.add(account)
        try:
            session.flush()
        except IntegrityError:
            # Two first logins at once: the other one created it.
            session.rollback()
            account = session.scalar(select(Account).where(Account.person_id == person.id))
    return AccountOutcome(account, None)
