"""Delivering letters: rules, exactly once, proof of delivery, track and trace."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from typing import Any

import pytest
from flask import Flask
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.demo.pdf import letter_pdf
from portal.demo.people import by_username
from portal.domain.attachments import MAX_PERSONAL_BYTES
from portal.models import Letter, Subscription
from tests.api.conftest import ApiCaller
from tests.support.pdfs import CORPUS as PDF_CORPUS
from tests.support.pdfs import pdf_of_size
from tests.support.login import account_of

JOKE = by_username("joke").bsn  # type: ignore[union-attr]


def letter(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "bsn": JOKE,
        "letter_type": "aanslag",
        "subject": "Uw aanslag 2026",
        "body": "Beste mevrouw De Vries,\n\nU moet € 12 betalen.",
        "reference": "T-2026-0001",
        "act_by": "2026-12-31",
        "action": "Betaal € 12.",
        "sender_url": "https://www.belastingdienst.nl",
        "attachments": [{
            "filename": "aanslag.pdf",
            "kind": "personal",
            "content": base64.b64encode(letter_pdf("Aanslag", ["Test"])).decode(),
        }],
    }
    body.update(changes)
    return body


def give_joke_an_address(db: Session, now):  # type: ignore[no-untyped-def]
    """Joke has a confirmed e-mail address and e-mail on; returns her account."""
    from portal.models import NotificationSettings

    account = account_of(db, "joke")
    db.add(NotificationSettings(account_id=account.id, email_address="joke@example.org", notify=True,
                                confirmed_at=now))
    db.commit()
    return account


def letters_in_box(db: Session, reference: str) -> int:
    db.expire_all()
    return db.scalar(select(func.count(Letter.id)).where(Letter.reference == reference)) or 0


def test_delivery_places_the_letter_and_returns_signed_proof(
    belastingdienst: ApiCaller, db: Session, client
) -> None:  # type: ignore[no-untyped-def]
    response = belastingdienst.post("/letters", json=letter())
    assert response.status_code == 201
    receipt = response.json
    placed = db.get(Letter, __import__("uuid").UUID(receipt["letter_id"]))
    assert placed.account_id == account_of(db, "joke").id
    assert [a.filename for a in placed.attachments] == ["aanslag.pdf"]
    # The signature checks out against the published key and covers the content hash.
    keys = KeySet.import_key_set(belastingdienst.client.get("/api/v1/jwks.json").json)
    verified = jws.deserialize_compact(receipt["signature"], keys)
    claims = json.loads(verified.payload)
    assert claims["content_sha256"] == receipt["content_sha256"]
    assert claims["letter_id"] == receipt["letter_id"]
    assert claims["organisation_oin"] == belastingdienst.organisation.oin
    # Track and trace.
    status = belastingdienst.get(f"/letters/{receipt['letter_id']}").json
    assert [e["kind"] for e in status["events"]][:2] == ["received", "placed"]


def test_retry_with_the_same_idempotency_key_returns_the_same_receipt(
    belastingdienst: ApiCaller, db: Session
) -> None:
    first = belastingdienst.post("/letters", json=letter(), headers={"Idempotency-Key": "k-1"})
    again = belastingdienst.post("/letters", json=letter(), headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    assert letters_in_box(db, "T-2026-0001") == 1


def test_same_reference_with_other_content_is_a_conflict(belastingdienst: ApiCaller, db: Session) -> None:
    belastingdienst.post("/letters", json=letter())
    response = belastingdienst.post("/letters", json=letter(subject="Iets anders"))
    assert response.status_code == 409
    assert response.json["code"] == "duplicate_reference"
    assert response.json["pointer"] == "/reference"
    assert letters_in_box(db, "T-2026-0001") == 1


def test_references_are_unique_per_organisation_not_globally(
    belastingdienst: ApiCaller, rdw: ApiCaller, db: Session
) -> None:
    assert belastingdienst.post("/letters", json=letter()).status_code == 201
    assert rdw.post("/letters", json=letter(sender_url="https://www.rdw.nl")).status_code == 201
    assert letters_in_box(db, "T-2026-0001") == 2


CONCURRENT_RETRIES = 20


def test_concurrent_retries_place_one_letter(app: Flask, belastingdienst: ApiCaller, db: Session) -> None:
    answers: list[tuple[int, str]] = []
    barrier = threading.Barrier(CONCURRENT_RETRIES)

    def attempt() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/v1/letters",
            json=letter(),
            headers={"Authorization": f"Bearer {belastingdienst.token}", "Idempotency-Key": "same"},
        )
        answers.append((response.status_code, (response.json or {}).get("receipt_id", "")))

    threads = [threading.Thread(target=attempt) for _ in range(CONCURRENT_RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = [status for status, _ in answers]
    assert len(answers) == CONCURRENT_RETRIES
    assert statuses.count(201) == 1 and set(statuses) <= {200, 201}, statuses
    assert len({receipt for _, receipt in answers}) == 1  # the same receipt for everyone
    assert letters_in_box(db, "T-2026-0001") == 1


@pytest.mark.parametrize(
    ("changes", "status", "code", "pointer"),
    [
        ({"bsn": "123456789"}, 422, "invalid_bsn", "/bsn"),
        ({"bsn": by_username("lotte").bsn}, 422, "no_active_box", "/bsn"),  # type: ignore[union-attr]
        ({"subject": "x" * 51}, 422, "subject_too_long", "/subject"),
        ({"reference": "x" * 26}, 422, "reference_too_long", "/reference"),
        ({"sender_url": "http://x.nl"}, 422, "sender_url_not_https", "/sender_url"),
        ({"letter_type": "reclame"}, 422, "invalid_field", "/letter_type"),
        ({"act_by": "morgen"}, 422, "invalid_field", "/act_by"),
        ({"subject": None}, 422, "missing_field", "/subject"),
        ({"attachments": [{"filename": "a.pdf", "kind": "personal", "content": "bm90IGEgcGRm"}]},
         422, "attachment_not_pdf", "/attachments/0"),
        ({"attachments": [{"filename": "a.pdf", "kind": "personal", "content": "%%%"}]},
         422, "invalid_field", "/attachments/0/content"),
    ],
)
def test_rule_breaks_are_problems_with_code_and_pointer(
    belastingdienst: ApiCaller, db: Session, changes: dict[str, Any], status: int, code: str, pointer: str
) -> None:
    response = belastingdienst.post("/letters", json=letter(**changes))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert (response.json["code"], response.json["pointer"]) == (code, pointer)
    assert letters_in_box(db, "T-2026-0001") == 0


def test_personal_attachments_over_500_kb_are_refused_at_the_edge(belastingdienst: ApiCaller) -> None:
    def personal(size: int) -> dict[str, str]:
        return {"filename": "a.pdf", "kind": "personal",
                "content": base64.b64encode(pdf_of_size(size)).decode()}

    half = MAX_PERSONAL_BYTES // 2
    ok = belastingdienst.post("/letters", json=letter(attachments=[personal(half), personal(MAX_PERSONAL_BYTES - half)]))
    assert ok.status_code == 201
    over = belastingdienst.post("/letters", json=letter(
        reference="T-2", attachments=[personal(half), personal(MAX_PERSONAL_BYTES - half + 1)]))
    assert over.status_code == 422
    assert over.json["code"] == "personal_attachments_too_large"


def test_not_subscribed_citizen_is_refused(belastingdienst: ApiCaller, db: Session) -> None:
    account = account_of(db, "joke")
    db.query(Subscription).filter(
        Subscription.account_id == account.id,
        Subscription.organisation_id == belastingdienst.organisation.id,
    ).delete()
    db.commit()
    response = belastingdienst.post("/letters", json=letter())
    assert response.status_code == 422 and response.json["code"] == "not_subscribed"


def test_body_over_the_limit_is_413(belastingdienst: ApiCaller) -> None:
    response = belastingdienst.post("/letters", json=letter(body="x" * (5 * 1024 * 1024)))
    assert response.status_code == 413
    assert response.json["code"] == "request_too_large"


def test_another_organisation_cannot_read_the_receipt(belastingdienst: ApiCaller, rdw: ApiCaller) -> None:
    receipt = belastingdienst.post("/letters", json=letter()).json
    assert rdw.get(f"/letters/{receipt['letter_id']}").status_code == 404


def test_batch_gives_a_result_per_letter_and_can_be_retried(belastingdienst: ApiCaller, db: Session) -> None:
    batch = {"letters": [letter(reference=f"B-{i}") for i in range(3)] + [letter(reference="B-bad", bsn="1")]}
    first = belastingdienst.post("/letters/batch", json=batch)
    assert first.status_code == 200
    assert [r["status"] for r in first.json["results"]] == [201, 201, 201, 422]
    assert first.json["results"][3]["problem"]["pointer"] == "/letters/3/bsn"
    again = belastingdienst.post("/letters/batch", json=batch)
    assert [r["status"] for r in again.json["results"]] == [200, 200, 200, 422]
    assert again.json["results"][0]["receipt"] == first.json["results"][0]["receipt"]
    for i in range(3):
        assert letters_in_box(db, f"B-{i}") == 1


def test_batch_limit(belastingdienst: ApiCaller) -> None:
    response = belastingdienst.post("/letters/batch", json={"letters": [letter()] * 1001})
    assert response.status_code == 422 and response.json["code"] == "too_many_items"


def test_content_hash_is_sha256_of_canonical_content(belastingdienst: ApiCaller) -> None:
    from portal.api.parsing import letter_request
    from portal.domain.delivery import content_sha256

    receipt = belastingdienst.post("/letters", json=letter()).json
    assert receipt["content_sha256"] == content_sha256(letter_request(letter()))
    assert len(bytes.fromhex(receipt["content_sha256"])) == hashlib.sha256().digest_size


def test_track_and_trace_shows_the_notification_queued_and_sent(
    app: Flask, belastingdienst: ApiCaller, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    from portal.notifications.worker import Worker

    give_joke_an_address(db, now)
    receipt = belastingdienst.post("/letters", json=letter()).json
    kinds = [e["kind"] for e in belastingdienst.get(f"/letters/{receipt['letter_id']}").json["events"]]
    assert kinds == ["received", "placed", "notification_queued"]
    Worker(app).process_due()
    kinds = [e["kind"] for e in belastingdienst.get(f"/letters/{receipt['letter_id']}").json["events"]]
    assert kinds == ["received", "placed", "notification_queued", "notification_sent"]


def test_no_notification_events_without_an_address(belastingdienst: ApiCaller) -> None:
    receipt = belastingdienst.post("/letters", json=letter()).json
    kinds = [e["kind"] for e in belastingdienst.get(f"/letters/{receipt['letter_id']}").json["events"]]
    assert kinds == ["received", "placed"]


def general(size: int, name: str = "uitleg.pdf") -> dict[str, str]:
    return {"filename": name, "kind": "general", "content": base64.b64encode(pdf_of_size(size)).decode()}


def test_three_general_attachments_pass_and_four_fail(belastingdienst: ApiCaller) -> None:
    ok = belastingdienst.post("/letters", json=letter(attachments=[general(1000)] * 3))
    assert ok.status_code == 201
    four = belastingdienst.post("/letters", json=letter(reference="T-4", attachments=[general(1000)] * 4))
    assert four.status_code == 422 and four.json["code"] == "too_many_general_attachments"


def test_a_renamed_non_pdf_fails(belastingdienst: ApiCaller) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    attachment = {"filename": "brief.pdf", "kind": "personal", "content": base64.b64encode(png).decode()}
    response = belastingdienst.post("/letters", json=letter(attachments=[attachment]))
    assert response.status_code == 422
    assert (response.json["code"], response.json["pointer"]) == ("attachment_not_pdf", "/attachments/0")


@pytest.mark.parametrize("name", list(PDF_CORPUS))
def test_the_bad_pdf_corpus_is_refused_through_the_api_with_its_code(
    belastingdienst: ApiCaller, db: Session, name: str
) -> None:
    content, refusal = PDF_CORPUS[name]
    attachment = {"filename": "brief.pdf", "kind": "personal", "content": base64.b64encode(content).decode()}
    single = belastingdienst.post("/letters", json=letter(attachments=[attachment]))
    assert single.status_code == 422
    assert (single.json["code"], single.json["pointer"]) == (refusal.value, "/attachments/0")
    batch = belastingdienst.post("/letters/batch", json={"letters": [letter(attachments=[attachment])]})
    problem = batch.json["results"][0]["problem"]
    assert (problem["code"], problem["pointer"]) == (refusal.value, "/letters/0/attachments/0")
    assert letters_in_box(db, "T-2026-0001") == 0


def test_same_reference_twice_in_one_batch(belastingdienst: ApiCaller, db: Session) -> None:
    same = letter(reference="D-1")
    other = letter(reference="D-1", subject="Iets anders")
    results = belastingdienst.post("/letters/batch", json={"letters": [same, same, other]}).json["results"]
    assert [r["status"] for r in results] == [201, 200, 409]
    assert results[1]["receipt"] == results[0]["receipt"]
    assert results[2]["problem"]["code"] == "duplicate_reference"
    assert letters_in_box(db, "D-1") == 1


def test_concurrent_identical_batches_place_each_letter_once(
    app: Flask, belastingdienst: ApiCaller, db: Session
) -> None:
    batch = {"letters": [letter(reference=f"C-{i}") for i in range(25)]}
    answers: list[list[dict[str, Any]]] = []
    barrier = threading.Barrier(4)

    def attempt() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/letters/batch", json=batch,
                               headers={"Authorization": f"Bearer {belastingdienst.token}"})
        answers.append(response.json["results"])

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 4
    for i in range(25):
        statuses = [results[i]["status"] for results in answers]
        assert statuses.count(201) == 1 and set(statuses) <= {200, 201}, (i, statuses)
        assert len({results[i]["receipt"]["receipt_id"] for results in answers}) == 1
        assert letters_in_box(db, f"C-{i}") == 1


def test_batch_queues_one_email_per_box_and_traces_it(
    app: Flask, belastingdienst: ApiCaller, db: Session, now  # type: ignore[no-untyped-def]
) -> None:
    from portal.models import Notification

    account = give_joke_an_address(db, now)
    results = belastingdienst.post(
        "/letters/batch", json={"letters": [letter(reference=f"N-{i}") for i in range(3)]}
    ).json["results"]
    assert db.query(Notification).filter_by(account_id=account.id).count() == 1
    for result in results:
        events = belastingdienst.get(f"/letters/{result['receipt']['letter_id']}").json["events"]
        assert [e["kind"] for e in events] == ["received", "placed", "notification_queued"]


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"subject": "a\u0000b"}, "/subject"),
        ({"body": "x\ud800y"}, "/body"),
        ({"reference": "R\u00072"}, "/reference"),
    ],
)
def test_text_the_portal_cannot_store_is_refused(
    belastingdienst: ApiCaller, changes: dict[str, Any], pointer: str
) -> None:
    response = belastingdienst.post(
        "/letters", data=json.dumps(letter(**changes)), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert (response.json["code"], response.json["pointer"]) == ("invalid_text", pointer)


def test_lines_and_tabs_are_fine(belastingdienst: ApiCaller) -> None:
    assert belastingdienst.post("/letters", json=letter(body="Regel 1\n\tRegel 2\r\n")).status_code == 201


def test_a_non_printable_idempotency_key_is_refused(belastingdienst: ApiCaller) -> None:
    response = belastingdienst.post("/letters", json=letter(), headers={"Idempotency-Key": "k\x01"})
    assert response.status_code == 400 and response.json["code"] == "invalid_idempotency_key"
