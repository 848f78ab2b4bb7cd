"""Onboarding organisations ("aansluiten", R8): ``flask --app portal api …``."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.db import get_session
from portal.domain.api_clients import SCOPES, create_client, revoke_client
from portal.domain.usage import FIRST_CHARGED_LETTER, PRICE_PER_LETTER_CENTS, monthly_usage
from portal.models import Organisation, OrganisationKind
from portal.timeutil import utcnow

api_cli = AppGroup("api", help="Organisations and their API clients.")


@api_cli.command("add-organisation")
@click.option("--oin", required=True, help="The organisation's OIN (20 digits).")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in OrganisationKind]))
@click.option("--website", default="", help="https address of its own site.")
def add_organisation(oin: str, name: str, kind: str, website: str) -> None:
    """Add an organisation that may connect."""
    if len(oin) != 20 or not oin.isdigit():
        raise click.BadParameter("an OIN is 20 digits", param_hint="--oin")
    db = get_session()
    if db.scalar(select(Organisation).where(Organisation.oin == oin)) is not None:
        raise click.ClickException("An organisation with this OIN exists already.")
    db.add(Organisation(oin=oin, name=name, kind=OrganisationKind(kind), website=website))
    db.commit()
    click.echo(f"Added {name} ({oin}).")


@api_cli.command("create-client")
@click.option("--oin", required=True)
@click.option("--name", required=True, help="What the client is for, e.g. 'mail run'.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES))
def create(oin: str, name: str, scopes: tuple[str, ...]) -> None:
    """Create a client for the organisation. The secret is shown once: store it now."""
    db = get_session()
    organisation = db.scalar(select(Organisation).where(Organisation.oin == oin))
    if organisation is None:
        raise click.ClickException("No organisation with this OIN.")
    new = create_client(db, organisation, name, list(scopes))
    db.commit()
    click.echo(f"client_id:     {new.client_id}")
    click.echo(f"client_secret: {new.client_secret}")
    click.echo("The secret is not stored and cannot be shown again.")


@api_cli.command("revoke-client")
@click.argument("client_id")
def revoke(client_id: str) -> None:
    """Revoke a client: its tokens stop working at once."""
    db = get_session()
    if not revoke_client(db, client_id):
        raise click.ClickException("No active client with this id.")
    db.commit()
    click.echo("Revoked.")


@api_cli.command("usage")
@click.option("--year", type=int, default=lambda: utcnow().year, help="Calendar year (UTC).")
def usage(year: int) -> None:
    """Usage per organisation per month, and the charge for letters (R9)."""
    rows = monthly_usage(get_session(), year)
    click.echo(f"Usage in {year} (price per letter EUR {PRICE_PER_LETTER_CENTS / 100:.2f}, "
               f"charged from letter {FIRST_CHARGED_LETTER} of the year)")
    header = f"{'organisation':40} {'OIN':20} {'month':>5} {'letters':>8} {'checks':>7} {'BSNs':>7} {'cases':>6} {'charged':>8} {'EUR':>10}"
    click.echo(header)
    total = 0
    for row in rows:
        total += row.charge_cents
        click.echo(
            f"{row.organisation[:40]:40} {row.oin:20} {row.month:5d} {row.letters:8d} "
            f"{row.subscription_checks:7d} {row.bsns_checked:7d} {row.cases_opened:6d} "
            f"{row.charged_letters:8d} {row.charge_cents / 100:10.2f}"
        )
    click.echo(f"Total charge: EUR {total / 100:.2f}")
