"""From which organisations a citizen wants messages (rule R2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.models import Organisation, Subscription


@dataclass(frozen=True)
class SubscriptionChoice:
    organisation: Organisation
    subscribed: bool


def choices(session: Session, account_id: int) -> list[SubscriptionChoice]:
    """Every organisation, by name, with whether this account is subscribed to it."""
    subscribed = set(
        session.scalars(
            select(Subscription.organisation_id).where(Subscription.account_id == account_id)
        )
    )
    organisations = session.scalars(select(Organisation).order_by(Organisation.name))
    return [SubscriptionChoice(org, org.id in subscribed) for org in organisations]


def set_subscriptions(session: Session, account_id: int, organisation_ids: Iterable[int]) -> None:
    """Make the account subscribed to exactly these organisations. Unknown ids are ignored.

    The caller commits.
    """
    known = set(session.scalars(select(Organisation.id)))
    wanted = set(organisation_ids) & known
    current = set(
        session.scalars(
            select(Subscription.organisation_id).where(Subscription.account_id == account_id)
        )
    )
    removed = current - wanted
    if removed:
        session.execute(
            delete(Subscription).where(
                Subscription.account_id == account_id,
                Subscription.organisation_id.in_(removed),
            )
        )
    session.add_all(
        Subscription(account_id=account_id, organisation_id=org_id)
        for org_id in sorted(wanted - current)
    )


def is_subscribed(session: Session, account_id: int, organisation_id: int) -> bool:
    return (
        session.scalar(
            select(Subscription.id).where(
                Subscription.account_id == account_id,
                Subscription.organisation_id == organisation_id,
            )
        )
        is not None
    )
