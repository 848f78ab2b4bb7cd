"""Attachment rules for a letter (rule R4)."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from portal.domain.pdf_content import PdfRefusal, refusal
from portal.textcheck import BIDI_CONTROLS

MAX_PERSONAL_ATTACHMENTS = 2
MAX_PERSONAL_BYTES = 500 * 1024
MAX_GENERAL_ATTACHMENTS = 3
MAX_GENERAL_BYTES = 2 * 1024 * 1024
MAX_FILENAME_LENGTH = 100  # characters, after NFC normalisation, ".pdf" included
FILENAME_EXTENSION = ".pdf"  # every attachment is a PDF (judged by content too: ``is_pdf``)
FILENAME_RULE_TEXT = (
    f"A file name has 1 to {MAX_FILENAME_LENGTH} characters before and including {FILENAME_EXTENSION!r}, "
    "ends in .pdf, is in Unicode NFC, and has no '/', '\\', control or bidirectional control characters."
)


class AttachmentRule(enum.StrEnum):
    """Stable machine codes for a broken attachment rule."""

    TOO_MANY_PERSONAL = "too_many_personal_attachments"
    PERSONAL_TOO_LARGE = "personal_attachments_too_large"
    TOO_MANY_GENERAL = "too_many_general_attachments"
    GENERAL_TOO_LARGE = "general_attachments_too_large"
    BAD_FILENAME = "attachment_bad_filename"
    # What the content check finds (``portal.domain.pdf_content``).
    NOT_PDF = PdfRefusal.NOT_PDF.value
    PDF_ENCRYPTED = PdfRefusal.ENCRYPTED.value
    PDF_ACTIVE_CONTENT = PdfRefusal.ACTIVE_CONTENT.value
    PDF_EMBEDDED_FILE = PdfRefusal.EMBEDDED_FILE.value
    PDF_LAUNCH_ACTION = PdfRefusal.LAUNCH_ACTION.value


@dataclass(frozen=True)
class AttachmentFile:
    filename: str
    content: bytes
    personal: bool


class AttachmentError(ValueError):
    def __init__(self, rule: AttachmentRule, index: int | None = None) -> None:
        super().__init__(rule.value)
        self.rule = rule
        self.index = index


def is_pdf(content: bytes) -> bool:
    """Judged by content, not by name: a PDF that parses and only shows pages."""
    return refusal(content) is None


def normal_filename(name: str) -> str:
    """A file name as it is checked and stored: NFC (the same letters typed on another system
    compare equal), without surrounding spaces."""
    return unicodedata.normalize("NFC", name).strip()


def is_good_filename(name: str) -> bool:
    """A name the download can always send under, that shows what it is: see
    ``FILENAME_RULE_TEXT``."""
    if not name or len(name) > MAX_FILENAME_LENGTH or name != normal_filename(name):
        return False
    if not name.lower().endswith(FILENAME_EXTENSION) or not name[: -len(FILENAME_EXTENSION)].strip():
        return False
    return not any(
        char in "/\\" or char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp")
        for char in name
    )


def download_name(name: str) -> str:
    """The name a download is sent under. Accepted names pass unchanged; a name stored before
    the rule existed loses what a header cannot carry or a reader could be fooled by."""
    if is_good_filename(name):
        return name
    kept = "".join(
        "_" if char in "/\\" or char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in normal_filename(name)
    )
    stem = kept[: -len(FILENAME_EXTENSION)] if kept.lower().endswith(FILENAME_EXTENSION) else kept
    stem = stem.strip()[: MAX_FILENAME_LENGTH - len(FILENAME_EXTENSION)] or "document"
    return stem + FILENAME_EXTENSION


def check_attachments(files: Sequence[AttachmentFile]) -> None:
    """Raise AttachmentError for the first rule the files break; the limits are inclusive."""
    for index, item in enumerate(files):
        if not is_good_filename(item.filename):
            raise AttachmentError(AttachmentRule.BAD_FILENAME, index)
        found = refusal(item.content)
        if found is not None:
            raise AttachmentError(AttachmentRule(found.value), index)
    personal = [f for f in files if f.personal]
    general = [f for f in files if not f.personal]
    if len(personal) > MAX_PERSONAL_ATTACHMENTS:
        raise AttachmentError(AttachmentRule.TOO_MANY_PERSONAL)
    if sum(len(f.content) for f in personal) > MAX_PERSONAL_BYTES:
        raise AttachmentError(AttachmentRule.PERSONAL_TOO_LARGE)
    if len(general) > MAX_GENERAL_ATTACHMENTS:
        raise AttachmentError(AttachmentRule.TOO_MANY_GENERAL)
    if sum(len(f.content) for f in general) > MAX_GENERAL_BYTES:
        raise AttachmentError(AttachmentRule.GENERAL_TOO_LARGE)
