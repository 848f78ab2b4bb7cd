"""Server-side login sessions with an idle timeout (rule: 15 minutes without activity) and
an absolute lifetime (12 hours, however active).

The signed session cookie holds only a random token; its SHA-256 is stored. Ending the row
ends the session for every copy of the cookie.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import select, update

from portal.db import get_session
from portal.models import Account, LoginSession
from portal.session_timeout import KEPT_FORM_KEY, KEPT_FORM_MAX_AGE_SECONDS, owner_tag
from portal.timeutil import as_utc, utcnow

SESSION_KEY = "login"
# After a timeout: for whom the person acted ("self" or a mandate id), to act so again.
RETURN_ACTING_KEY = "return_acting"
# Kept in the cookie session across a login (portal/templating.py: "text_size";
# portal/session_timeout.py: the kept form).
KEPT_ACROSS_LOGIN = ("language", "text_size", "return_to", RETURN_ACTING_KEY, KEPT_FORM_KEY)
KEPT_ACROSS_LOGOUT = ("language", "text_size")
# Who may use the page to return to after a timeout: a keyed tag of the account that timed
# out, and when. Another person logging in, or the same one too late, starts afresh.
RETURN_OWNER_KEY = "return_owner"
RETURN_MAX_AGE_SECONDS = KEPT_FORM_MAX_AGE_SECONDS
# What belongs to the person who timed out (the kept form checks its own owner as well).
RETURNS_FOR_OWNER = ("return_to", RETURN_ACTING_KEY, KEPT_FORM_KEY)
TOKEN_BYTES = 32


@dataclass(frozen=True)
class LoginState:
    account: Account | None
    expired: bool = False
    row: LoginSession | None = None
    # The session that just ran out (its person and for whom they acted), when expired.
    ended: LoginSession | None = None
    # Expired by its absolute lifetime rather than by being idle.
    too_long: bool = False


def token_hash(token: str) -> str:
    """What is stored of a session token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(account: Account) -> LoginSession:
    """Log in: a fresh session (no fixation), a new server-side row. What the visitor chose or
    was doing before stays: language, text size, and after a timeout the page to return to,
    for whom they acted and what they had typed."""
    _forget_returns_of_others(account)
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if session.get(key)}
    session.clear()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db = get_session()
    row = LoginSession(token_hash=token_hash(token), account_id=account.id)
    db.add(row)
    account.last_login_at = utcnow()
    db.commit()
    session[SESSION_KEY] = token
    session.update(kept)
    return row


def remember_return_owner(ended: LoginSession | None) -> None:
    """The page to return to was saved at a timeout of ``ended``'s session (or, when None,
    by a visitor who was not logged in: theirs to use)."""
    if ended is None:
        session.pop(RETURN_OWNER_KEY, None)
        return
    session[RETURN_OWNER_KEY] = {"tag": _return_tag(ended.account_id), "at": int(utcnow().timestamp())}


def _return_tag(account_id: int) -> str:
    return owner_tag(account_id, "return")


def _forget_returns_of_others(account: Account) -> None:
    owner = session.pop(RETURN_OWNER_KEY, None)
    if owner is None:
        return
    fresh = isinstance(owner, dict) and utcnow().timestamp() - owner.get("at", 0) <= RETURN_MAX_AGE_SECONDS
    if not fresh or owner.get("tag") != _return_tag(account.id):
        for key in RETURNS_FOR_OWNER:
            session.pop(key, None)


def resume(*, activity: bool = True) -> LoginState:
    """The account of this request, refreshing the idle timer; or why there is none.
    ``activity=False``: a request the page made by itself (``Endpoint.background``), which
    must not keep the login alive; it still finds the login ended when its time is up."""
    token = session.get(SESSION_KEY)
    if not token:
        return LoginState(None)
    db = get_session()
    row = db.scalar(
        select(LoginSession).where(
            LoginSession.token_hash == token_hash(token), LoginSession.ended_at.is_(None)
        )
    )
    now = utcnow()
    timeout = timedelta(seconds=current_app.config["IDLE_TIMEOUT_SECONDS"])
    lifetime = timedelta(seconds=current_app.config["SESSION_MAX_SECONDS"])
    too_long = row is not None and now - as_utc(row.created_at) > lifetime
    if row is None or too_long or now - as_utc(row.last_seen_at) > timeout:
        if row is not None:
            row.ended_at = now
            db.commit()
        session.pop(SESSION_KEY, None)
        return LoginState(None, expired=True, ended=row, too_long=too_long)
    if activity:
        row.last_seen_at = now
        db.commit()
    return LoginState(row.account, row=row)


def set_acting(row: LoginSession, mandate_id: uuid.UUID | None) -> None:
    """Act for someone under this mandate from the next request on (None: for yourself).
    The caller commits. ``portal.acting`` checks the mandate again on every request."""
    row.acting_mandate_id = mandate_id


def end() -> None:
    """Log out: end the server-side row and empty the cookie session (the language and the
    text size stay: they belong to the browser, not to the person)."""
    token = session.get(SESSION_KEY)
    if token:
        db = get_session()
        db.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == token_hash(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.commit()
    kept = {key: session[key] for key in KEPT_ACROSS_LOGOUT if session.get(key)}
    session.clear()
    session.update(kept)
