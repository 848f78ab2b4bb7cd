"""Template filters shared by every page."""

from __future__ import annotations

import math

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal


def kilobytes(size: int) -> str:
    """A file size in whole kilobytes, rounded up, in the reader's number format."""
    return f"{format_decimal(max(1, math.ceil(size / 1024)))} kB"


def init_app(app: Flask) -> None:
    app.add_template_filter(kilobytes)
    # Dates in the reader's language and the Dutch time zone.
    app.add_template_global(format_date)
    app.add_template_global(format_datetime)
