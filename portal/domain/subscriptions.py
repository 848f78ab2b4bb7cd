"""From which organisations a citizen wants messages (rule R2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.domain.bsn import is_valid_bsn
from portal.models import Account, Organisation, Person, Subscription
from portal.models.organisation import PORTAL_OIN


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
    # The portal's own sender is not a choice: its letters are about the account itself.
    organisations = session.scalars(
        select(Organisation).where(Organisation.oin != PORTAL_OIN).order_by(Organisation.name)
    )
    return [SubscriptionChoice(org, org.id in subscribed) for org in organisations]


def set_subscriptions(session: Session, account_id: int, organisation_ids: Iterable[int]) -> None:
    """Make the account subscribed to exactly these organisations. Unknown ids are ignored.

    The caller commits.
    """
    known = set(session.scalars(select(Organisation.id).where(Organisation.oin != PORTAL_OIN)))
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


@dataclass(frozen=True)
class Reachability:
    """The answer to "opvragen geabonneerden" for one BSN (R2)."""

    bsn: str
    valid: bool
    active_box: bool = False
    subscribed: bool = False

    def as_dict(self) -> dict[str, object]:
        if not self.valid:
            return {"bsn": self.bsn, "valid": False, "code": "invalid_bsn"}
        return {
            "bsn": self.bsn,
            "valid": True,
            "active_box": self.active_box,
            "subscribed": self.subscribed,
        }


def boxes_for_bsns(session: Session, bsns: set[str]) -> dict[str, int]:
    """BSN → account id, for the BSNs that have an account (an active Berichtenbox)."""
    if not bsns:
        return {}
    query = select(Person.bsn, Account.id).join(Account, Account.person_id == Person.id)
    return {bsn: account_id for bsn, account_id in session.execute(query.where(Person.bsn.in_(bsns)))}


def subscribed_accounts(session: Session, organisation_id: int, account_ids: set[int]) -> set[int]:
    """Those of ``account_ids`` that want post from this organisation."""
    if not account_ids:
        return set()
    return set(
        session.scalars(
            select(Subscription.account_id).where(
                Subscription.organisation_id == organisation_id,
                Subscription.account_id.in_(account_ids),
            )
        )
    )


def check_reachability(session: Session, organisation_id: int, bsns: list[str]) -> list[Reachability]:
    """Per BSN, in the order given: valid (elfproef), has an account, subscribed to this
    organisation. Two queries, however many BSNs."""
    valid = {bsn for bsn in bsns if is_valid_bsn(bsn)}
    boxes = boxes_for_bsns(session, valid)
    subscribed = subscribed_accounts(session, organisation_id, set(boxes.values()))
    results = []
    for bsn in bsns:
        if bsn not in valid:
            results.append(Reachability(bsn, valid=False))
        elif bsn not in boxes:
            results.append(Reachability(bsn, valid=True))
        else:
            results.append(Reachability(bsn, True, True, boxes[bsn] in subscribed))
    return results
