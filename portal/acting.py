"""Who is acting, for whom, and what they may do. Every data query takes its box from here.

Before every request ``_decide`` turns the login into an ``Acting``: for yourself, or for a
citizen under a mandate that holds at this very moment. What the endpoint needs is looked
up in ``portal.policy``; when the grant does not give it, a clear page answers instead of
the view. Views never check scopes: they only ask ``current()`` whose box to use.
After every request a helper made for someone, ``_record`` adds a line to the audit log;
a request refused (403) or not found (404) becomes a line "attempt refused", without the object.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from flask import Flask, Response, abort, g, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from portal import endpoints, policy
from portal.db import get_session
from portal.domain import audit
from portal.extensions import htmx
from portal.models import Account, AuditAction, HelpDeskStaff, Mandate, MandateKind
from portal.policy import Grant, LetterAccess, Need, Refusal
from portal.timeutil import utcnow

API_BLUEPRINT = "api"
# View arguments that name the object a helper looked at, most specific first.
OBJECT_ARGS = ("attachment_id", "letter_id", "case_id", "mandate_id")
# Answers to a helper that the citizen's log shows as a refused attempt (issue 16, item 9).
REFUSED_STATUSES = frozenset({403, 404})


@dataclass(frozen=True)
class Acting:
    actor: Account
    owner: Account
    grant: Grant
    mandate: Mandate | None = None

    @property
    def box_account_id(self) -> int:
        """The account whose letters, cases and settings this request may use."""
        return self.owner.id

    @property
    def letters(self) -> LetterAccess:
        """Which letters of the box may be shown (pass to every mailbox query)."""
        return self.grant.letters

    @property
    def for_self(self) -> bool:
        return self.mandate is None

    def may(self, requirement: policy.Requirement) -> bool:
        """For templates, to leave out links that would be refused. Not an access check:
        that is done before the view runs."""
        return self.grant.allows(requirement)


def shown(what: str) -> None:
    """Say what the helper was actually shown, for the citizen's log, where the endpoint's
    name would say more (a letter whose content was withheld). Decided by the view that
    decides the page; without it the line names the endpoint."""
    g.audit_what = what


def current() -> Acting:
    acting = g.get("acting")
    if acting is None:
        abort(401)
    return acting


def init_app(app: Flask) -> None:
    """Register after ``portal.security`` (which loads the login)."""
    app.before_request(_decide)
    app.after_request(_record)
    app.context_processor(lambda: {"acting": g.get("acting")})


def _decide() -> BaseResponse | tuple[str, int] | None:
    g.acting = None
    account: Account | None = g.get("account")
    if account is None or request.blueprint == API_BLUEPRINT:
        return None
    requirement = policy.need_for(request.endpoint)
    # Asked only where it matters, so other pages cost no extra query.
    help_desk = requirement is Need.HELP_DESK and is_help_desk_staff(account.id)
    yourself = Acting(actor=account, owner=account, grant=policy.grant_for_self(account.id, help_desk=help_desk))
    mandate_id = g.login_session.acting_mandate_id if g.get("login_session") else None
    if mandate_id is None:
        g.acting = yourself
        return _refused(yourself, requirement)
    mandate = get_session().get(Mandate, mandate_id)
    grant = policy.grant_under(mandate, account.id, utcnow()) if mandate is not None else None
    if mandate is None or grant is None:
        # The mandate ended, expired or was given back since the last request: say so on
        # every page until the helper goes on for themselves, never show stale data.
        g.acting = yourself
        if requirement is Need.ANYONE:
            return None
        return _answer(render_template("views/mandates/lost.html", mandate=mandate), 403)
    g.acting = Acting(actor=account, owner=mandate.giver, grant=grant, mandate=mandate)
    return _refused(g.acting, requirement)


def is_help_desk_staff(account_id: int) -> bool:
    """Whether an administrator registered this account as help-desk staff."""
    found = get_session().scalar(select(HelpDeskStaff.id).where(HelpDeskStaff.account_id == account_id))
    return found is not None


def _refused(acting: Acting, requirement: policy.Requirement | None) -> BaseResponse | tuple[str, int] | None:
    if acting.grant.allows(requirement):
        return None
    if requirement is None:
        abort(403)  # an endpoint that nobody may use (missing from the policy)
    staff = requirement is Need.HELP_DESK and is_help_desk_staff(acting.actor.id)
    legal = acting.mandate is not None and acting.mandate.kind is MandateKind.LEGAL
    reason = policy.refusal(acting.grant, requirement, help_desk_staff=staff, legal=legal)
    if acting.for_self and reason is not Refusal.NOT_YOUR_ROLE:
        abort(403)  # for yourself only the help desk can be refused
    return _answer(render_template("views/mandates/refused.html", reason=reason.value), 403)


def _answer(page: str, status: int) -> BaseResponse | tuple[str, int]:
    if htmx:
        # htmx does not swap a 403: load the whole page, which then says what happened.
        response = Response(status=status)
        response.headers["HX-Refresh"] = "true"
        return response
    return page, status


def _record(response: BaseResponse) -> BaseResponse:
    acting: Acting | None = g.get("acting")
    if acting is None or acting.for_self:
        return response
    if policy.need_for(request.endpoint) is Need.ANYONE:
        return response  # choosing, stopping, the language: not the citizen's data
    assert acting.mandate is not None
    if response.status_code in REFUSED_STATUSES:
        if not htmx:  # htmx reloads the page: recorded then
            _write(acting, AuditAction.ATTEMPT_REFUSED, object_id=None)
        return response
    if response.status_code >= 400:
        return response
    if request.endpoint in endpoints.ENDPOINTS.background and g.get("audit_what") is None:
        return response  # the page asked by itself and was shown nothing new
    object_id = next(
        (str(request.view_args[name]) for name in OBJECT_ARGS if request.view_args and name in request.view_args),
        None,
    )
    _write(acting, AuditAction.PAGE_VIEWED if request.method == "GET" else AuditAction.ACTION_TAKEN, object_id=object_id)
    return response


def _write(acting: Acting, action: AuditAction, *, object_id: str | None) -> None:
    assert acting.mandate is not None
    db = get_session()
    now = utcnow()
    audit.record(
        db,
        actor_id=acting.actor.id,
        owner_id=acting.owner.id,
        mandate_id=acting.mandate.id,
        action=action,
        what=g.get("audit_what") or request.endpoint or "",
        object_id=object_id,
        at=now,
    )
    if action is not AuditAction.ATTEMPT_REFUSED and acting.mandate.first_used_at is None:
        from portal.mandates import notices  # the area's letters; imported late, it imports acting

        notices.first_used(db, acting.mandate, now)
    db.commit()
