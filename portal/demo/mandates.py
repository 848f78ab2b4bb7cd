"""Demo mandates: Kees Bakker as bewindvoerder of three clients, Marieke at the library desk.

Helpers who arrange mandates themselves (ways in a and b) are left to the course and the
browser tests: they start from no mandates at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import LegalRole


@dataclass(frozen=True)
class DemoRepresentation:
    representative: str
    role: LegalRole
    court_reference: str
    decided_days_ago: int
    # None: until the decision ends (the usual case).
    until_days_ahead: int | None = None


LEGAL_REPRESENTATIONS: tuple[tuple[str, DemoRepresentation], ...] = (
    ("henk", DemoRepresentation("kees", LegalRole.BEWINDVOERDER, "C/08/298765 / BW RK 24-412", 420)),
    ("fatima", DemoRepresentation("kees", LegalRole.BEWINDVOERDER, "C/08/301122 / BW RK 25-087", 150)),
    ("wim", DemoRepresentation("kees", LegalRole.BEWINDVOERDER, "C/08/287001 / BW RK 23-955", 900, 730)),
)
"""(client, decision) by username; the client is who the court decision is about."""

HELP_DESK_STAFF: dict[str, str] = {
    "marieke": "Bibliotheek Utrecht – Informatiepunt Digitale Overheid",
}
"""Registered help-desk staff by username, with their desk."""
