"""The usage report counts letters, checks and cases per organisation per month (R9)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.orm import Session

from portal.domain.usage import monthly_usage
from portal.models import Delivery, SubscriptionCheck
from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter


def test_usage_counts_this_months_deliveries_and_checks(
    app: Flask, belastingdienst: ApiCaller, db: Session
) -> None:
    for i in range(3):
        assert belastingdienst.post("/letters", json=letter(reference=f"U-{i}")).status_code == 201
    belastingdienst.post("/letters", json=letter(reference="U-0"))  # a retry is not a new letter
    belastingdienst.post("/subscriptions/check", json={"bsns": ["999900006", "999900018"]})
    year = datetime.now(UTC).year
    rows = [r for r in monthly_usage(db, year) if r.organisation == "Belastingdienst"]
    this_month = rows[-1]
    assert this_month.letters == 3
    assert this_month.subscription_checks == 1 and this_month.bsns_checked == 2
    assert this_month.charged_letters == 0


def test_usage_charges_from_the_999th_letter_of_the_year(db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert, select

    from portal.demo.seed import add_letters_for_benchmark
    from portal.models import Letter, Organisation
    from tests.support.login import account_of

    organisation = db.scalar(select(Organisation).where(Organisation.name == "RDW"))
    account = account_of(db, "joke")
    add_letters_for_benchmark(db, account.id, [organisation.id], 1000, now)
    letter_ids = list(db.scalars(select(Letter.id).where(Letter.reference.like("TEST-%"))))
    assert len(letter_ids) == 1000
    db.execute(insert(Delivery), [
        {
            "organisation_id": organisation.id, "reference": f"R{i}", "letter_id": letter_id,
            "letter_type": "aanslag", "content_sha256": "0" * 64, "signature": "x",
            "delivered_at": datetime(2025, 3 if i < 990 else 4, 15, tzinfo=UTC),
        }
        for i, letter_id in enumerate(letter_ids)
    ])
    db.add(SubscriptionCheck(organisation_id=organisation.id, at=datetime(2025, 4, 1, tzinfo=UTC), bsn_count=5))
    db.commit()
    usage = [r for r in monthly_usage(db, 2025) if r.organisation == "RDW"]
    assert [(r.month, r.letters, r.charged_letters, r.charge_cents) for r in usage] == [
        (3, 990, 0, 0),
        (4, 10, 2, 80),  # letters 999 and 1000 of the year
    ]
    assert usage[1].subscription_checks == 1 and usage[1].bsns_checked == 5
    assert monthly_usage(db, 2024) == []
