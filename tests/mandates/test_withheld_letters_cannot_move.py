"""Issue 16, item 8: a helper could archive and restore a letter "not for helpers" that he
may not read. The citizen would then not find it where it came in."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account, Letter
from portal.policy import HELPER_SCOPES
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate


@pytest.fixture
def withheld(db: Session, demo) -> Letter:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.archived.is_(False))).first()
    assert letter is not None
    letter.not_for_helpers = True
    db.commit()
    return letter


@pytest.fixture
def sanne_for_joke(client: CheckedClient, db: Session, withheld: Letter, now: datetime) -> Account:
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, account_of(db, "joke"), sanne, now=now, scopes=HELPER_SCOPES))
    return sanne


@pytest.mark.parametrize("action", ["archiveren", "terugzetten"])
def test_a_helper_cannot_archive_or_restore_a_letter_not_for_helpers(
    client: CheckedClient, db: Session, withheld: Letter, sanne_for_joke: Account, action: str
) -> None:
    if action == "terugzetten":
        withheld.archived = True
        db.commit()
    before = withheld.archived
    token = client.csrf_token("/berichten/")
    answer = client.post(f"/berichten/{withheld.id}/{action}", data={"csrf_token": token})
    assert answer.status_code == 403
    assert "U kunt het ook niet archiveren of terugzetten" in normalise(answer.get_data(as_text=True))
    db.expire_all()
    assert db.get(Letter, withheld.id).archived is before


def test_the_helpers_box_offers_no_archive_button_for_it(
    client: CheckedClient, db: Session, withheld: Letter, sanne_for_joke: Account
) -> None:
    inbox = client.page("/berichten/")
    actions = {form["action"] for form in inbox.find_all("form")}
    assert f"/berichten/{withheld.id}/archiveren" not in actions
    readable = db.scalars(
        select(Letter).where(Letter.account_id == withheld.account_id, Letter.archived.is_(False),
                             Letter.not_for_helpers.is_(False))
    ).first()
    assert readable is not None and f"/berichten/{readable.id}/archiveren" in actions


def test_the_citizen_still_archives_her_own_letter(client: CheckedClient, db: Session, withheld: Letter) -> None:
    log_in(client, db, "joke")
    token = client.csrf_token("/berichten/")
    assert client.post(f"/berichten/{withheld.id}/archiveren", data={"csrf_token": token}).status_code == 302
    db.expire_all()
    assert db.get(Letter, withheld.id).archived is True
