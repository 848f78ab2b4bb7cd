"""Issue 16, item 3: attachment names. Through the API any extension, a right-to-left
override and CR/LF were accepted; a CR or LF then made every download of it a 500."""

from __future__ import annotations

import base64
import unicodedata
import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.http import parse_options_header

from portal.demo.pdf import letter_pdf
from portal.domain.attachments import MAX_FILENAME_LENGTH
from portal.models import Attachment, Letter
from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter, letters_in_box
from tests.support.html import CheckedClient
from tests.support.login import log_in

PDF = base64.b64encode(letter_pdf("Bijlage", ["Test"])).decode()


def with_attachment(name: str, **changes: Any) -> dict[str, Any]:
    return letter(attachments=[{"filename": name, "kind": "personal", "content": PDF}], **changes)


@pytest.mark.parametrize(
    "name",
    [
        "brief.html",
        "brief.svg",
        "brief.pdf.exe",
        "factuur\u202efdp.exe",  # shows as "factuurexe.pdf"
        "factuur\u202e.pdf",  # a bidi control even with the right extension
        "brief\u2066.pdf",
        "brief\r\n.pdf",
        "brief\n.pdf",
        "brief\x85.pdf",
        "brief\u2028.pdf",
        ".pdf",
        "   .pdf",
        "a/b.pdf",
        "a\\b.pdf",
        "x" * (MAX_FILENAME_LENGTH - 3) + ".pdf",  # one over the limit
    ],
)
def test_names_that_are_not_a_plain_pdf_name_are_refused(belastingdienst: ApiCaller, db: Session, name: str) -> None:
    response = belastingdienst.post("/letters", json=with_attachment(name))
    assert response.status_code == 422, name
    assert response.json["code"] == "attachment_bad_filename"
    assert response.json["pointer"] == "/attachments/0/filename"
    assert ".pdf" in response.json["detail"]
    assert letters_in_box(db, "T-2026-0001") == 0


def download(client: CheckedClient, db: Session, letter_id: str) -> tuple[int, str]:
    placed = db.get(Letter, uuid.UUID(letter_id))
    assert placed is not None
    item = placed.attachments[0]
    response = client.get(f"/berichten/{placed.id}/bijlagen/{item.id}")
    _kind, options = parse_options_header(response.headers.get("Content-Disposition", ""))
    return response.status_code, options.get("filename*", options.get("filename", ""))


@pytest.mark.parametrize(
    "name",
    [
        "aanslag.pdf",
        "AANSLAG.PDF",
        "Beschikking WOZ 2026 (definitief).pdf",
        'brief "met" aanhalingstekens; en = tekens.pdf',
        "100% zeker, echt waar.pdf",
        "besluit-ğüşıöç.pdf",
        "رسالة.pdf",
        "лист.pdf",
        "x" * (MAX_FILENAME_LENGTH - 4) + ".pdf",  # exactly at the limit
    ],
)
def test_every_accepted_name_downloads_under_that_name(
    belastingdienst: ApiCaller, client: CheckedClient, db: Session, name: str
) -> None:
    response = belastingdienst.post("/letters", json=with_attachment(name))
    assert response.status_code == 201, response.json
    log_in(client, db, "joke")
    assert download(client, db, response.json["letter_id"]) == (200, name)


def test_a_decomposed_name_is_stored_as_nfc(belastingdienst: ApiCaller, client: CheckedClient, db: Session) -> None:
    sent = "e\u0301" * 49 + ".pdf"  # 102 characters as sent; 53 in NFC
    response = belastingdienst.post("/letters", json=with_attachment(sent))
    assert response.status_code == 201, response.json
    stored = db.scalar(select(Attachment.filename).join(Letter).where(Letter.reference == "T-2026-0001"))
    assert stored == unicodedata.normalize("NFC", sent) == "\u00e9" * 49 + ".pdf"
    log_in(client, db, "joke")
    assert download(client, db, response.json["letter_id"]) == (200, stored)


@pytest.mark.parametrize(
    ("stored", "sent_as"),
    [
        ("brief\r\n.pdf", "brief__.pdf"),
        ("factuur\u202efdp.exe", "factuur_fdp.exe.pdf"),
        ("brief.html", "brief.html.pdf"),
    ],
)
def test_a_name_stored_before_the_rule_still_downloads(
    belastingdienst: ApiCaller, client: CheckedClient, db: Session, stored: str, sent_as: str
) -> None:
    response = belastingdienst.post("/letters", json=with_attachment("goed.pdf"))
    assert response.status_code == 201
    item = db.scalar(select(Attachment).join(Letter).where(Letter.reference == "T-2026-0001"))
    assert item is not None
    item.filename = stored
    db.commit()
    log_in(client, db, "joke")
    assert download(client, db, response.json["letter_id"]) == (200, sent_as)
