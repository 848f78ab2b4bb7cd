"""Usage per organisation per month, and the charge for letters (rules R9, R13)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import extract, func, literal, select
from sqlalchemy.orm import Session

from portal.models import Case, Delivery, Organisation, SubscriptionCheck

# R9 (2020 advance tariff): EUR 0.40 per delivered letter, charged from the 999th letter
# of a calendar year; Lopende Zaken and subscription checks are free for now.
PRICE_PER_LETTER_CENTS = 40
FIRST_CHARGED_LETTER = 999


@dataclass(frozen=True)
class MonthUsage:
    organisation: str
    oin: str
    month: int
    letters: int
    subscription_checks: int
    bsns_checked: int
    cases_opened: int
    charged_letters: int

    @property
    def charge_cents(self) -> int:
        return self.charged_letters * PRICE_PER_LETTER_CENTS


def charged_in_month(letters_before: int, letters_in_month: int) -> int:
    """Letters of this month that are charged, given the year's letters before it."""
    free = FIRST_CHARGED_LETTER - 1
    after = letters_before + letters_in_month
    return max(0, after - free) - max(0, letters_before - free)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _per_month(session: Session, moment, organisation, amount, year: int) -> dict[tuple[int, int], int]:  # type: ignore[no-untyped-def]
    """{(organisation_id, month): sum of amount} over ``year``, grouped in the database.

    Months are UTC months (the stored times are UTC).
    """
    start, end = _year_bounds(year)
    month = extract("month", moment)
    rows = session.execute(
        select(organisation, month, func.sum(amount))
        .where(moment >= start, moment < end)
        .group_by(organisation, month)
    ).all()
    return {(int(org), int(m)): int(total) for org, m, total in rows}


def monthly_usage(session: Session, year: int) -> list[MonthUsage]:
    """Every organisation's usage per month of ``year`` in which it used the portal."""
    letters = _per_month(session, Delivery.delivered_at, Delivery.organisation_id, literal(1), year)
    checks = _per_month(session, SubscriptionCheck.at, SubscriptionCheck.organisation_id, literal(1), year)
    bsns = _per_month(session, SubscriptionCheck.at, SubscriptionCheck.organisation_id,
                      SubscriptionCheck.bsn_count, year)
    cases = _per_month(session, Case.opened_at, Case.organisation_id, literal(1), year)
    organisations = {o.id: o for o in session.scalars(select(Organisation))}
    keys = sorted(set(letters) | set(checks) | set(cases), key=lambda k: (organisations[k[0]].name, k[1]))
    running: dict[int, int] = defaultdict(int)
    result = []
    for organisation_id, month in keys:
        count = letters.get((organisation_id, month), 0)
        charged = charged_in_month(running[organisation_id], count)
        running[organisation_id] += count
        org = organisations[organisation_id]
        result.append(MonthUsage(
            organisation=org.name, oin=org.oin, month=month, letters=count,
            subscription_checks=checks.get((organisation_id, month), 0),
            bsns_checked=bsns.get((organisation_id, month), 0),
            cases_opened=cases.get((organisation_id, month), 0),
            charged_letters=charged,
        ))
    return result
