"""The audit log pages: what others did for me, and what I did for others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from portal import acting, endpoints
from portal.db import get_session
from portal.domain import audit
from portal.mandates import bp
from portal.mandates.forms import HELPER_PARAM, HelperForm
from portal.mandates.labels import ROLE_LABELS
from portal.timeutil import as_utc
from portal.models import AuditAction, AuditEntry, Mandate, MandateKind

# What a view said it showed instead of its endpoint (``acting.shown``), in plain words. What
# each endpoint is called is its ``log`` in ``portal.endpoints``.
SHOWN_LABELS = {
    # portal/messages/routes.py WITHHELD_LETTER_SHOWN: the content was not shown.
    "messages.letter_withheld": lazy_gettext("Zag dat er een bericht alleen voor u is, maar kon het niet openen"),
}
PAGE_VIEWED = lazy_gettext("Bekeek een pagina")
ACTION_TAKEN = lazy_gettext("Deed iets")
ATTEMPT_REFUSED = lazy_gettext("Probeerde iets wat niet mag. Dat ging niet.")
# The query parameters of the log pages (the helper's is the filter form's field).
BEFORE_PARAM = "voor"


def action_label(entry: AuditEntry) -> str:
    """What the helper did, in words; a general phrase for an endpoint without a label. A
    refused attempt never says what was tried: that could be someone else's letter."""
    if entry.action is AuditAction.ATTEMPT_REFUSED:
        return str(ATTEMPT_REFUSED)
    shown = SHOWN_LABELS.get(entry.what)
    if shown is not None:
        return str(shown)
    label = endpoints.ENDPOINTS.log_labels.get(entry.what)
    if label is not None:
        return _(label)
    return str(PAGE_VIEWED if entry.action is AuditAction.PAGE_VIEWED else ACTION_TAKEN)


def mandate_words(mandate: Mandate | None) -> str:
    """Under which kind of mandate: machtiging, legal representative (role), or the help desk."""
    if mandate is None:
        return _("machtiging")
    if mandate.kind is MandateKind.LEGAL and mandate.legal_role is not None:
        return _("wettelijk vertegenwoordiger (%(role)s)", role=str(ROLE_LABELS[mandate.legal_role]))
    if mandate.kind is MandateKind.ASSISTED:
        return _("hulp aan de balie")
    return _("machtiging")


@dataclass(frozen=True)
class Row:
    """One line of a log page, ready to show."""

    entry_id: int
    at: datetime
    who: str  # the helper (on the citizen's page) or the citizen (on the helper's page)
    kind: str
    what: str
    subject: str | None


@dataclass(frozen=True)
class LogPage:
    rows: list[Row]
    older: int | None  # the ``voor`` of the next page, if there is one


def _page(lines: list[audit.LogLine], *, subjects: dict[str, str], by_helper: bool) -> LogPage:
    shown = lines[: audit.LOG_PAGE_SIZE]
    mandates = audit.mandates_of(get_session(), shown)
    rows = [
        Row(
            entry_id=line.entry.id,
            at=as_utc(line.entry.at),
            who=line.actor_name if by_helper else line.owner_name,
            kind=mandate_words(mandates.get(line.entry.mandate_id) if line.entry.mandate_id else None),
            what=action_label(line.entry),
            subject=subjects.get(line.entry.object_id or ""),
        )
        for line in shown
    ]
    older = shown[-1].entry.id if len(lines) > audit.LOG_PAGE_SIZE else None
    return LogPage(rows=rows, older=older)


def _helper_filter(helpers: list[tuple[int, str]]) -> tuple[str, int | None, bool]:
    """The chosen helper: (the raw value, the account id, whether the choice names nobody)."""
    raw = request.args.get(HELPER_PARAM, "")
    if not raw:
        return "", None, False
    chosen = audit.parse_id(raw)
    if chosen is None or chosen not in {account_id for account_id, _name in helpers}:
        return raw, None, True
    return raw, chosen, False


@bp.get("/machtigingen/logboek")
def log() -> str:
    """What others did for me (the box owner), newest first, optionally by one helper."""
    who = acting.current()
    db = get_session()
    owner_id = who.box_account_id
    helpers = audit.helpers_in_log(db, owner_id)
    raw_helper, helper_id, nobody = _helper_filter(helpers)
    before = audit.parse_id(request.args.get(BEFORE_PARAM))
    lines = [] if nobody else audit.done_for(
        db, owner_id, actor_id=helper_id, before_id=before, limit=audit.LOG_PAGE_SIZE + 1
    )
    subjects = audit.letter_subjects(db, owner_id, lines[: audit.LOG_PAGE_SIZE], access=who.letters)
    return render_template(
        "views/mandates/log.html",
        page=_page(lines, subjects=subjects, by_helper=True),
        helper_form=HelperForm(helper_id, helpers) if helpers else None,
        helper_arg=raw_helper if helper_id is not None else None,
        paged=before is not None,
        filtered=bool(raw_helper),
        # Where to stop a mandate (built by the mandate pages; left out until they exist).
        mandates_url=url_for("mandates.index"),
    )


@bp.get("/machtigingen/mijn-acties")
def my_actions() -> str:
    """What I (the logged-in helper) did for others, newest first. No letter subjects: the
    helper may no longer be allowed to read them."""
    who = acting.current()
    before = audit.parse_id(request.args.get(BEFORE_PARAM))
    lines = audit.done_by(get_session(), who.actor.id, before_id=before, limit=audit.LOG_PAGE_SIZE + 1)
    return render_template(
        "views/mandates/my_actions.html",
        page=_page(lines, subjects={}, by_helper=False),
        paged=before is not None,
    )
