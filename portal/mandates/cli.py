"""Administrator commands for mandates and help desks.

``flask --app portal mandates add-representative|end-representative|list-representatives|daily``
``flask --app portal helpdesk add-staff|remove-staff|list-staff``

BSNs are given as options on the administrator's own command line and are never printed in
full: output shows masked BSNs (``******123``) and ids, never a name.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import get_session
from portal.domain import legal, mandates, visits
from portal.domain.bsn import is_valid_bsn, mask_bsn
from portal.mandates import notices
from portal.models import Account, HelpDeskStaff, LegalRole, Mandate, Person
from portal.policy import LEGAL_SCOPES, Scope, state_of
from portal.timeutil import utcnow

mandates_cli = AppGroup("mandates", help="Mandates (machtigingen): legal representatives and the daily job.")
helpdesk_cli = AppGroup("helpdesk", help="Help-desk staff who may start assisted visits.")


def _defaults_help() -> str:
    lines = [
        f"{role.value}: {', '.join(scope.value for scope in scopes)}" for role, scopes in legal.DEFAULT_SCOPES.items()
    ]
    return "; ".join(lines)


def _account(session: Session, bsn: str, who: str) -> Account:
    """The account of the person with this BSN, or a clear error (masked BSN only)."""
    bsn = bsn.strip()
    if not is_valid_bsn(bsn):
        raise click.ClickException(f"The {who} BSN {mask_bsn(bsn)} is not a valid BSN (elfproef).")
    account = session.scalar(select(Account).join(Person, Person.id == Account.person_id).where(Person.bsn == bsn))
    if account is None:
        raise click.ClickException(
            f"The {who} (BSN {mask_bsn(bsn)}) has no Burgerportaal account. They must log in once "
            "with DigiD first, so that their account exists."
        )
    return account


def _tell_ended(session: Session, ended: Sequence[Mandate], now: datetime) -> None:
    """The letter about each mandate that just ended (``notices.ended``), then commit."""
    for mandate in ended:
        notices.ended(session, mandate, now)
    session.commit()


@mandates_cli.command("add-representative")
@click.option("--client-bsn", required=True, help="BSN of the citizen the court decision is about.")
@click.option("--representative-bsn", required=True, help="BSN of the bewindvoerder, curator or mentor.")
@click.option("--role", required=True, type=click.Choice([role.value for role in LegalRole]))
@click.option("--court-reference", required=True,
              help=f"The court's reference on the decision (at most {legal.COURT_REFERENCE_MAX_LENGTH} characters).")
@click.option("--decision-date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date of the decision (YYYY-MM-DD); the representation holds from the start of that day.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day the decision holds (YYYY-MM-DD). Leave out: until the decision ends.")
@click.option("--scope", "scopes", multiple=True, type=click.Choice([scope.value for scope in LEGAL_SCOPES]),
              help="What the decision covers; repeat for more. Default per role: " + _defaults_help() + ".")
def add_representative(client_bsn: str, representative_bsn: str, role: str, court_reference: str,
                       decision_date, until, scopes: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Register a court-appointed legal representative (no approval by the citizen).

    The citizen gets a letter in their Berichtenbox. Default scopes per role: a bewindvoerder
    (money matters) may read and archive letters, view cases and personal data, change
    settings and manage mandates; a mentor (care) may read letters, view cases and personal
    data and manage mandates; a curator may do everything a representative can.
    """
    session = get_session()
    client = _account(session, client_bsn, "client")
    representative = _account(session, representative_bsn, "representative")
    decision = legal.Decision(
        role=LegalRole(role),
        court_reference=court_reference,
        decision_date=decision_date.date(),
        until=until.date() if until else None,
        scopes=legal.parse_scopes(scopes),
    )
    now = utcnow()
    try:
        mandate = legal.register(session, client=client, representative=representative, decision=decision, now=now)
    except legal.LegalError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    notices.given(session, mandate, now)
    session.commit()
    click.echo(
        f"Registered {role} {mask_bsn(representative_bsn.strip())} for {mask_bsn(client_bsn.strip())}: "
        f"mandate {mandate.id}, scopes {','.join(scope.value for scope in Scope if scope in mandate.scopes)}."
    )


