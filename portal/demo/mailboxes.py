"""Who gets which demo post: subscriptions (R2) and the letters in each practice box.

Joke's box is the one the course and the usability scripts start from: about eight letters
over the last months, exactly one unread (the newest, from the Belastingdienst, with
something to do) and a couple in the archive.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.demo.organisations import ORGANISATIONS

_NATIONAL = ("belastingdienst", "toeslagen", "uwv", "svb", "rdw", "duo", "cjib")
_ALL = tuple(org.key for org in ORGANISATIONS)

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "joke": _ALL,
    "sanne": _NATIONAL + ("abp", "zorgzaam"),
    "ahmed": _NATIONAL + ("gemeente_rotterdam", "zorgzaam"),
    "kees": _NATIONAL + ("abp", "zorgzaam"),
    "marieke": tuple(key for key in _ALL if key != "gemeente_rotterdam"),
    "tom": _NATIONAL + ("zorgzaam",),
    "emma": _NATIONAL + ("abp",),
    "henk": _NATIONAL + ("abp", "zorgzaam"),
    "fatima": _NATIONAL + ("zorgzaam",),
    "wim": _NATIONAL + ("abp", "zorgzaam"),
}
"""Organisation keys each practice account is subscribed to, by username."""


@dataclass(frozen=True)
class Delivery:
    """One demo letter in a box: which template, how many days ago, and what the reader did."""

    template: str
    days_ago: int
    read: bool = True
    archived: bool = False


MAILBOXES: dict[str, tuple[Delivery, ...]] = {
    "joke": (
        Delivery("ib_aanslag", 1, read=False),
        Delivery("woz", 25),
        Delivery("pensioenoverzicht", 40),
        Delivery("zorgpolis", 55),
        Delivery("waterschap_incasso", 75),
        Delivery("zorgtoeslag", 95),
        Delivery("aow_jaaropgave", 120, archived=True),
        Delivery("voorlopige_aanslag", 150, archived=True),
    ),
    "sanne": (
        Delivery("apk", 3, read=False),
        Delivery("ib_aangifte", 30),
        Delivery("zorgpolis", 50),
        Delivery("duo_jaaroverzicht", 70, archived=True),
    ),
    "ahmed": (
        Delivery("cjib_boete", 2, read=False),
        Delivery("zorgtoeslag", 10, read=False),
        Delivery("rotterdam_belastingen", 35),
        Delivery("uwv_jaaropgave", 60),
        Delivery("duo_jaaroverzicht", 90, archived=True),
    ),
    "kees": (
        Delivery("pensioenoverzicht", 6, read=False),
        Delivery("ib_aanslag", 20),
        Delivery("apk", 45, archived=True),
        Delivery("zorgpolis", 65),
    ),
    "marieke": (
        Delivery("waterschap_betalen", 4, read=False),
        Delivery("woz", 12, read=False),
        Delivery("bghu_aanslag", 30),
        Delivery("duo_jaaroverzicht", 80),
    ),
    "tom": (
        Delivery("duo_aflossen", 5, read=False),
        Delivery("apk", 15),
        Delivery("uwv_jaaropgave", 40),
        Delivery("voorlopige_aanslag", 75, archived=True),
    ),
    "emma": (
        Delivery("aow_buitenland", 8, read=False),
        Delivery("ib_aanslag", 22),
        Delivery("pensioenoverzicht", 100, archived=True),
    ),
    # Kees Bakker's clients: their bewindvoerder reads this post for them.
    "henk": (
        Delivery("ib_aanslag", 3, read=False),
        Delivery("aow_gaat_in", 40),
        Delivery("zorgtoeslag", 70, archived=True),
    ),
    "fatima": (
        Delivery("cjib_boete", 1, read=False),
        Delivery("zorgtoeslag", 18),
        Delivery("uwv_jaaropgave", 60),
    ),
    "wim": (
        Delivery("zorgpolis", 6, read=False),
        Delivery("aow_jaaropgave", 30),
        Delivery("pensioenoverzicht", 90, archived=True),
    ),
}
"""The demo letters of each practice account, newest first, by username."""
