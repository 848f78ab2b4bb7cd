"""Stopping to act for someone (issue 18, item 4): back in one's own Berichtenbox with a
clear confirmation, not on the chooser as if a question were still open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

STOP = "/handelen-voor/stoppen"


def test_stopping_lands_in_ones_own_box_with_a_confirmation(
    client: CheckedClient, db: Session, now: datetime, demo  # type: ignore[no-untyped-def]
) -> None:
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, account_of(db, "joke"), sanne, now=now))
    response = client.post(STOP, data={"csrf_token": client.csrf_token("/berichten/")})
    assert response.status_code == 302 and response.location == "/berichten/"
    soup = client.page(response.location)
    text = normalise(soup.get_text(" "))
    assert normalise(soup.h1.get_text()) == "Berichtenbox"
    assert "U doet niets meer voor Joke de Vries. Dit is weer uw eigen Berichtenbox." in text
    assert "U doet dit voor" not in text and "Voor wie wilt u iets doen?" not in text
    assert "Ingelogd als Sanne de Vries" in text


def test_stopping_when_acting_for_nobody_says_so_plainly(
    client: CheckedClient, db: Session, demo  # type: ignore[no-untyped-def]
) -> None:
    log_in(client, db, "sanne")
    response = client.post(STOP, data={"csrf_token": client.csrf_token("/berichten/")})
    assert response.location == "/berichten/"
    assert "U doet nu dingen voor uzelf." in normalise(client.page(response.location).get_text(" "))
