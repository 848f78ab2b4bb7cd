"""The demo organisations that send post (R8).

Names and websites are the real public ones (the website is the "link to the organisation's
own environment", R4); the OINs are made up: "0000000" followed by 13 invented digits, so they
can never be mistaken for a real OIN. The health insurer is invented too; its
website uses the reserved ``.example`` domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Organisation, OrganisationKind


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    oin: str
    kind: OrganisationKind
    website: str


_CENTRAL = OrganisationKind.CENTRAL_GOVERNMENT

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("belastingdienst", "Belastingdienst", "00000009900000000101", _CENTRAL,
                     "https://www.belastingdienst.nl"),
    DemoOrganisation("toeslagen", "Dienst Toeslagen", "00000009900000000102", _CENTRAL,
                     "https://www.belastingdienst.nl/toeslagen"),
    DemoOrganisation("uwv", "UWV", "00000009900000000103", _CENTRAL, "https://www.uwv.nl"),
    DemoOrganisation("svb", "SVB", "00000009900000000104", _CENTRAL,
                     "https://www.svb.nl"),
    DemoOrganisation("rdw", "RDW", "00000009900000000105", _CENTRAL, "https://www.rdw.nl"),
    DemoOrganisation("duo", "DUO", "00000009900000000106", _CENTRAL, "https://duo.nl"),
    DemoOrganisation("cjib", "CJIB", "00000009900000000107", _CENTRAL, "https://www.cjib.nl"),
    DemoOrganisation("gemeente_utrecht", "Gemeente Utrecht", "00000009900000000201",
                     OrganisationKind.MUNICIPALITY, "https://www.utrecht.nl"),
    DemoOrganisation("gemeente_rotterdam", "Gemeente Rotterdam", "00000009900000000202",
                     OrganisationKind.MUNICIPALITY, "https://www.rotterdam.nl"),
    DemoOrganisation("hdsr", "Hoogheemraadschap De Stichtse Rijnlanden", "00000009900000000301",
                     OrganisationKind.WATER_BOARD, "https://www.hdsr.nl"),
    DemoOrganisation("bghu", "BghU (Belastingsamenwerking gemeenten en hoogheemraadschap Utrecht)",
                     "00000009900000000401", OrganisationKind.JOINT_SERVICE,
                     "https://www.bghu.nl"),
    DemoOrganisation("abp", "Pensioenfonds ABP", "00000009900000000501",
                     OrganisationKind.PENSION_FUND, "https://www.abp.nl"),
    DemoOrganisation("zorgzaam", "Zorgverzekeraar Zorgzaam", "00000009900000000601",
                     OrganisationKind.HEALTH_INSURER, "https://www.zorgzaam.example"),
)
"""Every demo organisation, keyed by ``key`` in ``BY_KEY``."""

BY_KEY: dict[str, DemoOrganisation] = {org.key: org for org in ORGANISATIONS}


def add_organisations(session: Session) -> dict[str, Organisation]:
    """Add the demo organisations that are not there yet (matched by OIN); return them by key.

    The caller commits.
    """
    existing = {
        org.oin: org
        for org in session.scalars(
            select(Organisation).where(Organisation.oin.in_([o.oin for o in ORGANISATIONS]))
        )
    }
    result: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        row = existing.get(spec.oin)
        if row is None:
            row = Organisation(oin=spec.oin, name=spec.name, kind=spec.kind, website=spec.website)
            session.add(row)
        result[spec.key] = row
    session.flush()
    return result
