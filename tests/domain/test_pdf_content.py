"""Rule R4, by content: an attachment is a PDF that parses and only shows pages.

The corpus of bad files (tests/support/pdfs.py ``CORPUS``) is made in the tests, each file
with one thing a PDF reader could run, unpack or not show.
"""

from __future__ import annotations

import pytest

from portal.demo.pdf import letter_pdf
from portal.domain.attachments import AttachmentError, AttachmentFile, AttachmentRule, check_attachments
from portal.domain.pdf_content import MAX_PDF_OBJECTS, PdfRefusal, refusal
from tests.support import pdfs
from tests.support.pdfs import CORPUS

@pytest.mark.parametrize("name", list(CORPUS))
def test_every_bad_file_of_the_corpus_is_refused_with_its_code(name: str) -> None:
    content, expected = CORPUS[name]
    assert refusal(content) is expected


@pytest.mark.parametrize("name", list(CORPUS))
def test_the_attachment_check_gives_the_same_code_for_the_file(name: str) -> None:
    content, expected = CORPUS[name]
    with pytest.raises(AttachmentError) as caught:
        check_attachments([AttachmentFile("brief.pdf", content, personal=True)])
    assert caught.value.rule is AttachmentRule(expected.value)


def test_clean_files_pass() -> None:
    assert refusal(pdfs.clean_pdf()) is None
    # Going to a page when opened is no action that runs anything.
    assert refusal(pdfs.clean_pdf(catalog_extra=b"/OpenAction [3 0 R /Fit] ")) is None
    assert refusal(pdfs.clean_pdf(catalog_extra=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> ")) is None
    # A link to a web page that the reader follows only when clicked.
    assert refusal(pdfs.clean_pdf(page_extra=b"/Annots [6 0 R] ", more=[
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /URI /URI (https://example.org/) >> >>"
    ])) is None
    assert refusal(pdfs.with_object_stream(b"<< /Type /Catalog /Pages 2 0 R >>")) is None
    assert refusal(pdfs.incremental_update(pdfs.clean_pdf(), 1, b"<< /Type /Catalog /Pages 2 0 R >>")) is None
    assert refusal(pdfs.written("nothing")) is None


def test_the_demo_letters_pass() -> None:
    assert refusal(letter_pdf("Aanslag", ["Een regel."] * 80, recipient=["J. de Vries"])) is None


def test_the_test_files_of_an_exact_size_are_clean_pdfs() -> None:
    for size in (700, 1000, 512_000, 2 * 1024 * 1024):
        made = pdfs.pdf_of_size(size)
        assert len(made) == size
        assert refusal(made) is None


def test_a_file_with_more_objects_than_the_limit_is_refused() -> None:
    many = b"[" + b"[] " * MAX_PDF_OBJECTS + b"]"
    assert refusal(pdfs.clean_pdf(catalog_extra=b"/Filler 6 0 R ", more=[many])) is PdfRefusal.NOT_PDF
    fewer = b"[" + b"[] " * (MAX_PDF_OBJECTS // 2) + b"]"
    assert refusal(pdfs.clean_pdf(catalog_extra=b"/Filler 6 0 R ", more=[fewer])) is None
