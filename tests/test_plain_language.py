"""Plain language (issue 5, item 4): every Dutch text a citizen reads is B1.

What is checked, on text collected straight from the source, so a new string is covered the
moment it is written:

- every ``_()`` / ``gettext`` / ``ngettext`` / ``lazy_gettext`` string and ``{% trans %}``
  block in ``portal/``, extracted with babel's own extraction API and the project's
  ``babel.cfg`` method map (Python, page templates, e-mail ``.txt`` templates), including the
  practice DigiD: citizens log in there, so they read it;
- every help topic (``portal/help/topics/*.toml``: ``question`` and ``text`` paragraphs) and
  every ``meaning`` in ``portal/help/glossary.toml``, when those files exist;
- every e-mail as a whole, rendered from its template (with the footer and the other parts it
  includes).

Left out because a citizen never reads it: the organisation API (``portal/api/**`` and its
documentation page ``templates/views/api/``), command-line output (``cli.py``) and log lines
(these never use ``_()``).

The rules:

1. No sentence has more than ``MAX_SENTENCE_WORDS`` (20) words, the limit in the issue and the
   usual upper bound in B1 guides (Direct Duidelijk: "gemiddeld 10 tot 15, nooit meer dan
   20"). Sentences end at . ? ! : and at line breaks; a placeholder such as ``%(name)s`` is
   one word.
2. Flesch–Douma (Douma 1960, the Dutch Flesch Reading Ease) ``206.835 − 0.93 × words per
   sentence − 77 × syllables per word``, computed by textstat with language ``nl``:
   every string of at least ``MIN_SCORED_WORDS`` words, every help topic as a whole and every
   e-mail as a whole scores at least ``MIN_FLESCH_DOUMA``.
3. No word from the jargon list (tests/support/jargon.py), and never "je/jij/jouw": the
   portal speaks to a citizen with "u".

Why these numbers:

- ``MIN_FLESCH_DOUMA = 60``. Douma's table reads 60–70 as "normaal / redelijk makkelijk",
  70–80 as "makkelijk"; Dutch B1 guides and readability checkers put B1 text at about 60
  and up, and texts for the general public at 60–70. 60 is the lower edge of that band: a
  plain sentence with the long Dutch words the portal cannot avoid ("burgerservicenummer",
  "Berichtenbox", "vertegenwoordiging") reaches it; a string below it is stiff or built
  from long words and gets rewritten. When this test was written, after rewriting the ten
  strings below 60, the median of the ~250 scored strings was 89 and 17 scored 60–70, all
  short sentences around one such word; a bar of 70 would ban those words, not stiff text.
- ``MIN_SCORED_WORDS = 8``. The formula averages over words and sentences; for a button
  ("Archiveren") or a label ("Lopende zaken") one word decides the score, which says
  nothing about readability. From about eight words (a full short sentence) one long word
  moves the score by at most tens of points instead of hundreds, so the score starts to
  mean something; sentence length is still checked for every string, however short.
- Names the portal cannot reword (``NAMES``: Informatiepunt Digitale Overheid, Oefen-DigiD,
  Belastingdienst, ...) are scored as one short word, like a placeholder: the reader knows
  a name as a unit (it is on the sign in the library), and the formula was made for running
  text, not for proper names. Common nouns like "burgerservicenummer" are scored as they are.

The scoring tool, as read in the installed source (textstat 0.7.13, pyphen 0.18.1):
``textstat.backend.utils.constants.LANG_CONFIGS["nl"]`` is commented "Flesch-Douma" and holds
``fre_base 206.835, fre_sentence_length 0.93, fre_syll_per_word 77``;
``metrics.flesch_reading_ease`` applies exactly ``base − 0.93 × words/sentence − 77 ×
syllables/word``. Syllables are counted as pyphen hyphenation points + 1 with
``Pyphen(lang="nl")``, which loads pyphen's ``hyph_nl_NL.dic`` (cmudict is used for English
only). textstat's sentence counter ignores "sentences" of at most two words (meant for
abbreviations), which only makes the score stricter. ``test_the_scorer_is_flesch_douma``
asserts all this, so an upgrade that changes it fails loudly; pyproject pins
``textstat>=0.7.13`` and ``pyphen>=0.18`` (the versions verified here).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import pyphen
import pytest
from textstat.textstat import textstatistics
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from portal.stated_limits import StatedLimits
from tests.support.jargon import INFORMAL, JARGON

ROOT = Path(__file__).resolve().parents[1]
PORTAL = ROOT / "portal"
TOPICS = PORTAL / "help" / "topics"
GLOSSARY = PORTAL / "help" / "glossary.toml"
EMAILS = PORTAL / "templates" / "emails"

MAX_SENTENCE_WORDS = 20
MIN_FLESCH_DOUMA = 60
MIN_SCORED_WORDS = 8

# Same keywords as ./scripts/translations extract.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}

# Paths (relative to portal/) whose strings no citizen reads.
NOT_FOR_CITIZENS = (
    re.compile(r"^api/"),
    re.compile(r"^templates/views/api/"),
    re.compile(r"(^|/)cli\.py$"),
)

# A placeholder becomes one plausible word, so "%(name)s" counts as one word.
STAND_INS = {
    "action": "lezen", "address": "website", "code": "K7P2Q9", "date": "maandag",
    "days": "14", "desk": "bibliotheek", "first": "Joke", "giver": "Joke", "helper": "Sanne",
    "last": "Vries", "max": "3", "minutes": "15", "months": "6", "name": "Joke",
    "names": "Joke", "num": "3", "number": "12", "organisation": "gemeente", "postcode":
    "3511AB", "reason": "verhuisd", "reference": "A123", "role": "helper", "sender":
    "gemeente", "size": "500", "step": "2", "time": "morgen", "total": "5", "tries": "5",
    "until": "maandag", "what": "post", "years": "5",
}
DEFAULT_STAND_IN = "Joke"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")

# Names the portal cannot reword; scored as one short word (see the module docstring).
NAMES = (
    "Informatiepunt Digitale Overheid", "Informatie Rijksoverheid",
    "Basisregistratie Personen", "Oefen-DigiD", "Burgerportaal", "Belastingdienst",
)

SENTENCE_END = re.compile(r"[.?!:]+(?=\s|$)|\n")
WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Text:
    where: str  # file (and line) it comes from
    text: str   # as written, placeholders and all

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


# --- collecting --------------------------------------------------------------------------


def _citizen_facing(relative: str) -> bool:
    return not any(pattern.search(relative) for pattern in NOT_FOR_CITIZENS)


@cache
def extracted_strings() -> tuple[Text, ...]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PORTAL), method_map, options_map, keywords=KEYWORDS, comment_tags=(),
        strip_comment_tags=True,
    ):
        relative = filename.replace("\\", "/")
        if not _citizen_facing(relative):
            continue
        for part in message if isinstance(message, tuple) else (message,):
            if part:
                found.append(Text(f"portal/{relative}:{lineno}", part))
    return tuple(found)


def _read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def help_topics() -> tuple[tuple[Text, tuple[Text, ...]], ...]:
    """(the topic as a whole, its question and paragraphs) for every help topic file."""
    topics = []
    for path in sorted(TOPICS.glob("*.toml")) if TOPICS.is_dir() else ():
        where = str(path.relative_to(ROOT))
        data = _read_toml(path)
        parts = [Text(f"{where} (question)", data.get("question", ""))]
        paragraphs = data.get("text", [])
        if isinstance(paragraphs, str):
            paragraphs = [paragraphs]
        parts += [Text(f"{where} (text {n})", p) for n, p in enumerate(paragraphs, 1)]
        whole = Text(f"{where} (whole topic)", "\n".join(part.text for part in parts))
        topics.append((whole, tuple(part for part in parts if part.text)))
    return tuple(topics)


def _meanings(value: object, where: str) -> list[Text]:
    if isinstance(value, dict):
        found = []
        if isinstance(value.get("meaning"), str):
            found.append(Text(where, value["meaning"]))
        for key, item in value.items():
            found += _meanings(item, f"{where} [{key}]")
        return found
    if isinstance(value, list):
        return [text for n, item in enumerate(value) for text in _meanings(item, f"{where}[{n}]")]
    return []


@cache
def glossary() -> tuple[Text, ...]:
    if not GLOSSARY.exists():
        return ()
    return tuple(_meanings(_read_toml(GLOSSARY), str(GLOSSARY.relative_to(ROOT))))


@cache
def emails() -> tuple[Text, ...]:
    """Every e-mail rendered whole, in Dutch (the msgids), from its template and includes."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PORTAL / "templates"), extensions=["jinja2.ext.i18n"],
        undefined=jinja2.ChainableUndefined,
    )
    environment.install_null_translations(newstyle=True)
    context = {
        "organisation": STAND_INS["organisation"], "base_url": STAND_INS["address"],
        "settings_url": STAND_INS["address"], "confirm_url": STAND_INS["address"],
        "valid_hours": 24,
        # The limits the portal states, as set by default (portal/stated_limits.py).
        "limits": StatedLimits(idle_minutes=15, session_hours=12, mandate_years=5, minimum_age=14,
                               reminder_weeks=3, visit_minutes=60, code_length=8,
                               practice_idle_hours=8),
    }
    rendered = []
    for path in sorted(EMAILS.glob("*.txt")):
        if path.name.startswith("_"):
            continue  # a part, scored inside the e-mails that include it
        body = environment.get_template(f"emails/{path.name}").render(context)
        rendered.append(Text(f"{path.relative_to(ROOT)} (whole e-mail)", body))
    return tuple(rendered)


