"""Session timeout without losing anything (WCAG 2.2.1).

With JavaScript, ``portal/static/js/timeout.js`` shows a dialog ``WARNING_SECONDS`` before the
idle timeout and keeps drafts of typed text in the browser tab. Without it, a form posted after
the timeout never reaches its view: its fields are kept here, encrypted in the signed session
cookie, with the page the form was on. After logging in again that page shows them, once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
import zlib
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from portal.db import get_session
from portal.local_paths import is_local_path
from portal.models import LoginSession
from portal.timeutil import utcnow
from portal.extensions import htmx

# The dialog opens this long before the server logs out (the issue: two minutes).
WARNING_SECONDS = 2 * 60
# Practice mode: after the trainer's timeout drill, the warning comes this soon on the next page.
DRILL_LEAD_SECONDS = 5
KEPT_FORM_KEY = "kept_form"
# Of the kept fields as JSON (non-ASCII letters are escaped): encrypted, and then encoded
# by the session cookie, they take at most about 2.8 KB, and the whole cookie must stay
# under the 4 KB a browser keeps. Bigger is not kept at all.
KEPT_FORM_MAX_CHARS = 1500
# Kept text and browser drafts are dropped after this: they may sit on a shared computer.
KEPT_FORM_MAX_AGE_SECONDS = 60 * 60
# Never kept, on top of password-like names ("code": an activation code is typed again).
NEVER_KEPT_FIELDS = frozenset({"csrf_token", "code"})
SECRET_NAME_PARTS = ("password", "wachtwoord", "secret", "geheim", "token")


def _fernet() -> Fernet:
    """The key that seals kept text: derived from the app's secret key, for this use only."""
    key = current_app.secret_key
    key_bytes = key if isinstance(key, bytes) else str(key).encode()
    derived = hmac.new(key_bytes, b"kept-form encryption", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def sealed(fields: dict[str, str]) -> str:
    """Kept text, encrypted: the session cookie is signed, not secret, and a form may hold a
    BSN, a name or an e-mail address (issue 16, item 6)."""
    return _fernet().encrypt(zlib.compress(json.dumps(fields).encode())).decode()


def opened(value: object) -> dict[str, str]:
    """The fields of ``sealed``; nothing when they were tampered with or are too old."""
    if not isinstance(value, str):
        return {}
    try:
        fields = json.loads(zlib.decompress(_fernet().decrypt(value.encode(), ttl=KEPT_FORM_MAX_AGE_SECONDS)))
    except (InvalidToken, zlib.error, ValueError):
        return {}
    if not isinstance(fields, dict):
        return {}
    return {str(name): str(value) for name, value in fields.items()}


def owner_tag(account_id: int, mandate_id: uuid.UUID | str | None) -> str:
    """Who typed the text: the account and for whom it acted. Keyed, so it tells nothing."""
    key = current_app.secret_key
    key_bytes = key if isinstance(key, bytes) else str(key).encode()
    message = f"kept-form:{account_id}:{mandate_id or ''}".encode()
    return hmac.new(key_bytes, message, hashlib.sha256).hexdigest()[:32]


def dialog_settings() -> dict[str, Any]:
    """What the timeout dialog (``components/timeout_dialog.html``) needs; only when logged in."""
    row: LoginSession | None = g.get("login_session")
    if row is None:
        return {}
    idle_seconds = current_app.config["IDLE_TIMEOUT_SECONDS"]
    if _timeout_drill():
        # Practice mode: the trainer asked for the warning; it comes within seconds.
        idle_seconds = WARNING_SECONDS + DRILL_LEAD_SECONDS
    return {
        "session_timeout": {
            "idle_seconds": idle_seconds,
            "warning_seconds": WARNING_SECONDS,
            "warning_minutes": WARNING_SECONDS // 60,
            "draft_max_age_seconds": KEPT_FORM_MAX_AGE_SECONDS,
            "draft_owner": owner_tag(row.account_id, row.acting_mandate_id),
        }
    }


def _timeout_drill() -> bool:
    """A timeout drill the trainer pushed to this browser's sandbox, taken once by a whole
    page (a fragment has no dialog to show it)."""
    from portal.practice import browser  # practice mode; imported late

    if htmx:
        return False
    sandbox = browser.current_sandbox()
    if sandbox is None or not sandbox.timeout_drill:
        return False
    sandbox.timeout_drill = False
    get_session().commit()
    return True


def form_page() -> str | None:
    """The page a posted form was on: the Referer, only when it is a path on this site."""
    parts = urlsplit(request.headers.get("Referer", ""))
    if parts.scheme != request.scheme or parts.netloc != request.host:
        return None
    if not is_local_path(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _csrf_valid() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _keepable(name: str) -> bool:
    lowered = name.lower()
    return name not in NEVER_KEPT_FIELDS and not any(part in lowered for part in SECRET_NAME_PARTS)


def keep_refused_post(ended: LoginSession | None) -> str | None:
    """A POST refused because the person is not logged in (any more): keep its text fields
    when its session ran out, and return the page to go back to after login (None: none).

    Only with a valid CSRF token: otherwise another site could post text into someone's form.
    """
    page = form_page()
    if page is None or not _csrf_valid():
        return None
    fields = {
        name: values[0]
        for name, values in request.form.lists()
        if len(values) == 1 and values[0].strip() and _keepable(name)
    }
    if ended is not None and fields and len(json.dumps(fields)) <= KEPT_FORM_MAX_CHARS:
        session[KEPT_FORM_KEY] = {
            "page": urlsplit(page).path,
            "fields": sealed(fields),
            "owner": owner_tag(ended.account_id, ended.acting_mandate_id),
            "at": int(utcnow().timestamp()),
        }
    return page


def drop_stale() -> None:
    """Kept text older than the limit goes, whoever asks for whatever page."""
    kept = session.get(KEPT_FORM_KEY)
    if kept is None:
        return
    if not isinstance(kept, dict) or utcnow().timestamp() - kept.get("at", 0) > KEPT_FORM_MAX_AGE_SECONDS:
        session.pop(KEPT_FORM_KEY, None)


def take_kept_fields(row: LoginSession) -> dict[str, str]:
    """On the page of the kept form, for the same person acting for the same box: its
    fields, once. The field macros (``components/field.html``) show them."""
    kept = session.get(KEPT_FORM_KEY)
    if (
        not isinstance(kept, dict)
        or request.method != "GET"
        or htmx
        or request.path != kept.get("page")
    ):
        return {}
    session.pop(KEPT_FORM_KEY, None)
    if kept.get("owner") != owner_tag(row.account_id, row.acting_mandate_id):
        return {}
    fields = opened(kept.get("fields"))
    if not fields:
        return {}
    flash(_("U was uitgelogd. Wat u had ingevuld, staat er weer. Kijk het na en verstuur het opnieuw."), "info")
    return fields
