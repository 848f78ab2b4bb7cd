"""'Wat moet ik doen?' on every letter and every case of the demo: what, by when, how many
days, what if not, and "U hoeft niets te doen" when nothing is asked; the print view too."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.mandates import today_in_nl
from portal.models import Account, Case, Letter
from portal.timeutil import utcnow
from tests.support.html import CheckedClient, normalise
from tests.support.login import log_in, log_in_as

HEADING = "Wat moet ik doen?"


def block(soup) -> str:  # type: ignore[no-untyped-def]
    heading = soup.find("h2", string=HEADING)
    assert heading is not None, "no 'Wat moet ik doen?' block"
    return normalise(heading.parent.get_text(" "))


def expect_block(text: str, act_by, action: str | None, open_: bool = True) -> None:  # type: ignore[no-untyped-def]
    if act_by is not None and open_:
        assert "U moet iets doen." in text
        assert (action or "Lees de brief goed. Daarin staat wat u moet doen.") in normalise(text)
        if act_by >= today_in_nl(utcnow()):
            assert "Doe dit vóór" in text and "Doet u het niet op tijd?" in text
        else:
            assert "Die datum is voorbij." in text
    else:
        assert re.search(r"U hoeft (nu )?niets", text) and "U moet iets doen." not in text


def test_every_letter_and_case_of_the_demo_says_what_to_do(
    client: CheckedClient, db: Session, demo: object
) -> None:
    seen_letters = seen_cases = with_date = without_date = 0
    for account in db.scalars(select(Account)).all():
        log_in_as(client, db, account)
        for letter in db.scalars(select(Letter).where(Letter.account_id == account.id)):
            text = block(client.page(f"/berichten/{letter.id}"))
            expect_block(text, letter.act_by, letter.action)
            expect_block(block(client.page(f"/berichten/{letter.id}/afdrukken")), letter.act_by, letter.action)
            seen_letters += 1
            with_date += letter.act_by is not None
            without_date += letter.act_by is None
        for case in db.scalars(select(Case).where(Case.account_id == account.id)):
            expect_block(block(client.page(f"/zaken/{case.id}")), case.act_by, case.action, case.is_open)
            seen_cases += 1
    assert seen_letters >= 5 and seen_cases >= 3
    assert with_date and without_date, "the demo must have letters of both kinds"


def test_a_date_that_has_passed_says_to_get_in_touch(
    client: CheckedClient, db: Session, demo: object
) -> None:
    account = log_in(client, db, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == account.id)).first()
    letter.act_by = today_in_nl(utcnow()) - timedelta(days=1)
    letter.action = "Stuur ons uw huurcontract."
    db.commit()
    text = block(client.page(f"/berichten/{letter.id}"))
    assert "Stuur ons uw huurcontract." in text
    assert f"Die datum is voorbij. Neem zo snel mogelijk contact op met {letter.organisation.name}." in text


def test_the_last_day_itself_says_today(client: CheckedClient, db: Session, demo: object) -> None:
    account = log_in(client, db, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == account.id)).first()
    letter.act_by = today_in_nl(utcnow())
    db.commit()
    assert "Dat is vandaag." in block(client.page(f"/berichten/{letter.id}"))
    letter.act_by = today_in_nl(utcnow()) + timedelta(days=3)
    db.commit()
    assert "U heeft nog 3 dagen." in block(client.page(f"/berichten/{letter.id}"))