@cache
def glossary_word_forms() -> frozenset[str]:
    """The "words" entries of the glossary ("BSN|burgerservicenummer"): the government words
    themselves, listed so the glossary can explain them. Not text, so not checked."""
    if not GLOSSARY.exists():
        return frozenset()
    return frozenset(item["words"] for item in _read_toml(GLOSSARY).values()
                     if isinstance(item, dict) and "words" in item)


@cache
def every_text() -> tuple[Text, ...]:
    """Every citizen string once. babel.cfg has extractors for the help topics and the
    glossary too; the files are also read here, so the test holds whether or not they do."""
    texts = []
    seen = set()
    own = [part for _whole, parts in help_topics() for part in parts] + list(glossary())
    for text in [*extracted_strings(), *own]:
        if text.text in seen:
            continue
        if text.where.startswith("portal/help/glossary.toml") and (
            text.text in glossary_word_forms()
        ):
            continue
        seen.add(text.text)
        texts.append(text)
    return tuple(texts)


# --- measuring ---------------------------------------------------------------------------


def with_stand_ins(text: str) -> str:
    def stand_in(match: re.Match[str]) -> str:
        return STAND_INS.get(match.group(1) or match.group(2), DEFAULT_STAND_IN)

    text = PLACEHOLDER.sub(stand_in, text)
    for name in NAMES:
        text = re.sub(re.escape(name), "Naam", text, flags=re.IGNORECASE)
    return text


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if WORD.search(part)]


