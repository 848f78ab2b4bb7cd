"""The demo organisations that send post (R8); the data is in
``portal/scenarios/files/organisaties.toml``.

Names and websites are the real public ones (the website is the "link to the organisation's
own environment", R4); the OINs are made up: "0000000" followed by 13 invented digits, so they
can never be mistaken for a real OIN. The health insurer is invented too; its
website uses the reserved ``.example`` domain.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Organisation
from portal.scenarios import DEMO, load_scenarios
from portal.scenarios.model import DemoOrganisation

__all__ = ["BY_KEY", "ORGANISATIONS", "DemoOrganisation", "add_organisations"]

ORGANISATIONS: tuple[DemoOrganisation, ...] = load_scenarios()[DEMO].organisations
"""Every demo organisation, keyed by ``key`` in ``BY_KEY``."""

BY_KEY: dict[str, DemoOrganisation] = {org.key: org for org in ORGANISATIONS}


def add_organisations(
    session: Session, specs: Sequence[DemoOrganisation] = ORGANISATIONS
) -> dict[str, Organisation]:
    """Add the organisations that are not there yet (matched by OIN); return them by key.

    Organisations are shared by every world (the demo and each sandbox). The caller commits.
    """
    existing = {
        org.oin: org
        for org in session.scalars(
            select(Organisation).where(Organisation.oin.in_([o.oin for o in specs]))
        )
    }
    result: dict[str, Organisation] = {}
    for spec in specs:
        row = existing.get(spec.oin)
        if row is None:
            row = Organisation(oin=spec.oin, name=spec.name, kind=spec.kind, website=spec.website)
            session.add(row)
        result[spec.key] = row
    session.flush()
    return result
