"""Small, real PDF files for the demo letters (fpdf2, core fonts).

The same input always gives the same bytes: the creation date is fixed (fpdf2 derives the
document id from the content and that date), so seeding twice gives identical attachments
and tests can compare hashes.

Core fonts are encoded as windows-1252 (a superset of latin-1), so Dutch text with é, ë, ó
and the euro sign works. Characters outside windows-1252 raise ``PdfTextError``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, date, datetime

from fpdf import FPDF

PRACTICE_NOTICE = "Dit is een oefenbrief van Burgerportaal. De gegevens zijn niet echt."
# Any fixed moment will do; it only has to be the same every time.
_FIXED_CREATION = datetime(2020, 1, 1, tzinfo=UTC)
_ENCODING = "windows-1252"
_GREY = (90, 90, 90)


class PdfTextError(ValueError):
    """The text has a character the PDF core fonts cannot show."""


def letter_pdf(
    title: str,
    lines: Sequence[str],
    *,
    sender: str = "Burgerportaal",
    recipient: Sequence[str] = (),
    dated: date | None = None,
    reference: str | None = None,
) -> bytes:
    """A one-page A4 letter: sender header, address block, date and reference, title, text.

    Each item of ``lines`` is a paragraph; an empty string gives a blank line.
    """
    return _letter_pdf(title, tuple(lines), sender, tuple(recipient), dated, reference)


# Making a PDF takes tens of milliseconds and the same demo letters are made again at every
# demo seed (each test that uses the demo data): keep the bytes of those already made.
PDF_CACHE_SIZE = 256


@functools.lru_cache(maxsize=PDF_CACHE_SIZE)
def _letter_pdf(
    title: str,
    lines: tuple[str, ...],
    sender: str,
    recipient: tuple[str, ...],
    dated: date | None,
    reference: str | None,
) -> bytes:
    pdf = _new_document(title, sender)
    _sender_header(pdf, sender)
    if recipient:
        pdf.set_font("Helvetica", size=11)
        for line in recipient:
            pdf.cell(0, 5.5, _text(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
    meta = []
    if dated is not None:
        meta.append(("Datum", dutch_date(dated)))
    if reference:
        meta.append(("Ons kenmerk", reference))
    if meta:
        pdf.set_font("Helvetica", size=10)
        for label, value in meta:
            pdf.set_text_color(*_GREY)
            pdf.cell(32, 5.5, _text(label))
            pdf.set_text_color(0, 0, 0)
            pdf.cell(0, 5.5, _text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    _title_and_text(pdf, title, lines)
    return bytes(pdf.output())


def leaflet_pdf(title: str, lines: Sequence[str], *, sender: str = "Burgerportaal") -> bytes:
    """A general explanation (the same for everyone): sender header, title, text; no address."""
    return _leaflet_pdf(title, tuple(lines), sender)


@functools.lru_cache(maxsize=PDF_CACHE_SIZE)
def _leaflet_pdf(title: str, lines: tuple[str, ...], sender: str) -> bytes:
    pdf = _new_document(title, sender)
    _sender_header(pdf, sender)
    _title_and_text(pdf, title, lines)
    return bytes(pdf.output())


DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def dutch_date(day: date) -> str:
    """``3 maart 2026``: how Dutch letters write a date."""
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


class _DemoPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "I", 8)
        self.set_text_color(*_GREY)
        self.cell(0, 5, _text(PRACTICE_NOTICE), align="C")


def _new_document(title: str, sender: str) -> FPDF:
    pdf = _DemoPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = _ENCODING
    pdf.set_creation_date(_FIXED_CREATION)
    pdf.set_title(_text(title))
    pdf.set_author(_text(sender))
    pdf.set_lang("nl")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()
    return pdf


def _sender_header(pdf: FPDF, sender: str) -> None:
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _text(sender), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*_GREY)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(12)


def _title_and_text(pdf: FPDF, title: str, lines: Sequence[str]) -> None:
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, _text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        if line:
            pdf.multi_cell(0, 5.5, _text(line), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)


def _text(value: str) -> str:
    try:
        value.encode(_ENCODING)
    except UnicodeEncodeError as error:
        raise PdfTextError(f"Not printable with the PDF core fonts: {value!r}") from error
    return value
