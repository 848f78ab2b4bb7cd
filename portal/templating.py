"""Template filters shared by every page."""

from __future__ import annotations

import math

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

from portal.domain import what_to_do
from portal.help.topics import help_topic
from portal.timeutil import utcnow


def kilobytes(size: int) -> str:
    """A file size in whole kilobytes, rounded up, in the reader's number format."""
    return f"{format_decimal(max(1, math.ceil(size / 1024)))} kB"


def init_app(app: Flask) -> None:
    app.add_template_filter(kilobytes)
    # Dates in the reader's language and the Dutch time zone.
    app.add_template_global(format_date)
    app.add_template_global(format_datetime)
    # Help at the spot: each page names the topics it shows (portal/help/topics.py).
    app.add_template_global(help_topic)
    # "Wat moet ik doen?" on every letter and case, from their structured fields.
    app.add_template_global(lambda letter: what_to_do.for_letter(letter, utcnow()), "what_to_do_for_letter")
    app.add_template_global(lambda case: what_to_do.for_case(case, utcnow()), "what_to_do_for_case")
