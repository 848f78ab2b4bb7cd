from __future__ import annotations

import io
import uuid

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import acting
from portal.config import INBOX_PAGE_SIZE
from portal.db import get_session
from portal.domain import mailbox
from portal.domain.mailbox import Cursor
from portal.domain.attachments import download_name
from portal.extensions import htmx
from portal.messages import bp
from portal.messages.boxview import SINCE_ARG, BoxView
from portal.messages.forms import ARCHIVE_LIST, INBOX_LIST, MoveForm, SenderForm
from portal.models import Letter


@bp.get("/")
def inbox() -> str:
    return _box_page(request.args, archived=False)


@bp.get("/archief")
def archive() -> str:
    return _box_page(request.args, archived=True)


# The citizen's log line when the open box showed a helper new letters (not every look).
NEW_LETTERS_SHOWN = "messages.new_letters"


@bp.get("/nieuw")
def new_letters() -> Response | str:
    """The open Berichtenbox asks (htmx, every ``INBOX_POLL_SECONDS``) for letters newer than
    the newest it shows: 204 when there are none, else the rows to put on top of the list,
    the new counts and one line for the live region. Without htmx: the box itself."""
    if not htmx or htmx.boosted:
        return redirect(url_for("messages.inbox", **BoxView.from_args(request.args, archived=False).args()))
    who = acting.current()
    box, access = who.box_account_id, who.letters
    view = BoxView.from_args(request.args, archived=False)
    since = Cursor.decode(request.args.get(SINCE_ARG))
    db = get_session()
    arrived = mailbox.newer_letters(db, box, view.box_filter, since, size=INBOX_PAGE_SIZE, access=access)
    if not arrived:
        return Response(status=204)
    acting.shown(NEW_LETTERS_SHOWN)
    context = {
        "arrived": arrived,
        "since": since,
        "view": view,
        "archived": False,
        "access": access,
        "list_endpoint": "messages.inbox",
        "move_args": MoveForm.args(view, INBOX_LIST),
        "total": mailbox.count_letters(db, box, view.box_filter, access),
        "unread": mailbox.count_unread(db, box, access=access),
        "poll": poll_args(view, arrived[0]),
    }
    if since is None:
        # The box showed no letters at all: the whole list, first page (nothing to read moves).
        context["page"] = mailbox.letter_page(db, box, view.box_filter, size=INBOX_PAGE_SIZE, access=access)
    return render_template("views/messages/_new_letters.html", **context)


def poll_args(view: BoxView, newest: Letter | None) -> dict[str, str]:
    """What the box's poll asks with: its filter and the newest letter it shows."""
    values = view.args()
    if newest is not None:
        values[SINCE_ARG] = Cursor.of(newest).encode()
    return values


def _box_page(args: MultiDict[str, str], *, archived: bool, notice: str | None = None) -> str:
    """The full box page, or only its letter list for an htmx request."""
    who = acting.current()
    box, access = who.box_account_id, who.letters
    view = BoxView.from_args(args, archived)
    db = get_session()
    page = mailbox.letter_page(
        db, box, view.box_filter, after=view.after, before=view.before, size=INBOX_PAGE_SIZE, access=access
    )
    context = {
        "page": page,
        "view": view,
        "archived": archived,
        "notice": notice,
        "list_endpoint": "messages.archive" if archived else "messages.inbox",
        "access": access,
        # What an archive or restore button sends along: this very page of this list.
        "move_args": MoveForm.args(view, ARCHIVE_LIST if archived else INBOX_LIST),
        # Only the first page of the box looks for new letters: they belong on top of it.
        "poll": poll_args(view, page.letters[0] if page.letters else None)
        if not archived and view.after is None and view.before is None else None,
    }
    if htmx and not htmx.boosted:
        return render_template("views/messages/_letter_list.html", **context)
    senders = mailbox.senders(db, box, access=access)
    return render_template(
        "views/messages/box.html",
        sender_form=SenderForm(view.box_filter.organisation_id, senders) if senders else None,
        unread=mailbox.count_unread(db, box, access=access),
        **context,
    )


def _letter_or_404(letter_id: uuid.UUID) -> Letter:
    # 404 (not 403) for a letter in someone else's box: its existence is not revealed.
    who = acting.current()
    letter = mailbox.find_letter(get_session(), who.box_account_id, letter_id, access=who.letters)
    if letter is None:
        abort(404)
    return letter


def _readable(letter: Letter) -> bool:
    return acting.current().letters.may_read(letter.organisation_id, letter.not_for_helpers)


# The citizen's log line when a helper was shown that a letter exists, not what it says.
WITHHELD_LETTER_SHOWN = "messages.letter_withheld"


def _withheld(letter: Letter) -> str:
    """"Not for helpers": the helper sees that it exists, not what it says; still unread."""
    acting.shown(WITHHELD_LETTER_SHOWN)
    return render_template("views/messages/not_for_helpers.html", letter=letter)


def _show(letter_id: uuid.UUID, template: str, *, opens: bool) -> str:
    """The letter in ``template``, or the "not for helpers" page; ``opens``: reading it here
    counts as opening it."""
    found = _letter_or_404(letter_id)
    if not _readable(found):
        return _withheld(found)
    if opens:
        db = get_session()
        mailbox.mark_opened(db, found)
        db.commit()
    return render_template(template, letter=found)


@bp.get("/<uuid:letter_id>")
def letter(letter_id: uuid.UUID) -> str:
    return _show(letter_id, "views/messages/letter.html", opens=True)


@bp.get("/<uuid:letter_id>/afdrukken")
def print_view(letter_id: uuid.UUID) -> str:
    return _show(letter_id, "views/messages/print.html", opens=False)


@bp.get("/<uuid:letter_id>/bijlagen/<uuid:attachment_id>")
def attachment(letter_id: uuid.UUID, attachment_id: uuid.UUID) -> Response:
    who = acting.current()
    found = mailbox.find_attachment(
        get_session(), who.box_account_id, letter_id, attachment_id, access=who.letters
    )
    if found is None:
        abort(404)
    response = send_file(
        io.BytesIO(found.content),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name(found.filename),
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/<uuid:letter_id>/archiveren")
def archive_letter(letter_id: uuid.UUID) -> Response | str | tuple[str, int]:
    return _move(letter_id, archived=True)


@bp.post("/<uuid:letter_id>/terugzetten")
def restore_letter(letter_id: uuid.UUID) -> Response | str | tuple[str, int]:
    return _move(letter_id, archived=False)


def _move(letter_id: uuid.UUID, *, archived: bool) -> Response | str | tuple[str, int]:
    found = _letter_or_404(letter_id)
    if not _readable(found):
        # What a helper may not read, he may not file away either: the citizen would not
        # find the letter where it came in.
        return render_template("views/messages/not_for_helpers.html", letter=found, move_refused=True), 403
    db = get_session()
    mailbox.set_archived(db, found, archived)
    db.commit()
    if archived:
        notice = _("Het bericht staat nu in het archief.")
    else:
        notice = _("Het bericht staat weer in de Berichtenbox.")
    form = MoveForm()
    form.validate()
    if htmx and not htmx.boosted and form.from_list:
        # Update the list in place, on the same page of the same filter.
        return _box_page(request.form, archived=form.from_archive, notice=notice)
    flash(notice, "success")
    if form.from_list:
        view = BoxView.from_args(request.form, form.from_archive)
        endpoint = "messages.archive" if form.from_archive else "messages.inbox"
        return redirect(url_for(endpoint, **view.current_args()))
    return redirect(url_for("messages.archive" if not archived else "messages.inbox"))