@mandates_cli.command("end-representative")
@click.option("--mandate-id", required=True, type=click.UUID, help="The id shown by list-representatives.")
def end_representative(mandate_id: uuid.UUID) -> None:
    """End a legal representation at once (the court decision ended), and every mandate the
    representative gave, approved or changed while acting for the client. The client gets a
    letter for each."""
    session = get_session()
    mandate = legal.find(session, mandate_id)
    if mandate is None:
        raise click.ClickException(f"No legal representation with id {mandate_id}.")
    now = utcnow()
    ended = legal.end_representation(session, mandate, now)
    if not ended:
        raise click.ClickException(f"Legal representation {mandate_id} had already ended.")
    _tell_ended(session, ended, now)
    click.echo(f"Ended legal representation {mandate_id}, and {len(ended) - 1} mandates arranged under it.")


@mandates_cli.command("list-representatives")
def list_representatives() -> None:
    """Every registered legal representation (masked BSNs only)."""
    session = get_session()
    now = utcnow()
    rows = legal.all_representations(session)
    if not rows:
        click.echo("No legal representatives registered.")
        return
    for mandate in rows:
        last = mandates.last_day(mandate)
        until = f"until {last.isoformat()}" if last else "until the decision ends"
        click.echo(
            f"{mandate.id}  {mandate.legal_role.value if mandate.legal_role else '-'}  "
            f"client {mask_bsn(mandate.giver.person.bsn)}  representative {mask_bsn(mandate.helper.person.bsn)}  "
            f"court {mandate.court_reference}  decision {mandate.decision_date}  {until}  "
            f"{state_of(mandate, now).value}"
        )


@mandates_cli.command("daily")
def daily_command() -> None:
    """Expiry letters (30 days before) and removing mandates that ended over 15 months ago.

    The notification worker (``flask notifications run``) also runs this every hour.
    """
    from portal.mandates import daily

    result = daily.run(get_session(), utcnow())
    click.echo(f"Mandates: {result.describe()}.")


@helpdesk_cli.command("add-staff")
@click.option("--bsn", required=True, help="BSN of the staff member (they need an account).")
@click.option("--desk", required=True, help='Name of the desk, e.g. "Bibliotheek Utrecht – Informatiepunt Digitale Overheid".')
def add_staff(bsn: str, desk: str) -> None:
    """Register help-desk staff (or move them to another desk)."""
    session = get_session()
    account = _account(session, bsn, "staff member")
    try:
        visits.register_staff(session, account, desk, utcnow())
    except ValueError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"Help-desk staff {mask_bsn(bsn.strip())} registered at the desk.")


@helpdesk_cli.command("remove-staff")
@click.option("--bsn", required=True, help="BSN of the staff member.")
def remove_staff(bsn: str) -> None:
    """Unregister help-desk staff. Their visits that are still going on end now."""
    session = get_session()
    account = _account(session, bsn, "staff member")
    now = utcnow()
    ended = visits.remove_staff(session, account, now)
    if ended is None:
        raise click.ClickException(f"{mask_bsn(bsn.strip())} is not registered as help-desk staff.")
    _tell_ended(session, ended, now)
    click.echo(f"Help-desk staff {mask_bsn(bsn.strip())} removed; {len(ended)} visits ended.")


@helpdesk_cli.command("list-staff")
def list_staff() -> None:
    """Registered help-desk staff (masked BSNs only)."""
    session = get_session()
    rows = session.execute(
        select(HelpDeskStaff, Person)
        .join(Account, Account.id == HelpDeskStaff.account_id)
        .join(Person, Person.id == Account.person_id)
        .order_by(HelpDeskStaff.desk_name)
    ).all()
    if not rows:
        click.echo("No help-desk staff registered.")
    for staff, person in rows:
        click.echo(f"{mask_bsn(person.bsn)}  {staff.desk_name}")


def register(app: Flask) -> None:
    app.cli.add_command(mandates_cli)
    app.cli.add_command(helpdesk_cli)

