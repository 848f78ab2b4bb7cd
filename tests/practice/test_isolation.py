"""A learner never sees another learner's sandbox (issue 10, item 2).

Two browsers, each with a sandbox of every practice person (the demo scenario), walk every GET
route of the portal and of the practice DigiD (the table ``VISIT`` of tests/support/visits.py,
so a new page is walked too). No page of one may show anything that identifies the other's
world: its persons' BSNs, the ids of its letters, attachments, cases and mandates, or its case
references. And every URL with the other's ids in it is refused.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account, Attachment, Case, Letter, Mandate, Notification, Person
from tests.support.practice import sandbox_world
from tests.support.visits import NOT_PAGES, VISIT, fetch, get_routes

# Routes whose URL holds ids of the world's own letter, case or mandate.
OWN_OBJECT_ROUTES = ("messages.letter", "messages.print_view", "messages.attachment", "cases.case",
                     "mandates.detail", "mandates.change_form", "mandates.held")


def _marks(db: Session, sandbox_id: int) -> set[str]:
    """What identifies one sandbox's world on a page."""
    accounts = select(Account.id).join(Person).where(Person.sandbox_id == sandbox_id)
    letters = select(Letter.id).where(Letter.account_id.in_(accounts))
    marks = set(db.scalars(select(Person.bsn).where(Person.sandbox_id == sandbox_id)))
    marks |= {str(i) for i in db.scalars(letters)}
    marks |= {str(i) for i in db.scalars(select(Attachment.id).where(Attachment.letter_id.in_(letters)))}
    marks |= {f"/zaken/{i}" for i in db.scalars(select(Case.id).where(Case.account_id.in_(accounts)))}
    marks |= set(db.scalars(select(Case.reference).where(Case.account_id.in_(accounts))))
    marks |= {str(i) for i in db.scalars(select(Mandate.id).where(Mandate.giver_id.in_(accounts)))}
    # Their e-mails in the practice mail view ("Uw e-mail").
    marks |= {f"/oefenen/e-mail/{i}\"" for i in db.scalars(select(Notification.id).where(Notification.account_id.in_(accounts)))}
    return marks


def test_two_learners_never_see_each_others_sandbox_on_any_page(
    practice_app: Flask, db: Session, now: datetime
) -> None:
    first, second = sandbox_world(practice_app, db, "demo", now), sandbox_world(practice_app, db, "demo", now)
    marks = {id(first): _marks(db, int(str(first.sandbox_id))), id(second): _marks(db, int(str(second.sandbox_id)))}
    assert marks[id(first)].isdisjoint(marks[id(second)])
    for mine, theirs in ((first, second), (second, first)):
        pages, seen_own = 0, set()
        for endpoint in get_routes(practice_app):
            if endpoint in NOT_PAGES and endpoint != "messages.attachment":
                continue
            response = fetch(practice_app, mine, endpoint)
            assert response.status_code < 500, endpoint
            body = response.get_data(as_text=endpoint != "messages.attachment")
            text = body if isinstance(body, str) else body.decode("latin-1")
            leaked = sorted(mark for mark in marks[id(theirs)] if mark in text)
            assert leaked == [], (endpoint, leaked)
            seen_own |= {mark for mark in marks[id(mine)] if mark in text}
            pages += 1
        assert pages >= 30, pages
        # The walk saw this learner's own world (so the marks are the kind pages show).
        assert len(seen_own) >= 10, seen_own
        for endpoint in OWN_OBJECT_ROUTES:
            assert VISIT[endpoint].who is not None
            response = fetch(practice_app, mine, endpoint, url_of=theirs)
            assert response.status_code == 404, (endpoint, response.status_code)
            assert fetch(practice_app, mine, endpoint).status_code == 200, endpoint
