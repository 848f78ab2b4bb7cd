"""Server-side login sessions with an idle timeout (rule: 15 minutes without activity).

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
from portal.session_timeout import KEPT_FORM_KEY
from portal.timeutil import as_utc, utcnow

SESSION_KEY = "login"
# After a timeout: for whom the person acted ("self" or a mandate id), to act so again.
RETURN_ACTING_KEY = "return_acting"
# Kept in the cookie session across a login (portal/settings/routes.py: "text_size";
# portal/session_timeout.py: the kept form).
KEPT_ACROSS_LOGIN = ("language", "text_size", "return_to", RETURN_ACTING_KEY, KEPT_FORM_KEY)
KEPT_ACROSS_LOGOUT = ("language", "text_size")
TOKEN_BYTES = 32


@dataclass(frozen=True)
class LoginState:
    account: Account | None
    expired: bool = False
    row: LoginSession | None = None
    # The session that just ran out (its person and for whom they acted), when expired.
    ended: LoginSession | None = None


def token_hash(token: str) -> str:
    """What is stored of a session token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(account: Account) -> LoginSession:
    """Log in: a fresh session (no fixation), a new server-side row. What the visitor chose or
    was doing before stays: language, text size, and after a timeout the page to return to,
    for whom they acted and what they had typed."""
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


def resume() -> LoginState:
    """The account of this request, refreshing the idle timer; or why there is none."""
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
    if row is None or now - as_utc(row.last_seen_at) > timeout:
        if row is not None:
            row.ended_at = now
            db.commit()
        session.pop(SESSION_KEY, None)
        return LoginState(None, expired=True, ended=row)
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
