import re
from datetime import date

import pytest

from portal.demo.pdf import PdfTextError, dutch_date, leaflet_pdf, letter_pdf
from portal.domain.attachments import is_pdf

DUTCH = ["Beste heer Ëlmar, u heeft één brief.", "", "Betaal € 312 vóór 3 maart. Coördinatie, café."]


def _letter(**changes) -> bytes:
    args = {
        "sender": "Belastingdienst",
        "recipient": ["Joke de Vries", "Lindelaan 12", "3581 AB Utrecht"],
        "dated": date(2026, 11, 19),
        "reference": "IB-2026-000001",
    }
    args.update(changes)
    return letter_pdf("Uw aanslag inkomstenbelasting 2025", DUTCH, **args)


def test_letter_pdf_is_a_small_real_pdf():
    content = _letter()
    assert content.startswith(b"%PDF-")
    assert is_pdf(content)
    assert len(content) < 10 * 1024


def test_leaflet_pdf_is_a_small_real_pdf():
    content = leaflet_pdf("Hoe bepalen wij de WOZ-waarde?", DUTCH, sender="Gemeente Utrecht")
    assert content.startswith(b"%PDF-")
    assert is_pdf(content)
    assert len(content) < 10 * 1024


def test_letter_pdf_with_only_title_and_lines():
    assert is_pdf(letter_pdf("Titel", ["Een regel."]))


def test_same_input_gives_same_bytes():
    assert _letter() == _letter()
    assert leaflet_pdf("Uitleg", DUTCH) == leaflet_pdf("Uitleg", DUTCH)


def test_different_input_gives_different_bytes():
    assert _letter() != _letter(reference="IB-2026-000002")
    assert _letter() != _letter(dated=date(2026, 11, 18))


def test_text_the_core_fonts_cannot_show_is_refused():
    with pytest.raises(PdfTextError):
        letter_pdf("Pijl →", ["tekst"])


def test_long_text_flows_onto_more_pages():
    content = letter_pdf("Lang", ["Een zin die best lang is. " * 20] * 40)
    assert is_pdf(content)
    assert len(re.findall(rb"/Type /Page(?!s)", content)) >= 2


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2026, 3, 3), "3 maart 2026"), (date(2025, 12, 31), "31 december 2025")],
)
def test_dutch_date(day, text):
    assert dutch_date(day) == text
