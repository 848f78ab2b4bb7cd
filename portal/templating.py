"""Template helpers shared by every page: filters, the main menu, dates, the text size, the
small forms of the layout (language, text size, buttons).

Helpers of one area (the words of mandate pages, say) stay in that area's package."""

from __future__ import annotations

import math
from datetime import date, datetime

from flask import Flask, current_app, has_request_context, session, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_time, gettext
from markupsafe import Markup

from portal import endpoints, policy
from portal.config import is_practice
from portal.forms import ButtonForm, unposted
from portal.domain import what_to_do
from portal.help.topics import help_topic
from portal.domain.letters import sender_host
from portal.local_paths import current_page
from portal.stated_limits import stated_limits
from portal.textcheck import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from portal.timeutil import as_utc, utcnow

# "Grotere tekst": kept in the session, like the language (portal/login_sessions.py keeps it
# across login and logout); set by the settings.text_size view.
TEXT_SIZE_KEY = "text_size"
LARGE_TEXT = "groot"


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


def long_date(day: date) -> str:
    return format_date(day, format="long")


def local_time(moment: datetime) -> str:
    return format_time(as_utc(moment), format="short")


def main_menu() -> list[tuple[str, str, policy.Requirement]]:
    """The main menu (the rows of ``portal.endpoints`` with a ``menu``): each area with what
    it needs; the layout leaves out what is refused."""
    return [(row.name, gettext(entry.label), row.needs) for row, entry in endpoints.ENDPOINTS.menu]


def reading_context() -> dict[str, object]:
    # E-mails are rendered outside a request: they have no text size.
    if not has_request_context():
        return {"text_large": False}
    return {"text_large": session.get(TEXT_SIZE_KEY) == LARGE_TEXT}


def practice_context() -> dict[str, object]:
    practice = is_practice(current_app.config)
    # E-mails are rendered outside a request: they have no bar (and no URL to link it to).
    if not (practice and has_request_context()):
        return {"practice_mode": False}
    from portal.practice import browser

    return {
        "practice_mode": True,
        "practice_info_url": url_for("help.practice"),
        "practice_start_url": url_for("practice.start"),
        "practice_reset_url": url_for("practice.reset"),
        "practice_mail_url": url_for("practice.mail"),
        "practice_sandbox": browser.current_sandbox(),
    }


def init_app(app: Flask) -> None:
    # The settings package (its views) imports this module: its forms are taken when the app
    # is made, not when this module is loaded.
    from portal.settings.forms import LanguageForm, TextSizeForm

    app.add_template_filter(kilobytes)
    app.add_template_filter(isolate)
    app.add_template_filter(isolate_text)
    # The host a sender's link leads to, shown next to it.
    app.add_template_global(sender_host)
    # Dates in the reader's language and the Dutch time zone.
    app.add_template_global(format_date)
    app.add_template_global(format_datetime)
    app.add_template_filter(long_date)
    app.add_template_filter(local_time)
    # The main menu, and the first page a grant opens (the site name links there).
    app.context_processor(lambda: {"main_menu": main_menu()})
    # Practice mode (PORTAL_MODE=practice): the bar on every page, components/practice_bar.html.
    app.context_processor(practice_context)
    app.add_template_global(policy.first_endpoint)
    # Larger text and spacing, chosen with the form in the footer.
    app.context_processor(reading_context)
    # Help at the spot: each page names the topics it shows (portal/help/topics.py).
    app.add_template_global(help_topic)
    # Limits stated in texts, from where they are set: {{ limits.idle_minutes }}.
    app.context_processor(lambda: {"limits": stated_limits()})
    # The small forms every page may show, never filled from what was posted (the page may
    # answer another form's POST): the language menu, larger text, a button's CSRF token.
    app.add_template_global(unposted(LanguageForm), "language_form")
    app.add_template_global(unposted(TextSizeForm), "text_size_form")
    app.add_template_global(unposted(ButtonForm), "button_form")
    # The page a small form (language, text size) returns to: only a known page of this site.
    app.add_template_global(current_page)
    # "Wat moet ik doen?" on every letter and case, from their structured fields.
    app.add_template_global(lambda letter: what_to_do.for_letter(letter, utcnow()), "what_to_do_for_letter")
    app.add_template_global(lambda case: what_to_do.for_case(case, utcnow()), "what_to_do_for_case")
