"""Template filters shared by every page."""

from __future__ import annotations

import math

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal
from markupsafe import Markup

from portal.domain import what_to_do
from portal.help.topics import help_topic
from portal.domain.letters import sender_host
from portal.local_paths import current_page
from portal.stated_limits import stated_limits
from portal.textcheck import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from portal.timeutil import utcnow


def kilobytes(size: int) -> str:
    """A file size in whole kilobytes, rounded up, in the reader's number format."""
    return f"{format_decimal(max(1, math.ceil(size / 1024)))} kB"


def isolate(text: object) -> Markup:
    """Text from a sender (subject, body, reference, file name) in its own direction island:
    a right-to-left override inside cannot reorder what follows it on the page."""
    return Markup("<bdi>%s</bdi>") % text


def isolate_text(text: object) -> str:
    """The same for plain text where no element fits (the page title): Unicode isolates."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def init_app(app: Flask) -> None:
    app.add_template_filter(kilobytes)
    app.add_template_filter(isolate)
    app.add_template_filter(isolate_text)
    # The host a sender's link leads to, shown next to it.
    app.add_template_global(sender_host)
    # Dates in the reader's language and the Dutch time zone.
    app.add_template_global(format_date)
    app.add_template_global(format_datetime)
    # Help at the spot: each page names the topics it shows (portal/help/topics.py).
    app.add_template_global(help_topic)
    # Limits stated in texts, from where they are set: {{ limits.idle_minutes }}.
    app.context_processor(lambda: {"limits": stated_limits()})
    # The page a small form (language, text size) returns to: only a known page of this site.
    app.add_template_global(current_page)
    # "Wat moet ik doen?" on every letter and case, from their structured fields.
    app.add_template_global(lambda letter: what_to_do.for_letter(letter, utcnow()), "what_to_do_for_letter")
    app.add_template_global(lambda case: what_to_do.for_case(case, utcnow()), "what_to_do_for_case")
