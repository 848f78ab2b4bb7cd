"""Demo cases (Lopende Zaken), made through the same domain functions the organisation API uses.

Joke has two running cases and one closed: her huurtoeslag application changed two days ago
and asks her to send something (the case a course or a usability script starts from); her
traplift application has not changed since she last looked; her closed zorgtoeslag
application links to the letter with the decision. A few other people have one case each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.letters import TEMPLATES
from portal.domain.cases import close_case, link_letter, open_case, post_status
from portal.models import Account, Case, Letter, Organisation

# Three steps most applications go through.
_APPLICATION = ("Aanvraag ontvangen", "Gegevens controleren", "Besluit")


@dataclass(frozen=True)
class DemoStatus:
    days_ago: int
    step: int
    text: str
    action: str | None = None
    act_within_days: int | None = None
    if_not_done: str | None = None


@dataclass(frozen=True)
class DemoCase:
    username: str
    organisation: str
    title: str
    reference: str
    steps: tuple[str, ...]
    opened_days_ago: int
    statuses: tuple[DemoStatus, ...] = ()  # oldest first
    closed: DemoStatus | None = None  # the outcome; its step is ignored
    # When the citizen last looked at the case; None: never.
    seen_days_ago: int | None = None
    # The template key of a letter in the same box from the same organisation.
    letter: str | None = None


CASES: tuple[DemoCase, ...] = (
    DemoCase(
        "joke", "toeslagen", "Aanvraag huurtoeslag", "HT-1048233", _APPLICATION,
        opened_days_ago=21,
        statuses=(
            DemoStatus(20, 1, "Wij hebben uw aanvraag voor huurtoeslag ontvangen. "
                              "Wij gaan uw aanvraag nu bekijken."),
            DemoStatus(2, 2, "Wij controleren uw gegevens. Wij missen nog uw huurcontract. "
                             "Zonder huurcontract kunnen wij geen besluit nemen.",
                       action="Stuur ons een kopie van uw huurcontract.",
                       act_within_days=14,
                       if_not_done="Dan kunnen wij geen besluit nemen. U krijgt dan geen huurtoeslag."),
        ),
        seen_days_ago=10,
    ),
    DemoCase(
        "joke", "gemeente_utrecht", "Aanvraag traplift", "WMO-2231907",
        ("Aanvraag ontvangen", "Gesprek bij u thuis", "Advies van de ergotherapeut", "Besluit"),
        opened_days_ago=40,
        statuses=(
            DemoStatus(39, 1, "Wij hebben uw aanvraag ontvangen. "
                              "Wij bellen u om een afspraak bij u thuis te maken."),
            DemoStatus(25, 2, "Een medewerker van de gemeente is bij u thuis geweest. "
                              "Samen hebben we besproken wat u nodig heeft."),
            DemoStatus(12, 3, "Een ergotherapeut bekijkt welke traplift bij uw trap past. "
                              "Dit duurt ongeveer 4 weken."),
        ),
        seen_days_ago=11,
    ),
    DemoCase(
        "joke", "toeslagen", "Aanvraag zorgtoeslag", "ZT-0977410", _APPLICATION,
        opened_days_ago=130,
        statuses=(
            DemoStatus(129, 1, "Wij hebben uw aanvraag voor zorgtoeslag ontvangen."),
            DemoStatus(110, 2, "Wij controleren uw gegevens."),
            DemoStatus(96, 3, "Wij hebben een besluit genomen."),
        ),
        closed=DemoStatus(95, 3, "U krijgt zorgtoeslag. In de brief over uw voorschot "
                                 "leest u hoeveel u elke maand krijgt."),
        seen_days_ago=90,
        letter="zorgtoeslag",
    ),
    DemoCase(
        "sanne", "uwv", "Aanvraag WW-uitkering", "WW-5520184",
        ("Aanvraag ontvangen", "Beoordelen", "Besluit"),
        opened_days_ago=9,
        statuses=(
            DemoStatus(8, 1, "Wij hebben uw aanvraag voor een WW-uitkering ontvangen."),
            DemoStatus(1, 2, "Wij beoordelen uw aanvraag. U hoort binnen 4 weken van ons."),
        ),
        seen_days_ago=5,
    ),
    DemoCase(
        "ahmed", "gemeente_rotterdam", "Verhuizing doorgeven", "VH-3390021",
        ("Melding ontvangen", "Adres controleren", "Verwerkt"),
        opened_days_ago=3,
    ),
    DemoCase(
        "tom", "duo", "Aanvraag aflosvrije periode", "DUO-AV-774310", _APPLICATION,
        opened_days_ago=60,
        statuses=(DemoStatus(59, 1, "Wij hebben uw aanvraag ontvangen."),),
        closed=DemoStatus(30, 3, "U hoeft 6 maanden niets af te lossen. "
                                 "Daarna betaalt u weer elke maand."),
        seen_days_ago=29,
    ),
)
"""Every demo case, in the order they are made."""


def add_cases(
    session: Session,
    accounts: dict[str, Account],
    organisations: dict[str, Organisation],
    today: date,
    now: datetime,
    *,
    reference_suffix: str = "",
) -> list[Case]:
    """Open, update, close and link the demo cases. The caller commits.

    An organisation's case references are unique: each practice sandbox adds its own
    ``reference_suffix`` to them."""
    made = []
    for spec in CASES:
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
            link_letter(session, case, _letter(session, account, organisation, spec.letter))
        if spec.seen_days_ago is not None:
            case.seen_at = now - timedelta(days=spec.seen_days_ago)
        made.append(case)
    session.flush()
    return made


def _letter(session: Session, account: Account, organisation: Organisation, key: str) -> Letter:
    prefix = TEMPLATES[key].reference_prefix + "-"
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
    raise ValueError(f"No {key!r} letter in the demo box to link to a case.")
