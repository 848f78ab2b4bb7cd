"""What an attached PDF may hold (rule R4): pages a reader shows, nothing it runs or unpacks.

Every attachment is parsed with pypdf (pure Python, maintained, with limits against
decompression bombs), and every object in it is looked at: the objects its cross-reference
tables list, those packed in object streams, and those reachable from the trailer. A PDF
is refused when it is encrypted (its content cannot be checked), when it holds JavaScript
or actions that run by themselves, an embedded file, or an action that starts a program.
Names are compared after pypdf decoded them, so ``/J#53`` is ``/JS``.
"""

from __future__ import annotations

import enum
import io
import logging
from collections.abc import Iterable, Iterator

from pypdf import PdfReader, apply_configuration
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

PDF_MAGIC = b"%PDF-"
PDF_END_MARKER = b"%%EOF"
# Where the end marker must be: a reader looks for it in the last kilobyte.
END_MARKER_WINDOW = 1024
# More dictionaries and arrays than any letter has (a 20-page letter with images has a few
# hundred); a file with more is refused as one we cannot check, rather than walked for long.
MAX_PDF_OBJECTS = 20_000
# How much the check lets pypdf unpack (object streams) for one attachment: ten times the
# largest attachment (R4: 2 MB), far under pypdf's own default of 75 MB.
MAX_PDF_UNPACKED_BYTES = 20 * 1024 * 1024

# Keys that hold or start JavaScript, or make a reader act without being asked.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/XFA"})
_SCRIPT_SUBTYPES = frozenset({"/RichMedia"})
# An /OpenAction may only go to a place in the document: a destination, or a GoTo action.
_HARMLESS_OPEN_ACTION = "/GoTo"
_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
_EMBEDDED_TYPES = frozenset({"/EmbeddedFile"})
_EMBEDDED_SUBTYPES = frozenset({"/FileAttachment"})

# pypdf reports repaired damage through logging; the check's answer says all there is.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class PdfRefusal(enum.StrEnum):
    """Why a file is not accepted as a PDF attachment. The values are stable API codes."""

    NOT_PDF = "attachment_not_pdf"
    ENCRYPTED = "attachment_pdf_encrypted"
    ACTIVE_CONTENT = "attachment_pdf_active_content"
    EMBEDDED_FILE = "attachment_pdf_embedded_file"
    LAUNCH_ACTION = "attachment_pdf_launch_action"


class _TooComplex(Exception):
    pass


def looks_like_pdf(content: bytes) -> bool:
    """The quick test before parsing: ``%PDF-`` first, the end marker in the last kilobyte."""
    return content.startswith(PDF_MAGIC) and PDF_END_MARKER in content[-END_MARKER_WINDOW:]


def refusal(content: bytes) -> PdfRefusal | None:
    """Why ``content`` is refused as an attachment, or None for a PDF that only shows pages."""
    if not looks_like_pdf(content):
        return PdfRefusal.NOT_PDF
    try:
        with apply_configuration(
            zlib_maximum_output_length=MAX_PDF_UNPACKED_BYTES,
            lzw_maximum_output_length=MAX_PDF_UNPACKED_BYTES,
            run_length_maximum_output_length=MAX_PDF_UNPACKED_BYTES,
            brotli_maximum_output_length=MAX_PDF_UNPACKED_BYTES,
            maximum_declared_stream_length=MAX_PDF_UNPACKED_BYTES,
        ):
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                return PdfRefusal.ENCRYPTED
            if len(reader.pages) == 0:
                return PdfRefusal.NOT_PDF
            for item in _every_dictionary(reader):
                found = _refusal_of(item)
                if found is not None:
                    return found
    # A parser fed untrusted bytes fails in many ways (its own errors, but also ValueError,
    # KeyError, RecursionError …): whatever it is, the file is no PDF we can vouch for.
    except Exception:
        return PdfRefusal.NOT_PDF
    return None


def _refusal_of(item: DictionaryObject) -> PdfRefusal | None:
    kind, subtype = item.get("/S"), item.get("/Subtype")
    if kind == "/Launch":
        return PdfRefusal.LAUNCH_ACTION
    if kind == "/JavaScript" or subtype in _SCRIPT_SUBTYPES or not _SCRIPT_KEYS.isdisjoint(item.keys()):
        return PdfRefusal.ACTIVE_CONTENT
    if "/OpenAction" in item:
        action = item["/OpenAction"].get_object()
        if isinstance(action, DictionaryObject) and action.get("/S") != _HARMLESS_OPEN_ACTION:
            return PdfRefusal.ACTIVE_CONTENT
    if (
        not _EMBEDDED_KEYS.isdisjoint(item.keys())
        or item.get("/Type") in _EMBEDDED_TYPES
        or subtype in _EMBEDDED_SUBTYPES
    ):
        return PdfRefusal.EMBEDDED_FILE
    return None


def _every_dictionary(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary (streams included) in the file, each once; without recursion."""
    stack: list[PdfObject] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    walked = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if not isinstance(item, (DictionaryObject, ArrayObject)):
            continue
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            raise _TooComplex
        if isinstance(item, DictionaryObject):
            yield item
        stack.extend(_containers(item.values() if isinstance(item, DictionaryObject) else item))


def _containers(items: Iterable[PdfObject]) -> Iterator[PdfObject]:
    return (item for item in items if isinstance(item, (IndirectObject, DictionaryObject, ArrayObject)))
