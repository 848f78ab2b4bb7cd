"""Reading a Berichtenbox. Every query here is scoped to the box's account id and to the
letters the grant may see (``portal.policy.LetterAccess``, required: no default to forget)."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, true, tuple_, update
from sqlalchemy.orm import Session, defer, selectinload, undefer

from portal.models import Attachment, Letter, Organisation
from portal.policy import LetterAccess
from portal.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class Cursor:
    """A position in a box: the letter's placed time and id (keyset paging)."""

    placed_at: datetime
    letter_id: uuid.UUID

    def encode(self) -> str:
        raw = f"{as_utc(self.placed_at).isoformat()}|{self.letter_id.hex}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """None for a missing or malformed cursor: the first page is shown instead."""
        if not text or len(text) > 120:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            moment, letter_hex = raw.split("|")
            return cls(as_utc(datetime.fromisoformat(moment)), uuid.UUID(hex=letter_hex))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None

    @classmethod
    def of(cls, letter: Letter) -> Cursor:
        return cls(letter.placed_at, letter.id)


@dataclass(frozen=True)
class BoxFilter:
    archived: bool = False
    organisation_id: int | None = None


@dataclass(frozen=True)
class Page:
    letters: list[Letter]
    older: Cursor | None
    newer: Cursor | None
    # Every letter of this view (box or archive, sender filter) the grant sees: listed or not.
    total: int
    # Of these, the "not for helpers" letters a helper may not open: not listed, only counted.
    withheld: int = 0


def letter_page(
    session: Session,
    account_id: int,
    box_filter: BoxFilter,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int,
    access: LetterAccess,
) -> Page:
    """One page of a box, newest first.

    ``after`` gives the page of letters older than that position, ``before`` the page of
    letters newer than it. Cost is one indexed range scan plus one count, however big the box.

    For a helper the pages hold only letters he may open; the "not for helpers" letters of the
    whole view are counted in ``withheld`` (the page shows them as one line, not as a wall of
    identical links).
    """
    base = _listed(_box_query(account_id, box_filter, access), access)
    key = tuple_(Letter.placed_at, Letter.id)
    if before is not None:
        query = base.where(key > tuple_(before.placed_at, before.letter_id)).order_by(
            Letter.placed_at.asc(), Letter.id.asc()
        )
        rows = list(session.scalars(query.limit(size + 1)))
        has_more_newer = len(rows) > size
        letters = list(reversed(rows[:size]))
        has_more_older = True
    else:
        query = base.order_by(Letter.placed_at.desc(), Letter.id.desc())
        if after is not None:
            query = query.where(key < tuple_(after.placed_at, after.letter_id))
        rows = list(session.scalars(query.limit(size + 1)))
        has_more_older = len(rows) > size
        letters = rows[:size]
        has_more_newer = after is not None
    total, withheld = _count_view(session, account_id, box_filter, access)
    return Page(
        letters=letters,
        older=Cursor.of(letters[-1]) if letters and has_more_older else None,
        newer=Cursor.of(letters[0]) if letters and has_more_newer else None,
        total=total,
        withheld=withheld,
    )


def newer_letters(
    session: Session,
    account_id: int,
    box_filter: BoxFilter,
    since: Cursor | None,
    *,
    size: int,
    access: LetterAccess,
) -> list[Letter]:
    """The letters of this view newer than ``since`` (all of them when None), newest first:
    at most ``size``, those next to ``since``, so asking again with the newest one as
    ``since`` brings the rest. The same query as ``letter_page``: a helper gets only what
    his grant lists. One indexed range scan, no count."""
    query = _listed(_box_query(account_id, box_filter, access), access)
    if since is not None:
        query = query.where(tuple_(Letter.placed_at, Letter.id) > tuple_(since.placed_at, since.letter_id))
    rows = list(session.scalars(query.order_by(Letter.placed_at.asc(), Letter.id.asc()).limit(size)))
    return list(reversed(rows))


def _visible(access: LetterAccess):  # type: ignore[no-untyped-def]
    """The letters a grant may see at all (a helper limited to some senders sees only theirs).

    "Not for helpers" letters stay visible: the helper sees that they exist, not what they say.
    """
    if access.organisation_ids is None:
        return true()
    return Letter.organisation_id.in_(sorted(access.organisation_ids))


def _listed(query, access: LetterAccess):  # type: ignore[no-untyped-def]
    """The letters a list shows one by one: for a helper, only those he may open."""
    if access.hide_not_for_helpers:
        return query.where(Letter.not_for_helpers.is_(False))
    return query


def _box_query(account_id: int, box_filter: BoxFilter, access: LetterAccess):  # type: ignore[no-untyped-def]
    # A list shows no bodies: leave them in the database.
    query = (
        select(Letter)
        .where(
            Letter.account_id == account_id,
            Letter.archived.is_(box_filter.archived),
            _visible(access),
        )
        .options(defer(Letter.body))
    )
    if box_filter.organisation_id is not None:
        query = query.where(Letter.organisation_id == box_filter.organisation_id)
    return query


def count_letters(
    session: Session, account_id: int, box_filter: BoxFilter, access: LetterAccess
) -> int:
    """Every letter of this view the grant sees, listed or withheld."""
    return _count_view(session, account_id, box_filter, access)[0]


def _count_view(
    session: Session, account_id: int, box_filter: BoxFilter, access: LetterAccess
) -> tuple[int, int]:
    """(every letter of the view, of which withheld from this grant), in one query."""
    rows = _box_query(account_id, box_filter, access).with_only_columns(
        Letter.id, Letter.not_for_helpers
    ).subquery()
    if not access.hide_not_for_helpers:
        return session.scalar(select(func.count()).select_from(rows)) or 0, 0
    withheld = func.coalesce(func.sum(case((rows.c.not_for_helpers.is_(True), 1), else_=0)), 0)
    total, hidden = session.execute(select(func.count(), withheld).select_from(rows)).one()
    return total or 0, hidden or 0


def count_unread(session: Session, account_id: int, *, access: LetterAccess) -> int:
    """New letters in the box (not the archive) that this grant may open: a helper's count
    leaves out the "not for helpers" letters, which stay new for the citizen."""
    query = _listed(
        select(func.count(Letter.id)).where(
            Letter.account_id == account_id,
            Letter.archived.is_(False),
            Letter.first_opened_at.is_(None),
            _visible(access),
        ),
        access,
    )
    return session.scalar(query) or 0


def senders(session: Session, account_id: int, *, access: LetterAccess) -> list[Organisation]:
    """Organisations that have placed at least one visible letter in this box, by name."""
    sender_ids = (
        select(Letter.organisation_id)
        .where(Letter.account_id == account_id, _visible(access))
        .distinct()
    )
    query = select(Organisation).where(Organisation.id.in_(sender_ids)).order_by(Organisation.name)
    return list(session.scalars(query))


def find_letter(
    session: Session, account_id: int, letter_id: uuid.UUID, *, access: LetterAccess
) -> Letter | None:
    """The letter if it is in this box and visible to the grant, else None (the caller answers
    404). A "not for helpers" letter is found: the caller shows only that it exists."""
    return session.scalar(
        select(Letter)
        .where(Letter.id == letter_id, Letter.account_id == account_id, _visible(access))
        .options(selectinload(Letter.attachments))
    )


def mark_opened(session: Session, letter: Letter) -> None:
    """Record the first opening once; later openings change nothing."""
    if letter.first_opened_at is None:
        moment = utcnow()
        session.execute(
            update(Letter)
            .where(Letter.id == letter.id, Letter.first_opened_at.is_(None))
            .values(first_opened_at=moment)
        )
        letter.first_opened_at = moment


def set_archived(session: Session, letter: Letter, archived: bool) -> None:
    letter.archived = archived


def find_attachment(
    session: Session,
    account_id: int,
    letter_id: uuid.UUID,
    attachment_id: uuid.UUID,
    *,
    access: LetterAccess,
) -> Attachment | None:
    """The attachment with its content, only if its letter is in this box and the grant may
    read it (never a "not for helpers" letter for a helper)."""
    query = (
        select(Attachment)
        .join(Letter)
        .where(
            Attachment.id == attachment_id,
            Attachment.letter_id == letter_id,
            Letter.account_id == account_id,
            _visible(access),
        )
        .options(undefer(Attachment.content))
    )
    if access.hide_not_for_helpers:
        query = query.where(Letter.not_for_helpers.is_(False))
    return session.scalar(query)
