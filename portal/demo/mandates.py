"""Demo mandates: Kees Bakker as bewindvoerder of three clients, Marieke at the library desk.
The data is in ``portal/scenarios/files/demo.toml``.

Helpers who arrange mandates themselves (ways in a and b) are left to the course and the
browser tests: they start from no mandates at all.
"""

from __future__ import annotations

from portal.scenarios import DEMO, load_scenarios
from portal.scenarios.model import DemoRepresentation

__all__ = ["HELP_DESK_STAFF", "LEGAL_REPRESENTATIONS", "DemoRepresentation"]

LEGAL_REPRESENTATIONS: tuple[tuple[str, DemoRepresentation], ...] = load_scenarios()[DEMO].legal_representations
"""(client, decision) by username; the client is who the court decision is about."""

HELP_DESK_STAFF: dict[str, str] = load_scenarios()[DEMO].help_desk_staff
"""Registered help-desk staff by username, with their desk."""
