"""The box as a helper's grant sees it (issue #18, item 3): pages list only the letters he may
open; the "not for helpers" letters of the whole view are counted, not listed; the count of
new letters leaves them out. The citizen's own grant sees everything as before."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import mailbox
from portal.domain.mailbox import BoxFilter
from portal.models import Letter
from portal.policy import FULL_ACCESS, LetterAccess
from tests.support.login import account_of

HELPER = LetterAccess(hide_not_for_helpers=True)


def test_a_helpers_page_lists_what_he_may_open_and_counts_the_rest(db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    box = list(db.scalars(
        select(Letter).where(Letter.account_id == joke.id, Letter.archived.is_(False))
        .order_by(Letter.placed_at.desc(), Letter.id.desc())
    ))
    for letter in box[:2]:
        letter.not_for_helpers = True
        letter.first_opened_at = None
    db.commit()

    page = mailbox.letter_page(db, joke.id, BoxFilter(), size=3, access=HELPER)
    assert page.letters == box[2:5]
    assert (page.total, page.withheld) == (len(box), 2)
    older = mailbox.letter_page(db, joke.id, BoxFilter(), after=page.older, size=3, access=HELPER)
    assert older.letters == box[5:8] and older.withheld == 2
    assert mailbox.count_unread(db, joke.id, access=HELPER) == 0

    own = mailbox.letter_page(db, joke.id, BoxFilter(), size=3, access=FULL_ACCESS)
    assert own.letters == box[:3]
    assert (own.total, own.withheld) == (len(box), 0)
    assert mailbox.count_unread(db, joke.id, access=FULL_ACCESS) == 2
