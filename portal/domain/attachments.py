"""Attachment rules for a letter (rule R4)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

MAX_PERSONAL_ATTACHMENTS = 2
MAX_PERSONAL_BYTES = 500 * 1024
MAX_GENERAL_ATTACHMENTS = 3
MAX_GENERAL_BYTES = 2 * 1024 * 1024
MAX_FILENAME_LENGTH = 100
PDF_MAGIC = b"%PDF-"


class AttachmentRule(enum.StrEnum):
    """Stable machine codes for a broken attachment rule."""

    TOO_MANY_PERSONAL = "too_many_personal_attachments"
    PERSONAL_TOO_LARGE = "personal_attachments_too_large"
    TOO_MANY_GENERAL = "too_many_general_attachments"
    GENERAL_TOO_LARGE = "general_attachments_too_large"
    NOT_PDF = "attachment_not_pdf"
    BAD_FILENAME = "attachment_bad_filename"


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
    """Judged by content, not by name: a PDF starts with ``%PDF-`` and has an end marker."""
    return content.startswith(PDF_MAGIC) and b"%%EOF" in content[-1024:]


def check_attachments(files: Sequence[AttachmentFile]) -> None:
    """Raise AttachmentError for the first rule the files break; the limits are inclusive."""
    for index, item in enumerate(files):
        name = item.filename
        if not name or len(name) > MAX_FILENAME_LENGTH or "/" in name or "\\" in name:
            raise AttachmentError(AttachmentRule.BAD_FILENAME, index)
        if not is_pdf(item.content):
            raise AttachmentError(AttachmentRule.NOT_PDF, index)
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
