"""The catalogues: the template is current, and every language has every string."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from portal.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def test_every_catalogue_is_a_language_of_the_portal() -> None:
    """A catalogue made with `scripts/translations add` counts only once portal/i18n.py lists
    its language; then every test, the menu and the browser sweeps take it."""
    catalogues = {path.name for path in TRANSLATIONS.iterdir() if path.is_dir()}
    assert catalogues == set(LANGUAGES)


def test_message_template_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", "babel.cfg", "-k", "_", "-k", "gettext",
         "-k", "ngettext:1,2", "-k", "lazy_gettext", "--no-location", "--sort-output",
         "--omit-header", "-o", str(fresh), "portal"],
        cwd=ROOT, check=True, capture_output=True,
    )
    committed = read(TRANSLATIONS / "messages.pot")
    assert ids(read(fresh)) == ids(committed), "Run ./scripts/translations update"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_string_is_translated(language: str) -> None:
    template = read(TRANSLATIONS / "messages.pot")
    catalog = read(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)
    missing = []
    for message in template:
        if not message.id:
            continue
        translated: Message | None = catalog.get(message.id)
        if translated is None or translated.fuzzy or not _complete(translated.string):
            missing.append(message.id)
            continue
        assert _placeholders(message.id) == _placeholders(translated.string), message.id
    assert missing == [], f"{language}: {len(missing)} strings without translation"


def _complete(string: object) -> bool:
    if isinstance(string, tuple):
        return all(part.strip() for part in string)
    return bool(str(string).strip())


def _placeholders(value: object) -> set[str]:
    parts = value if isinstance(value, tuple) else (value,)
    return {name for part in parts for name in PLACEHOLDER.findall(str(part))}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_compiled_catalogue_is_current(language: str) -> None:
    po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, "Run ./scripts/translations compile"