def words(sentence: str) -> list[str]:
    return [token for token in sentence.split() if WORD.search(token)]


_scorer = textstatistics()
_scorer.set_lang("nl")
_scorer.set_rounding_points(None)


def flesch_douma(text: str) -> float:
    """Flesch–Douma of the text, each of our sentences ended with a full stop for textstat
    (which only splits on . ? !), so a line or a "Zo leest u uw post:" ends a sentence."""
    return _scorer.flesch_reading_ease(". ".join(sentences(with_stand_ins(text))) + ".")


# --- the rules ---------------------------------------------------------------------------


def test_the_scorer_is_flesch_douma() -> None:
    from textstat.backend.utils.constants import LANG_CONFIGS

    assert LANG_CONFIGS["nl"] == {
        "fre_base": 206.835, "fre_sentence_length": 0.93, "fre_syll_per_word": 77,
    }
    assert Path(pyphen.LANGUAGES[pyphen.language_fallback("nl")]).name == "hyph_nl_NL.dic"
    assert _scorer.syllable_count("gemeentebelastingen") == 7  # ge-meen-te-be-las-tin-gen
    # Two sentences of 5 words, 11 syllables in all (stu-ren has two).
    text = "U hoeft niets te doen. Wij sturen u een brief."
    assert flesch_douma(text) == pytest.approx(206.835 - 0.93 * 5 - 77 * 11 / 10)


