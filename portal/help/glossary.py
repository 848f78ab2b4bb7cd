"""Government words explained where they appear, the first time on a page (issue 5, R11).

The words and their meanings are a content file, ``glossary.toml``, translated in the
catalogues like every other text: each language names the forms of the word as they appear in
its text ("beschikking|beschikkingen") and gives the meaning. After a page is rendered, the
first time each word appears in the running text of ``<main>``, its meaning follows in
brackets: "uw BSN (uw persoonlijke nummer bij de overheid)". That works without JavaScript and
is read by every screen reader. Headings, links, buttons, labels, form controls and quotations
are left alone: their text must stay short, is often a name the reader clicks, or is someone
else's words; so is any element marked ``data-no-glossary``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Flask, Response, request
from flask_babel import get_locale, gettext
from markupsafe import escape

from portal.extensions import htmx

GLOSSARY_FILE = Path(__file__).parent / "glossary.toml"
# The practice DigiD stands in for an outside login service: its pages are not ours to explain.
NOT_EXPLAINED = frozenset({"practice_digid"})
WORD_SEPARATOR = "|"

# Elements whose text is never extended with a meaning.
_LEFT_ALONE = frozenset(
    {"a", "button", "label", "legend", "summary", "option", "select", "textarea", "script",
     "style", "title", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "th",
     "q"}  # a quotation (a letter's subject in the log) is someone else's words
)
# Any element can opt out: a status message, a control's description read at every visit.
_OPT_OUT = "data-no-glossary"
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_TOKEN = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_MAIN = re.compile(r"(<main\b[^>]*>)(.*)(</main>)", re.S)


@dataclass(frozen=True)
class Entry:
    key: str
    words: str  # msgid: the forms, separated by "|"
    meaning: str  # msgid


@cache
def entries() -> tuple[Entry, ...]:
    data = tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
    return tuple(Entry(key, item["words"], item["meaning"]) for key, item in data.items())


@dataclass(frozen=True)
class _Language:
    pattern: re.Pattern[str] | None
    key_of: dict[str, str]  # a form, lower case -> entry key
    forms: frozenset[str]  # the forms as written
    meaning_of: dict[str, str]  # entry key -> meaning in this language


@cache
def _language(locale: str) -> _Language:
    """The words and meanings in one language (called inside a request, in that language)."""
    key_of: dict[str, str] = {}
    meaning_of: dict[str, str] = {}
    written: set[str] = set()
    for entry in entries():
        meaning_of[entry.key] = gettext(entry.meaning)
        for form in gettext(entry.words).split(WORD_SEPARATOR):
            if form.strip():
                written.add(form.strip())
                key_of.setdefault(form.strip().lower(), entry.key)
    if not key_of:
        return _Language(None, key_of, frozenset(), meaning_of)
    forms = sorted(key_of, key=len, reverse=True)  # "WOZ-waarde" before "WOZ"
    alternatives = "|".join(re.escape(form) for form in forms)
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return _Language(pattern, key_of, frozenset(written), meaning_of)


def explain_first_use(html: str, locale: str) -> str:
    """``html`` with each glossary word's meaning after its first use in ``<main>``'s text."""
    found = _MAIN.search(html)
    if found is None:
        return html
    language = _language(locale)
    if language.pattern is None:
        return html
    explained: set[str] = set()
    parts: list[str] = []
    left_alone: list[str] = []  # open elements whose text stays as it is
    inner = found.group(2)
    position = 0
    for token in _TOKEN.finditer(inner):
        text = inner[position:token.start()]
        parts.append(text if left_alone else _explain(text, language, explained))
        tag = token.group(0)
        parts.append(tag)
        _track(tag, left_alone)
        position = token.end()
    tail = inner[position:]
    parts.append(tail if left_alone else _explain(tail, language, explained))
    return html[: found.start(2)] + "".join(parts) + html[found.end(2):]


def _track(tag: str, left_alone: list[str]) -> None:
    """Keep the stack of open elements from the first one left alone down (every element
    inside it is pushed too, so a nested element of the same name does not end it early)."""
    name_match = _TAG_NAME.match(tag)
    if name_match is None or tag.startswith("<!"):
        return
    name = name_match.group(1).lower()
    if tag.startswith("</"):
        if left_alone and left_alone[-1] == name:
            left_alone.pop()
    elif name not in _VOID and not tag.endswith("/>") and (
        left_alone or name in _LEFT_ALONE or _OPT_OUT in tag
    ):
        left_alone.append(name)


def _explain(text: str, language: _Language, explained: set[str]) -> str:
    if not text.strip() or language.pattern is None:
        return text
    pieces: list[str] = []
    position = 0
    for match in language.pattern.finditer(text):
        key = language.key_of.get(match.group(0).lower())
        if key is None:
            continue  # matched only by case folding (Turkish "İ" lowers to two letters)
        if key in explained or not _as_written(match.group(0), text[: match.start()], language):
            continue
        if text[match.start() - 1 : match.start()] == "(" and text[match.end() : match.end() + 1] == ")":
            continue  # "Basisregistratie Personen (BRP)": the word is the short form of what it follows
        explained.add(key)
        pieces.append(text[position:match.end()])
        meaning = escape(language.meaning_of[key])
        pieces.append(f'<span class="term-meaning"> ({meaning})</span>')
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _as_written(word: str, before: str, language: _Language) -> bool:
    """The word as the glossary writes it, or with a capital at the start of a sentence.
    A capital elsewhere is a name ("Dienst Toeslagen"), which needs no explanation."""
    if word in language.forms:
        return True
    lowered = word[:1].lower() + word[1:]
    starts_sentence = not before.strip() or before.rstrip()[-1] in ".?!:"
    return lowered in language.forms and starts_sentence


def _explain_response(response: Response) -> Response:
    if (
        response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or htmx  # a part of a page that already explained them
        or request.blueprint in NOT_EXPLAINED
    ):
        return response
    html = response.get_data(as_text=True)
    response.set_data(explain_first_use(html, str(get_locale() or "nl")))
    return response


def init_app(app: Flask) -> None:
    app.after_request(_explain_response)


def extract_glossary(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """pybabel extraction method for glossary.toml (see babel.cfg)."""
    source = fileobj.read().decode("utf-8")
    data = tomllib.loads(source)
    lines = source.splitlines()
    for key, item in data.items():
        line = next((n for n, text in enumerate(lines, 1) if text.strip() == f"[{key}]"), 1)
        yield line + 1, "gettext", item["words"], [
            f"Glossary {key}: the forms of the word as they appear in text, separated by |"
        ]
        yield line + 2, "gettext", item["meaning"], [f"Glossary {key}: what the word means"]
