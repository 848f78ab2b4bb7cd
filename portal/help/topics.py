"""Help topics: the explanation at the spot where someone is stuck (R11), never a FAQ page.

Each topic is a content file in ``portal/help/topics/<slug>.toml`` with a ``question`` (the
disclosure's summary) and ``text`` (paragraphs, which may hold ``%(name)s`` values the page
passes in, and every limit of ``portal.stated_limits`` such as ``%(mandate_years)s``). The strings are msgids: ``extract_topics`` hands them to pybabel, so topics are
translated in the same catalogues as every other text. A page declares a topic by calling
``help_topic("slug")`` in its template, next to the thing it explains; it renders as a
``<details>`` element that opens in place, by keyboard and without JavaScript.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from flask import current_app
from flask_babel import gettext
from markupsafe import Markup

TOPICS_DIR = Path(__file__).parent / "topics"
# The id of a topic's disclosure, so a link can point at it: "#hulp-<slug>".
ID_PREFIX = "hulp-"


@dataclass(frozen=True)
class Topic:
    slug: str
    question: str
    text: tuple[str, ...]

    @property
    def element_id(self) -> str:
        return ID_PREFIX + self.slug


def _read(path: Path) -> Topic:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    question, text = data.get("question"), data.get("text")
    if not isinstance(question, str) or not question.strip():
        raise ValueError(f"{path.name}: 'question' must be a non-empty string")
    if not isinstance(text, list) or not text or not all(isinstance(p, str) and p.strip() for p in text):
        raise ValueError(f"{path.name}: 'text' must be a list of non-empty paragraphs")
    return Topic(slug=path.stem, question=question, text=tuple(text))


@cache
def all_topics() -> dict[str, Topic]:
    """Every topic by slug, read once per process."""
    return {path.stem: _read(path) for path in sorted(TOPICS_DIR.glob("*.toml"))}


def topic(slug: str) -> Topic:
    try:
        return all_topics()[slug]
    except KeyError:
        raise LookupError(f"No help topic {slug!r} in {TOPICS_DIR}") from None


def help_topic(slug: str, *, link: tuple[str, str] | None = None, **values: Any) -> Markup:
    """The disclosure of one topic, in the reader's language. ``values`` fill the
    ``%(name)s`` places in the text; ``link`` (href, text) adds a way onward."""
    from portal.stated_limits import stated_limits  # it imports the domain; topics load early

    found = topic(slug)
    values = {**stated_limits().as_values(), **values}
    paragraphs = [gettext(paragraph, **values) for paragraph in found.text]
    # The component needs no page context: render it without running every context
    # processor again for each topic on the page.
    template = current_app.jinja_env.get_template("components/help.html")
    return Markup(
        template.render(
            element_id=found.element_id,
            question=gettext(found.question),
            paragraphs=paragraphs,
            link=link,
        )
    )


def extract_topics(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """pybabel extraction method for topic files (see babel.cfg): every question and paragraph
    becomes a msgid, with the topic named in a comment for the translator."""
    source = fileobj.read().decode("utf-8")
    data = tomllib.loads(source)
    lines = source.splitlines()
    slug = Path(getattr(fileobj, "name", "topic")).stem

    def line_of(message: str) -> int:
        for number, line in enumerate(lines, start=1):
            if message[:40] in line:
                return number
        return 1

    comment = [f"Help topic {slug}"]
    for message in [data.get("question", ""), *data.get("text", [])]:
        if message:
            yield line_of(message), "gettext", message, comment
