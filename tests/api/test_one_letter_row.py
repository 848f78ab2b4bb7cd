"""Issue 15, item 1: a letter is stored the same whether it comes alone or in a batch.

The review found a letter's columns mapped twice (one letter, a batch): dropping `if_not_done`
from the batch mapping failed only that field's own test. Here every column of the stored rows
is compared, taken from the models, so a new column is covered without changing this test; and
the sample must set every field of a draft, so a new field cannot be left out of it silently.
"""

from __future__ import annotations

import base64
import dataclasses
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.api.parsing import letter_request
from portal.demo.pdf import letter_pdf
from portal.domain.letters import LetterDraft
from portal.models import Attachment, Delivery, Letter, LetterEvent
from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter

# Every optional field set to something other than its default.
FULL: dict[str, Any] = {
    "if_not_done": "Dan krijgt u een herinnering.",
    "not_for_helpers": True,
    "attachments": [
        {"filename": "aanslag.pdf", "kind": "personal",
         "content": base64.b64encode(letter_pdf("Aanslag", ["Persoonlijk"])).decode()},
        {"filename": "uitleg.pdf", "kind": "general",
         "content": base64.b64encode(letter_pdf("Uitleg", ["Voor iedereen"])).decode()},
    ],
}
# Differ by nature between two deliveries; everything else must be equal.
OWN = {"id", "letter_id", "reference", "sent_at", "placed_at", "delivered_at", "content_sha256", "signature", "at"}


def columns(row: Any) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in type(row).__table__.columns if column.key not in OWN}


def stored(db: Session, letter_id: str) -> dict[str, Any]:
    key = uuid.UUID(letter_id)
    found = db.get(Letter, key)
    assert found is not None
    delivery = db.scalars(select(Delivery).where(Delivery.letter_id == key)).one()
    events = db.scalars(select(LetterEvent).where(LetterEvent.letter_id == key).order_by(LetterEvent.id)).all()
    attachments = db.scalars(select(Attachment).where(Attachment.letter_id == key).order_by(Attachment.position))
    assert found.sent_at == found.placed_at == delivery.delivered_at
    return {
        "letter": columns(found),
        "attachments": [columns(item) for item in attachments],
        "delivery": columns(delivery),
        "events": [columns(event) for event in events],
    }


def test_the_sample_sets_every_field_of_a_draft() -> None:
    draft = letter_request(letter(**FULL)).draft
    defaults = [field.name for field in dataclasses.fields(LetterDraft)
                if getattr(draft, field.name) in (None, False, (), "")]
    assert defaults == [], "give these fields a value in FULL"


def test_one_letter_and_a_batch_store_the_same_rows(belastingdienst: ApiCaller, db: Session) -> None:
    single = belastingdienst.post("/letters", json=letter(reference="ROW-1", **FULL))
    assert single.status_code == 201, single.json
    batch = belastingdienst.post("/letters/batch", json={"letters": [letter(reference="ROW-2", **FULL)]})
    assert batch.json["results"][0]["status"] == 201, batch.json
    db.expire_all()
    alone = stored(db, single.json["letter_id"])
    in_batch = stored(db, batch.json["results"][0]["receipt"]["letter_id"])
    assert alone == in_batch
    assert len(alone["attachments"]) == 2 and alone["letter"]["if_not_done"] == FULL["if_not_done"]
