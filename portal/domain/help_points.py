"""Informatiepunten Digitale Overheid: help desks in public libraries (PRODUCT.md R10, R12).

The portal ships a small list of help points (``portal/help/data/help_points.csv``, sample
data) and finds the nearest ones to a postcode.

Nearness is the difference between four-digit postcode numbers (PC4): |yours − theirs|, ties
by name. Dutch postcodes are numbered by region (1xxx Noord-Holland and Flevoland, 9xxx the
north, 6xxx Limburg and Gelderland, …), so a close number is usually a close place. It is an
approximation without a geo database: near a region border (or where a region's numbers
jump) it can pick a library that is not the closest by road. Real data would come from the
location list of the Informatiepunt Digitale Overheid network (or the Koninklijke
Bibliotheek's open data of library branches), and real distances from PDOK's postcode
centroids (a point per PC4/PC6). Only this module would change.

No Flask here: the pages and any later API use it alike.
"""

from __future__ import annotations

import csv
import enum
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# How many help points the page shows.
RESULT_COUNT = 3
# Longest text we look at ("1234 AB" is 7; room for extra spaces, nothing more).
MAX_TYPED_LENGTH = 12
# The data file shipped with the portal. Lines starting with "#" are comments.
DATA_FILE = Path(__file__).resolve().parent.parent / "help" / "data" / "help_points.csv"
COLUMNS = ("name", "street", "postcode", "city", "phone", "hours")

# Four digits, then optionally (after any spaces) two letters. ASCII only: "١٢٣٤" is no postcode.
_POSTCODE = re.compile(r"([0-9]{4}) *([A-Z]{2})?", re.ASCII)
# PostNL never uses these letter pairs (they had unwanted meanings).
UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})


class PostcodeRule(enum.StrEnum):
    """Why a postcode is refused. Stable codes; the pages say it in words."""

    MISSING = "postcode_missing"
    TOO_LONG = "postcode_too_long"
    NOT_A_POSTCODE = "postcode_not_a_postcode"
    STARTS_WITH_ZERO = "postcode_starts_with_zero"
    UNUSED_LETTERS = "postcode_unused_letters"


class PostcodeError(ValueError):
    def __init__(self, rule: PostcodeRule) -> None:
        super().__init__(rule.value)
        self.rule = rule


@dataclass(frozen=True)
class HelpPoint:
    name: str
    street: str
    postcode: str
    city: str
    phone: str
    hours: str

    @property
    def pc4(self) -> int:
        """The four-digit number of the postcode."""
        return int(self.postcode[:4])


def check_postcode(text: str) -> str:
    """The postcode written the usual way ("1234 AB", or "1234" without letters).

    Spaces around and between the digits and letters are allowed, lower-case letters too.
    Raises PostcodeError with the rule it breaks: empty, longer than ``MAX_TYPED_LENGTH``,
    not four digits with two optional letters, starting with 0, or letters SA, SD or SS
    (which Dutch postcodes do not use).
    """
    typed = text.strip()
    if not typed:
        raise PostcodeError(PostcodeRule.MISSING)
    if len(typed) > MAX_TYPED_LENGTH:
        raise PostcodeError(PostcodeRule.TOO_LONG)
    match = _POSTCODE.fullmatch(typed.upper())
    if match is None:
        raise PostcodeError(PostcodeRule.NOT_A_POSTCODE)
    digits, letters = match.groups()
    if digits.startswith("0"):
        raise PostcodeError(PostcodeRule.STARTS_WITH_ZERO)
    if letters in UNUSED_LETTERS:
        raise PostcodeError(PostcodeRule.UNUSED_LETTERS)
    return f"{digits} {letters}" if letters else digits


@cache
def load_help_points(path: Path = DATA_FILE) -> tuple[HelpPoint, ...]:
    """Every help point in the data file, read once. A broken row stops the portal loudly
    (ValueError naming the line) rather than showing a wrong address."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(number, line) for number, line in enumerate(handle, start=1)
                 if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader((line for _, line in lines), strict=True)
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"{path}: the columns must be {','.join(COLUMNS)}")
    points = []
    for (number, _), row in zip(lines[1:], reader, strict=True):
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        if not all(values.values()) or None in row:
            raise ValueError(f"{path}, line {number}: every column needs a value, and no more")
        try:
            values["postcode"] = check_postcode(values["postcode"])
        except PostcodeError as error:
            raise ValueError(f"{path}, line {number}: {error.rule.value}") from error
        points.append(HelpPoint(**values))
    if not points:
        raise ValueError(f"{path}: no help points")
    return tuple(points)


def nearest(postcode: str, count: int = RESULT_COUNT, points: tuple[HelpPoint, ...] | None = None) -> list[HelpPoint]:
    """The ``count`` help points nearest to ``postcode``: smallest |PC4 difference| first,
    equal differences by name. Raises PostcodeError for a postcode that is not one."""
    yours = int(check_postcode(postcode)[:4])
    candidates = load_help_points() if points is None else points
    return sorted(candidates, key=lambda point: (abs(point.pc4 - yours), point.name))[:count]
