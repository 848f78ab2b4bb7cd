"""Who gets which demo post: subscriptions (R2) and the letters in each practice box.
The data is in ``portal/scenarios/files/demo.toml``.

Joke's box is the one the course and the usability scripts start from: about eight letters
over the last months, exactly one unread (the newest, from the Belastingdienst, with
something to do) and a couple in the archive.
"""

from __future__ import annotations

from portal.scenarios import DEMO, load_scenarios
from portal.scenarios.model import Delivery

__all__ = ["MAILBOXES", "SUBSCRIPTIONS", "Delivery"]

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = load_scenarios()[DEMO].subscriptions
"""Organisation keys each practice account is subscribed to, by username."""

MAILBOXES: dict[str, tuple[Delivery, ...]] = load_scenarios()[DEMO].mailboxes
"""The demo letters of each practice account, newest first, by username."""
