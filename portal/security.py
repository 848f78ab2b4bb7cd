"""Login required by default, server-side sessions with an idle timeout, security headers.

A visitor who is not logged in reaches only the rows of ``portal.endpoints`` marked public.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for

from portal import endpoints, login_sessions, session_timeout
from portal.practice import browser as practice_browser
from portal.textcheck import is_safe_text
from portal.extensions import htmx

API_BLUEPRINT = "api"
API_PREFIX = "/api/"


def init_app(app: Flask) -> None:
    app.before_request(refuse_unsafe_input)
    app.before_request(_load_login)
    app.after_request(_security_headers)
    app.context_processor(session_timeout.dialog_settings)


def _load_login() -> Response | None:
    g.account = None
    g.login_session = None
    g.kept_form = {}
    session_timeout.drop_stale()
    state = login_sessions.resume(activity=request.endpoint not in endpoints.ENDPOINTS.background)
    if state.account is not None and not practice_browser.fits_this_browser(state.account):
        # Practice mode: a login of another sandbox, or of one that was reset, stopped or ran
        # out, is no login here. (On a real portal every account is of the register.)
        login_sessions.end()
        state = login_sessions.LoginState(None)
    if state.account is not None:
        g.account = state.account
        g.login_session = state.row
        if state.row is not None:
            g.kept_form = session_timeout.take_kept_fields(state.row)
        return None
    if request.endpoint in endpoints.ENDPOINTS.public:
        return None
    if request.blueprint == API_BLUEPRINT or request.path.startswith(API_PREFIX):
        # The organisation API authenticates every request itself, with OAuth2 bearer
        # tokens (portal/api/auth.py); it never uses the citizen's session.
        return None
    if state.expired:
        target = url_for("auth.logged_out", reden="lang" if state.too_long else "tijd")
        if state.ended is not None:
            # Logging in again returns to this page, acting for the same person.
            session[login_sessions.RETURN_ACTING_KEY] = str(state.ended.acting_mandate_id or "self")
    else:
        target = url_for("start.index")
    if request.method == "GET" and request.endpoint is not None:
        session["return_to"] = request.full_path if request.query_string else request.path
        login_sessions.remember_return_owner(state.ended)
    elif request.method == "POST":
        # A form sent after the timeout: back to its page, with what was typed (WCAG 2.2.1).
        form_page = session_timeout.keep_refused_post(state.ended)
        if form_page is not None:
            session["return_to"] = form_page
            login_sessions.remember_return_owner(state.ended)
    if htmx:
        response = Response(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def refuse_unsafe_input() -> None:
    """A form field or query value with NUL, a lone surrogate or another control character
    is refused before any view sees it (the database could not store it anyway)."""
    if request.path.startswith(API_PREFIX):
        return  # the API refuses it with a problem and a pointer (portal/api/parsing.py)
    values = [*request.args.values(), *(request.form.values() if request.method == "POST" else ())]
    if not all(is_safe_text(value) for value in values):
        abort(400)


def content_security_policy() -> str:
    form_targets = ["'self'"]
    issuer = current_app.config.get("OIDC_ISSUER")
    if issuer:
        parts = urlsplit(issuer)
        form_targets.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": " ".join(dict.fromkeys(form_targets)),
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # same-origin, not no-referrer: Flask-WTF checks the Referer of form posts over https;
    # other sites still get nothing.
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint != "static":
        # Pages may hold personal data: never keep them in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
        response.vary.add("HX-Request")
        response.vary.add("Cookie")
    return response
