"""Where the portal may send someone back to: only a path on this site, never an open redirect.

A browser reads more than it shows: it drops tabs and line breaks anywhere in a URL, and reads
"\\" as "/". So "/\\t/evil.example" and "/\\evil.example" both lead to another site. Only a plain
path passes: printable ASCII without a backslash, no scheme, no host, and not "//".
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for

# Printable ASCII, space excluded: what url_for writes. Anything else is refused outright.
_PLAIN = frozenset(chr(code) for code in range(0x21, 0x7F)) - {"\\"}


def is_local_path(target: object) -> bool:
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return False
    if not set(target) <= _PLAIN:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/")


def current_page() -> str:
    """This page, for a form that returns here (language, text size): only a page the site
    knows. An unknown address (the 404 page) is never copied into a form: it returns to the
    start page instead."""
    if request.url_rule is None:
        return url_for("start.index")
    target = request.full_path if request.query_string else request.path
    return target if is_local_path(target) else url_for("start.index")
