"""Text the portal refuses to store: NUL, lone surrogates and control characters other than
tab and line breaks. PostgreSQL cannot store NUL, UTF-8 cannot encode a lone surrogate, and
neither belongs in a letter, a case or a form."""

from __future__ import annotations

import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Characters that change the order in which text is shown: "factuur\u202efdp.exe" shows as
# "factuurexe.pdf". Refused in file names (``portal.domain.attachments``); in letter and case
# text the pages isolate them (``portal.templating.isolate``) so they reorder nothing after.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def is_safe_text(value: str) -> bool:
    return _UNSAFE.search(value) is None


def first_unsafe(value: Any, pointer: str = "") -> str | None:
    """The JSON pointer of the first string (key or value) with unsafe text, else None."""
    if isinstance(value, str):
        return None if is_safe_text(value) else pointer
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{pointer}/{key}"
            if isinstance(key, str) and not is_safe_text(key):
                return pointer or "/"
            found = first_unsafe(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = first_unsafe(item, f"{pointer}/{index}")
            if found is not None:
                return found
    return None
