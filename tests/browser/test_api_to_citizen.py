"""An organisation delivers a letter through the API over HTTP; the citizen gets the e-mail,
logs in, and reads the letter. Every citizen page is axe-clean."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.pdf import letter_pdf
from portal.demo.people import by_username
from portal.domain.api_clients import create_client
from portal.models import NotificationSettings, Organisation
from portal.notifications.backends import FileBackend
from portal.notifications.worker import Worker
from portal.timeutil import utcnow
from tests.browser.conftest import LiveServer
from tests.browser.journeys import checked, log_in_with_mouse
from tests.notifications.support import mails_in
from tests.support.login import account_of

pytestmark = pytest.mark.browser

SUBJECT = "Uw nieuwe parkeervergunning"


def test_delivered_letter_reaches_the_citizen(
    page: Page, demo_site: LiveServer, migrated_engine, tmp_path: Path, csp_watch  # type: ignore[no-untyped-def]
) -> None:
    with Session(migrated_engine, expire_on_commit=False) as db:
        gemeente = db.scalar(select(Organisation).where(Organisation.name == "Gemeente Utrecht"))
        new = create_client(db, gemeente, "browser test", ["letters:send"])
        db.add(NotificationSettings(account_id=account_of(db, "joke").id, email_address="joke@example.org",
                                    notify=True, confirmed_at=utcnow()))
        db.commit()
    token = requests.post(
        f"{demo_site.url}/api/v1/oauth/token",
        data={"grant_type": "client_credentials", "scope": "letters:send"},
        auth=(new.client_id, new.client_secret), timeout=10,
    ).json()["access_token"]
    delivered = requests.post(
        f"{demo_site.url}/api/v1/letters",
        json={
            "bsn": by_username("joke").bsn,  # type: ignore[union-attr]
            "letter_type": "beschikking",
            "subject": SUBJECT,
            "body": "Beste mevrouw De Vries,\n\nUw vergunning is klaar.",
            "reference": "PV-2026-77",
            "attachments": [{"filename": "vergunning.pdf", "kind": "personal",
                             "content": base64.b64encode(letter_pdf("Vergunning", ["Klaar"])).decode()}],
        },
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "pv-77"},
        timeout=10,
    )
    assert delivered.status_code == 201, delivered.text

    outbox = tmp_path / "mail"
    assert Worker(demo_site.app, FileBackend(str(outbox))).process_due().sent == 1
    [mail] = mails_in(outbox)
    text = mail.get_content()
    assert "Gemeente Utrecht" in text and SUBJECT not in text and "De Vries" not in text
    login_url = re.search(r"https?://\S+", text)
    assert login_url is not None and login_url.group(0).startswith(demo_site.url)

    page.goto(login_url.group(0))
    log_in_with_mouse(page, "joke")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichtenbox")
    newest = page.locator(".letter-row").first
    expect(newest).to_contain_text("Nieuw")
    expect(newest).to_contain_text("Gemeente Utrecht")
    newest.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_role("link", name="vergunning.pdf")).to_be_visible()
    checked(page)


def test_api_docs_page_is_accessible(page: Page, demo_site: LiveServer) -> None:
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Burgerportaal organisation API")
    checked(page)
