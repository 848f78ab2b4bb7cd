"""Which practice sandbox this browser is in: a cookie with a random token (its hash is kept).

Used by the portal and by the practice DigiD (a separate app on the same host, so it gets the
same cookie). A session cookie on purpose: closing the browser of a library computer ends
the learner's practice, and the next learner starts clean. The server forgets a sandbox
after ``sandboxes.IDLE_HOURS`` idle.
"""

from __future__ import annotations

from flask import Request, Response, current_app, g, request
from sqlalchemy.orm import Session

from portal.config import is_practice
from portal.db import get_session
from portal.domain.worlds import REGISTER
from portal.endpoints import ENDPOINTS
from portal.models import Account, PracticeSandbox
from portal.practice import sandboxes
from portal.timeutil import utcnow

COOKIE_NAME = "oefenomgeving"
# The trainer's console: the trainer code of their class (they typed it or were given it).
TRAINER_COOKIE_NAME = "oefentrainer"
# The world of a practice-mode browser that has not started: nobody is found in it.
NO_WORLD = -1
_CACHE_KEY = "practice_sandbox"


def sandbox_of(db: Session, incoming: Request) -> PracticeSandbox | None:
    """The live sandbox whose token ``incoming`` carries, noting the activity. A request the
    page makes by itself (the open inbox's poll, ``Endpoint.background``) is no activity: a
    tab left open on a library computer does not keep a sandbox alive."""
    token = incoming.cookies.get(cookie_name())
    if not token:
        return None
    now = utcnow()
    sandbox = sandboxes.find(db, token, now)
    if sandbox is not None and incoming.endpoint not in ENDPOINTS.background and sandboxes.touch(sandbox, now):
        db.commit()
    return sandbox


def current_sandbox(db: Session | None = None) -> PracticeSandbox | None:
    """This browser's sandbox in practice mode (looked up once per request), else None.
    ``db``: the practice DigiD's own session (the portal's by default)."""
    if not is_practice(current_app.config):
        return None
    if _CACHE_KEY not in g:
        g.practice_sandbox = sandbox_of(db or get_session(), request)
    return g.practice_sandbox  # type: ignore[no-any-return]


def forget() -> None:
    """This request's sandbox is gone (stopped or replaced): none from here on."""
    g.practice_sandbox = None


def had_sandbox() -> bool:
    """The browser carries a sandbox token (live or not): to say that it ran out."""
    return bool(request.cookies.get(cookie_name()))


def current_world(db: Session | None = None) -> int | None:
    """Where logins and BSN lookups of this request look: the register on a real portal,
    this browser's sandbox in practice mode, and nowhere before a learner has started."""
    if not is_practice(current_app.config):
        return REGISTER
    sandbox = current_sandbox(db)
    return sandbox.id if sandbox is not None else NO_WORLD


def fits_this_browser(account: Account) -> bool:
    """The account belongs to the world of this browser (a copied login cookie of another
    learner, or of a sandbox that was reset or ran out, does not)."""
    return account.person.sandbox_id == current_world()


def _secure() -> bool:
    return bool(current_app.config.get("SESSION_COOKIE_SECURE"))


def cookie_name(name: str = COOKIE_NAME) -> str:
    """Over HTTPS with the ``__Host-`` prefix (only this host, path /, Secure), as the
    portal's own session cookie; the practice DigiD app has the same setting."""
    return f"__Host-{name}" if _secure() else name


def give(response: Response, token: str, name: str = COOKIE_NAME) -> None:
    response.set_cookie(cookie_name(name), token, httponly=True, samesite="Lax", path="/", secure=_secure())


def take_away(response: Response, name: str = COOKIE_NAME) -> None:
    response.delete_cookie(cookie_name(name), path="/", httponly=True, samesite="Lax", secure=_secure())


def trainer_code() -> str | None:
    """The trainer code this browser holds, if any."""
    return request.cookies.get(cookie_name(TRAINER_COOKIE_NAME)) or None
