"""Small fixtures for the case rules: two boxes, two organisations and a way to open a case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.domain.cases import open_case
from portal.models import Account, Case, Organisation, OrganisationKind, Person

STEPS = ["Aanvraag ontvangen", "Gegevens controleren", "Besluit"]


def _account(db: Session, bsn: str, name: str) -> Account:
    person = Person(bsn=bsn, given_names=name, surname="Test", birth_date=date(1960, 1, 1),
                    residence_country="NL", nationality="NL")
    db.add(person)
    db.flush()
    account = Account(person_id=person.id)
    db.add(account)
    db.flush()
    return account


def _organisation(db: Session, oin: str, name: str) -> Organisation:
    organisation = Organisation(oin=oin, name=name, kind=OrganisationKind.CENTRAL_GOVERNMENT)
    db.add(organisation)
    db.flush()
    return organisation


@pytest.fixture
def box(db: Session) -> Account:
    return _account(db, "999900006", "Joke")


@pytest.fixture
def other_box(db: Session) -> Account:
    return _account(db, "999900018", "Sanne")


@pytest.fixture
def organisation(db: Session) -> Organisation:
    return _organisation(db, "00000009900000000102", "Dienst Toeslagen")


@pytest.fixture
def other_organisation(db: Session) -> Organisation:
    return _organisation(db, "00000009900000000103", "UWV")


@pytest.fixture
def start(now: datetime) -> datetime:
    """When the cases of a test were opened: a while ago, so changes can follow in order."""
    return now - timedelta(days=30)


@pytest.fixture
def new_case(db: Session, box: Account, organisation: Organisation,
             start: datetime) -> Callable[..., Case]:
    counter = iter(range(1, 1000))

    def make(**overrides: Any) -> Case:
        values: dict[str, Any] = {
            "account_id": box.id,
            "organisation_id": organisation.id,
            "title": "Aanvraag huurtoeslag",
            "reference": f"HT-{next(counter):04d}",
            "steps": STEPS,
            "opened_at": start,
        }
        values.update(overrides)
        return open_case(db, **values)

    return make