def test_collects_text_from_every_kind_of_source() -> None:
    wheres = {text.where.split(":")[0] for text in extracted_strings()}
    assert any(where.startswith("portal/templates/views/") for where in wheres)
    assert any(where.startswith("portal/templates/emails/") for where in wheres)
    assert any(where.startswith("portal/practice_digid/") for where in wheres)
    assert any(where.endswith(".py") for where in wheres)
    assert not any(where.startswith("portal/api/") or where.endswith("cli.py") for where in wheres)
    assert len(emails()) >= 4
    assert all("Berichtenbox" in email.text or "Lopende zaken" in email.text
               or "e-mailadres" in email.text for email in emails())


def test_no_sentence_is_longer_than_20_words() -> None:
    too_long = [
        f"{text.where}: {len(words(sentence))} words in {sentence!r}"
        for text in every_text() + emails()
        for sentence in sentences(with_placeholders_as_words(text.text))
        if len(words(sentence)) > MAX_SENTENCE_WORDS
    ]
    assert too_long == [], "Sentences over 20 words (B1: split them):\n" + "\n".join(too_long)


def with_placeholders_as_words(text: str) -> str:
    return PLACEHOLDER.sub(lambda match: STAND_INS.get(match.group(1) or match.group(2),
                                                       DEFAULT_STAND_IN), text)


def test_strings_of_8_words_or_more_score_60_or_more() -> None:
    hard = []
    for text in every_text():
        if len(words(with_placeholders_as_words(text.text))) < MIN_SCORED_WORDS:
            continue
        score = flesch_douma(text.text)
        if score < MIN_FLESCH_DOUMA:
            hard.append(f"{text}: Flesch–Douma {score:.0f}")
    assert hard == [], (
        f"Texts below Flesch–Douma {MIN_FLESCH_DOUMA} (shorter sentences, shorter words):\n"
        + "\n".join(hard)
    )


def test_every_help_topic_and_email_as_a_whole_scores_60_or_more() -> None:
    wholes = [whole for whole, _parts in help_topics()] + list(emails())
    hard = [f"{text}: Flesch–Douma {flesch_douma(text.text):.0f}" for text in wholes
            if flesch_douma(text.text) < MIN_FLESCH_DOUMA]
    assert hard == [], "Help topics or e-mails below Flesch–Douma 60:\n" + "\n".join(hard)


def _whole_word(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


JARGON_PATTERNS = {phrase: _whole_word(phrase) for phrase in JARGON}
INFORMAL_PATTERNS = {word: _whole_word(word) for word in INFORMAL}


def test_no_jargon() -> None:
    found = [
        f"{text}: {phrase!r} -> use {plain!r}"
        for text in every_text()
        for phrase, plain in JARGON.items()
        if JARGON_PATTERNS[phrase].search(text.text)
    ]
    assert found == [], "Government jargon (use the plain word):\n" + "\n".join(found)


def test_citizens_are_addressed_with_u() -> None:
    found = [
        f"{text}: {word!r} -> use 'u' / 'uw'"
        for text in every_text()
        for word in INFORMAL
        if INFORMAL_PATTERNS[word].search(text.text)
    ]
    assert found == [], "Informal address (the portal says 'u'):\n" + "\n".join(found)


def test_the_checks_catch_what_they_should() -> None:
    assert len(words(with_placeholders_as_words("Kies %(name)s en ga door."))) == 5
    assert sentences("Zo leest u uw post:\n1. Ga naar de site") == [
        "Zo leest u uw post", "1", "Ga naar de site"]
    assert flesch_douma("U heeft nieuwe post. Log in en lees de brief.") > 80
    assert flesch_douma("Indien de belanghebbende voornemens is bezwaar aan te tekenen tegen "
                        "de onderhavige beschikking, dient hij zulks schriftelijk te doen.") < 40
    assert JARGON_PATTERNS["indien"].search("Indien nodig")
    assert not JARGON_PATTERNS["indien"].search("Bezwaar indienen")
    assert INFORMAL_PATTERNS["je"].search("Heb je vragen?")
    assert not INFORMAL_PATTERNS["je"].search("Jeugdzorg en je-ne-sais-quoi")
