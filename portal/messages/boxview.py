"""The query string of a box page (filter and position), read and written in one place."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from portal.domain.mailbox import BoxFilter, Cursor

SENDER_ARG = "van"
OLDER_ARG = "na"
NEWER_ARG = "voor"
# The poll of an open box: the newest letter it shows (portal/messages/routes.py new_letters).
SINCE_ARG = "sinds"


@dataclass(frozen=True)
class BoxView:
    box_filter: BoxFilter
    after: Cursor | None = None
    before: Cursor | None = None

    @classmethod
    def from_args(cls, args: MultiDict[str, str], archived: bool) -> BoxView:
        sender = args.get(SENDER_ARG, "")
        organisation_id = int(sender) if sender.isdigit() and len(sender) < 10 else None
        return cls(
            BoxFilter(archived=archived, organisation_id=organisation_id),
            after=Cursor.decode(args.get(OLDER_ARG)),
            before=Cursor.decode(args.get(NEWER_ARG)),
        )

    def args(self, *, older: Cursor | None = None, newer: Cursor | None = None) -> dict[str, str]:
        """Query arguments for a link to another page of the same filtered box."""
        values: dict[str, str] = {}
        if self.box_filter.organisation_id is not None:
            values[SENDER_ARG] = str(self.box_filter.organisation_id)
        if older is not None:
            values[OLDER_ARG] = older.encode()
        if newer is not None:
            values[NEWER_ARG] = newer.encode()
        return values

    def current_args(self) -> dict[str, str]:
        """The arguments that show this very page again (after archiving a letter on it)."""
        return self.args(older=self.after, newer=self.before)
