"""The authorization matrix: every route of the app × every role × {own object, someone else's}.

The route list comes from the app's URL map. Every (method, rule) needs a row in ``ROWS`` below,
and every row needs a route: a new route without a row fails, and so does a row for a route
that is gone. The expected answers are written out here by hand; they are NOT derived from
``portal.policy`` (that would be a check that cannot fail).

Whose data: the matrix is about Joke (the citizen). "Own object" is Joke's letter, case or
mandate: for helpers, Joke gave them the mandate; for the organisation API client, the letter
and case its own organisation (Belastingdienst) sent to Joke. "Someone else's object" belongs
to Emma, an unrelated citizen, and was sent by another organisation (RDW). "Another citizen"
is Ahmed, logged in for himself, trying Joke's object and Emma's object.

Design (speed): one world per module (the demo data, two API clients, letters and cases sent
through the API, the mandates). One test per route; it loops over roles and objects with a
fresh login per request, and puts every mandate and letter back the way the world made it
before each request (a POST may end, accept or archive). All mismatches of a route are
reported at once. CSRF is switched off for this app only (CSRF has its own tests).
"""

from __future__ import annotations

import base64
import enum
import os
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal import create_app
from portal.db import make_engine
from portal.demo.pdf import letter_pdf
from portal.demo.people import by_username
from portal.domain.api_clients import create_client
from portal.models import Account, EndReason, HelpDeskStaff, Letter, Mandate, MandateAsk, MandateKind, Organisation
from portal.policy import HELPER_SCOPES, Scope
from portal.timeutil import utcnow
from tests.conftest import app_settings, empty_database
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate
from tests.support.wsgi_transport import route_http_to

# An assisted session at a help desk lasts one visit.
VISIT_MINUTES = 60
# Where the visit in the world is: started a little while ago.
VISIT_STARTED_MINUTES_AGO = 5
# The dummy e-mail confirmation token: the right form (so the view looks it up), known to nobody.
DUMMY_TOKEN = "matrix" * 5
DUMMY_MAIL_ID = "1"  # a practice e-mail (practice mode only: 404 here whatever the number)
# Texts that are in Joke's and Emma's letter and case only: a body that shows them showed data.
OWN_MARKERS = ("Matrixbrief voor Joke", "Matrixzaak voor Joke")
OTHER_MARKERS = ("Matrixbrief voor Emma", "Matrixzaak voor Emma")
# A valid change of Joke's active mandate: one scope, every organisation, a last day well
# inside the five years (the first day has come, so it is not sent).
CHANGE_FORM = {"taak": Scope.VIEW_CASES.value, "berichten": "alle",
               "einddatum": (date.today() + timedelta(days=90)).isoformat()}
REFUSED_TEXT = "Dit mag u niet doen voor"
LOST_TEXT = "U kunt dit niet meer doen voor een ander"
NOT_YET_TEXT = "U kunt dit nu niet doen voor een ander"
STAFF_ONLY_TEXT = "Deze pagina is voor wie aan een balie werkt"
START_PATH = "/"
BASE_URL = "http://localhost"
API_PREFIX = "/api/"


class Role(enum.Enum):
    ANONYMOUS = "anonymous"
    SELF = "citizen for self (Joke)"
    CITIZEN = "another citizen (Ahmed)"
    WITH = "helper with the needed scope (Sanne)"
    WITHOUT = "helper without it (Tom)"
    EXPIRED = "helper, expired mandate (Sanne)"
    ENDED = "helper, ended mandate (Sanne)"
    FUTURE = "helper, future mandate (Sanne)"
    LEGAL = "legal representative (Kees)"
    VISIT = "assisted-session staff (Marieke, acting)"
    # Not one of the eleven: the same help-desk staff, for herself. Without it no
    # role would reach the help-desk pages, and those rows could not fail for "too strict".
    DESK = "help-desk staff for herself (Marieke)"
    API = "organisation API client (Belastingdienst)"


class Outcome(enum.Enum):
    OK = "OK (2xx, or the redirect of a POST)"
    REDIRECT = "REDIRECT (3xx of a GET, not to the start page)"
    LOGIN = "LOGIN (to the start page; 401 for the API)"
    START = "START (a public page that sends everyone to the start page)"
    REFUSED = "REFUSED (403 refused page)"
    LOST = "LOST (403 lost page)"
    NOT_YET = "NOT_YET (403 page: the mandate has not started)"
    STAFF_ONLY = "STAFF_ONLY (403 page: only for help-desk staff)"
    FORBIDDEN = "FORBIDDEN (plain 403)"
    NOT_FOUND = "NOT_FOUND (404)"
    BAD = "BAD (400)"
    INVALID = "INVALID (422, API)"


OK, REDIRECT, LOGIN, START = Outcome.OK, Outcome.REDIRECT, Outcome.LOGIN, Outcome.START
REFUSED, LOST, FORBIDDEN = Outcome.REFUSED, Outcome.LOST, Outcome.FORBIDDEN
NOT_YET, STAFF_ONLY = Outcome.NOT_YET, Outcome.STAFF_ONLY
NOT_FOUND, BAD, INVALID = Outcome.NOT_FOUND, Outcome.BAD, Outcome.INVALID
R = Role

# One outcome for both objects, or (own object, someone else's object).
Expect = Outcome | tuple[Outcome, Outcome]
Shape = Mapping[Role, Expect]

# ---------------------------------------------------------------------------------------------
# Row shapes. Every shape names all roles; a row may change a few.
# ---------------------------------------------------------------------------------------------

# Public pages: everyone, logged in or not.
PUBLIC: Shape = {role: OK for role in Role}

# Pages of practice mode only (PORTAL_MODE=practice; tests/practice): on this portal, in the
# normal mode, they do not exist for anybody.
PRACTICE_ONLY: Shape = {role: NOT_FOUND for role in Role}

# The start page: visitors see it, anyone logged in goes on to their post.
START_PAGE: Shape = {**{role: REDIRECT for role in Role}, R.ANONYMOUS: OK, R.API: OK}

# Anyone logged in, acting for someone or not, even under a mandate that stopped (choosing,
# stopping, logging out): never the lost page.
ANY_LOGGED_IN: Shape = {**{role: OK for role in Role}, R.ANONYMOUS: LOGIN, R.API: LOGIN}

# A page of the box (no object in the URL) that needs a helper scope. Ahmed and Marieke see
# their own box; that they do not see Joke's is checked by the markers.
SCOPED_PAGE: Shape = {
    R.ANONYMOUS: LOGIN,
    R.SELF: OK,
    R.CITIZEN: OK,
    R.WITH: OK,
    R.WITHOUT: REFUSED,
    R.EXPIRED: LOST,
    R.ENDED: LOST,
    R.FUTURE: NOT_YET,
    R.LEGAL: OK,
    R.VISIT: OK,
    R.DESK: OK,
    R.API: LOGIN,
}

# The open box's poll for new letters (messages.new_letters), asked without htmx as here: it
# sends whoever may read the box to the box itself.
SCOPED_POLL: Shape = {**SCOPED_PAGE, R.SELF: REDIRECT, R.CITIZEN: REDIRECT, R.WITH: REDIRECT,
                      R.LEGAL: REDIRECT, R.VISIT: REDIRECT, R.DESK: REDIRECT}

# A letter or case (or an action on one) that needs a helper scope: 404, never 403, for an
# object outside the box, so its existence is not revealed.
SCOPED_OBJECT: Shape = {
    R.ANONYMOUS: LOGIN,
    R.SELF: (OK, NOT_FOUND),
    R.CITIZEN: NOT_FOUND,
    R.WITH: (OK, NOT_FOUND),
    R.WITHOUT: REFUSED,
    R.EXPIRED: LOST,
    R.ENDED: LOST,
    R.FUTURE: NOT_YET,
    R.LEGAL: (OK, NOT_FOUND),
    R.VISIT: (OK, NOT_FOUND),
    R.DESK: NOT_FOUND,
    R.API: LOGIN,
}

# The e-mail confirmation link with a token nobody has: 404 for whoever may get that far.
SCOPED_UNKNOWN_TOKEN: Shape = {**SCOPED_PAGE, R.SELF: NOT_FOUND, R.CITIZEN: NOT_FOUND, R.WITH: NOT_FOUND,
                               R.LEGAL: NOT_FOUND, R.VISIT: NOT_FOUND, R.DESK: NOT_FOUND}

# A POST without a valid form, to an endpoint that needs a helper scope: 400 proves the
# policy let the role through.
SCOPED_BAD_FORM: Shape = {**SCOPED_PAGE, R.SELF: BAD, R.CITIZEN: BAD, R.WITH: BAD, R.LEGAL: BAD,
                          R.VISIT: BAD, R.DESK: BAD}

# The citizen's side of mandates: the citizen, or their legal representative; never a helper,
# never an assisted session.
MANAGE_PAGE: Shape = {
    R.ANONYMOUS: LOGIN,
    R.SELF: OK,
    R.CITIZEN: OK,
    R.WITH: REFUSED,
    R.WITHOUT: REFUSED,
    R.EXPIRED: LOST,
    R.ENDED: LOST,
    R.FUTURE: NOT_YET,
    R.LEGAL: OK,
    R.VISIT: REFUSED,
    R.DESK: OK,
    R.API: LOGIN,
}
MANAGE_OBJECT: Shape = {**MANAGE_PAGE, R.SELF: (OK, NOT_FOUND), R.CITIZEN: NOT_FOUND,
                        R.LEGAL: (OK, NOT_FOUND), R.DESK: NOT_FOUND}
MANAGE_BAD_FORM: Shape = {**MANAGE_PAGE, R.SELF: BAD, R.CITIZEN: BAD, R.LEGAL: BAD, R.DESK: BAD}

# The helper's side: only for yourself, never while acting for someone.
SELF_PAGE: Shape = {**MANAGE_PAGE, R.LEGAL: REFUSED}
SELF_OBJECT: Shape = {**SELF_PAGE, R.SELF: (OK, NOT_FOUND), R.CITIZEN: NOT_FOUND, R.DESK: NOT_FOUND}
SELF_BAD_FORM: Shape = {**SELF_PAGE, R.SELF: BAD, R.CITIZEN: BAD, R.DESK: BAD}

# Help-desk pages: registered staff, for themselves. Everyone else who is not staff, acting
# for someone or not, is told the page is for help-desk staff (issue 18, item 5: the real
# reason, not "your machtiging does not allow it"); staff acting for someone get the refusal
# "only for yourself".
HELP_DESK_PAGE: Shape = {**SELF_PAGE, R.SELF: STAFF_ONLY, R.CITIZEN: STAFF_ONLY,
                         R.WITH: STAFF_ONLY, R.WITHOUT: STAFF_ONLY, R.LEGAL: STAFF_ONLY}
HELP_DESK_BAD_FORM: Shape = {**HELP_DESK_PAGE, R.DESK: BAD}

# The organisation API: a bearer token, never the citizen's cookie (401 for everyone else).
API_PUBLIC: Shape = PUBLIC
API_ONLY: Shape = {role: LOGIN for role in Role}
API_TOKEN: Shape = {**API_ONLY, R.API: OK}
API_OBJECT: Shape = {**API_ONLY, R.API: (OK, NOT_FOUND)}
API_OBJECT_INVALID_BODY: Shape = {**API_ONLY, R.API: (INVALID, NOT_FOUND)}
API_INVALID_BODY: Shape = {**API_ONLY, R.API: INVALID}
# The client has letters:send and cases:write, not subscriptions:check.
API_WITHOUT_SCOPE: Shape = {**API_ONLY, R.API: FORBIDDEN}


@dataclass(frozen=True)
class Row:
    endpoint: str
    expect: Shape
    # What "helper with the needed scope" gets (written here, not read from the policy).
    # None: the endpoint needs no helper scope; the helper gets all of them, "without" none.
    scope: Scope | None = None
    # Which of Joke's / Emma's objects fill the URL (see ``World.objects``).
    object: str | None = None
    form: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    # Joke's text that an OK answer about her own object must show (to a role that acts for
    # her): proof that the answer is her data, not an empty page or another box.
    shows: str | None = None


# Every route: (method, rule) -> Row. Keep in the order of tests/test_security.py.
ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/"): Row("start.index", START_PAGE),
    # DigiD: the login sends everyone to the (practice) DigiD; the callback without a code fails.
    ("GET", "/inloggen"): Row("auth.login", {role: REDIRECT for role in Role}),
    ("GET", "/inloggen/terug"): Row("auth.callback", {role: BAD for role in Role}),
    ("GET", "/inloggen/europees"): Row("auth.eidas", PUBLIC),
    ("POST", "/uitloggen"): Row("auth.logout", ANY_LOGGED_IN),
    # The timeout dialog's "Ingelogd blijven" (204).
    ("POST", "/sessie/verlengen"): Row("auth.keep_alive", ANY_LOGGED_IN),
    ("GET", "/uitgelogd"): Row("auth.logged_out", PUBLIC),
    # Without a refusal in the session there is nothing to explain: to the start page.
    ("GET", "/geen-account"): Row("auth.refused", {role: START for role in Role}),
    ("GET", "/berichten/"): Row("messages.inbox", SCOPED_PAGE, Scope.READ_LETTERS),
    ("GET", "/berichten/archief"): Row("messages.archive", SCOPED_PAGE, Scope.READ_LETTERS),
    ("GET", "/berichten/nieuw"): Row("messages.new_letters", SCOPED_POLL, Scope.READ_LETTERS),
    ("GET", "/berichten/<uuid:letter_id>"): Row(
        "messages.letter", SCOPED_OBJECT, Scope.READ_LETTERS, "letter", shows=OWN_MARKERS[0]),
    ("GET", "/berichten/<uuid:letter_id>/afdrukken"): Row(
        "messages.print_view", SCOPED_OBJECT, Scope.READ_LETTERS, "letter", shows=OWN_MARKERS[0]),
    ("GET", "/berichten/<uuid:letter_id>/bijlagen/<uuid:attachment_id>"): Row(
        "messages.attachment", SCOPED_OBJECT, Scope.READ_LETTERS, "letter"),
    ("POST", "/berichten/<uuid:letter_id>/archiveren"): Row(
        "messages.archive_letter", SCOPED_OBJECT, Scope.MANAGE_LETTERS, "letter"),
    ("POST", "/berichten/<uuid:letter_id>/terugzetten"): Row(
        "messages.restore_letter", SCOPED_OBJECT, Scope.MANAGE_LETTERS, "letter"),
    ("GET", "/zaken/"): Row("cases.index", SCOPED_PAGE, Scope.VIEW_CASES, shows=OWN_MARKERS[1]),
    ("GET", "/zaken/<uuid:case_id>"): Row("cases.case", SCOPED_OBJECT, Scope.VIEW_CASES, "case", shows=OWN_MARKERS[1]),
    ("GET", "/instellingen"): Row("settings.index", SCOPED_PAGE, Scope.CHANGE_SETTINGS),
    ("POST", "/instellingen/organisaties"): Row(
        "settings.save_subscriptions", SCOPED_PAGE, Scope.CHANGE_SETTINGS),
    ("GET", "/instellingen/e-mail"): Row("settings.email", SCOPED_PAGE, Scope.CHANGE_SETTINGS),
    ("GET", "/instellingen/e-mail/adres"): Row("settings.email_address_form", SCOPED_PAGE, Scope.CHANGE_SETTINGS),
    # An empty address: the form again with its error (this view answers 200, see the report).
    ("POST", "/instellingen/e-mail/adres"): Row(
        "settings.save_email_address", SCOPED_PAGE, Scope.CHANGE_SETTINGS, form={"email": ""}),
    ("POST", "/instellingen/e-mail/voorkeuren"): Row(
        "settings.save_email_preferences", SCOPED_BAD_FORM, Scope.CHANGE_SETTINGS),
    ("POST", "/instellingen/e-mail/verwijderen"): Row(
        "settings.remove_email_address", SCOPED_PAGE, Scope.CHANGE_SETTINGS),
    ("GET", "/instellingen/e-mail/bevestigen/<token>"): Row(
        "settings.email_confirm_page", SCOPED_UNKNOWN_TOKEN, Scope.CHANGE_SETTINGS),
    ("POST", "/instellingen/e-mail/bevestigen/<token>"): Row(
        "settings.confirm_email_address", SCOPED_UNKNOWN_TOKEN, Scope.CHANGE_SETTINGS),
    ("POST", "/taal"): Row("settings.language", PUBLIC, form={"taal": "nl", "terug": "/uitgelogd"}),
    ("POST", "/instellingen/tekstgrootte"): Row(
        "settings.text_size", PUBLIC, form={"tekst": "groot", "terug": "/uitgelogd"}),
    ("GET", "/gegevens"): Row("profile.index", SCOPED_PAGE, Scope.VIEW_PERSONAL_DATA),
    # Mandates: acting for someone.
    ("GET", "/handelen-voor"): Row("mandates.choose", ANY_LOGGED_IN),
    ("POST", "/handelen-voor"): Row("mandates.act_for", ANY_LOGGED_IN, form={"voor": "mijzelf"}),
    ("POST", "/handelen-voor/stoppen"): Row("mandates.stop_acting", ANY_LOGGED_IN),
    # Mandates: the citizen's side.
    ("GET", "/machtigingen/"): Row("mandates.index", MANAGE_PAGE),
    ("GET", "/machtigingen/geven"): Row("mandates.grant_form", MANAGE_PAGE),
    ("POST", "/machtigingen/geven"): Row("mandates.grant", MANAGE_BAD_FORM),
    ("GET", "/machtigingen/<uuid:mandate_id>"): Row("mandates.detail", MANAGE_OBJECT, object="given"),
    ("POST", "/machtigingen/<uuid:mandate_id>/stoppen"): Row("mandates.end", MANAGE_OBJECT, object="given"),
    ("GET", "/machtigingen/<uuid:mandate_id>/wijzigen"): Row("mandates.change_form", MANAGE_OBJECT, object="given"),
    # A valid change (so OK proves the change went through, not only the policy).
    ("POST", "/machtigingen/<uuid:mandate_id>/wijzigen"): Row(
        "mandates.change", MANAGE_OBJECT, object="given", form=CHANGE_FORM),
    ("POST", "/machtigingen/<uuid:mandate_id>/goedkeuren"): Row(
        "mandates.approve", MANAGE_OBJECT, object="request"),
    ("POST", "/machtigingen/<uuid:mandate_id>/afwijzen"): Row(
        "mandates.decline", MANAGE_OBJECT, object="request"),
    ("GET", "/machtigingen/logboek"): Row("mandates.log", MANAGE_PAGE),
    # Mandates: the helper's side.
    ("GET", "/machtigingen/gekregen/<uuid:mandate_id>"): Row("mandates.held", SELF_OBJECT, object="held"),
    ("POST", "/machtigingen/gekregen/<uuid:mandate_id>/accepteren"): Row(
        "mandates.accept", SELF_OBJECT, object="held_pending"),
    ("POST", "/machtigingen/gekregen/<uuid:mandate_id>/weigeren"): Row(
        "mandates.refuse", SELF_OBJECT, object="held_pending"),
    ("POST", "/machtigingen/gekregen/<uuid:mandate_id>/teruggeven"): Row(
        "mandates.give_back", SELF_OBJECT, object="held"),
    ("GET", "/machtigingen/vragen"): Row("mandates.request_form", SELF_PAGE),
    ("POST", "/machtigingen/vragen"): Row("mandates.request", SELF_BAD_FORM),
    ("POST", "/machtigingen/vragen/<uuid:ask_id>/intrekken"): Row("mandates.withdraw_ask", SELF_OBJECT, object="ask"),
    ("GET", "/machtigingen/activeren"): Row("mandates.activate_form", SELF_PAGE),
    ("POST", "/machtigingen/activeren"): Row("mandates.activate", SELF_BAD_FORM),
    ("GET", "/machtigingen/mijn-acties"): Row("mandates.my_actions", SELF_PAGE),
    # Help desk: assisted sessions.
    ("GET", "/balie/"): Row("helpdesk.index", HELP_DESK_PAGE),
    ("POST", "/balie/bezoek"): Row("helpdesk.start_visit", HELP_DESK_BAD_FORM),
    # Hulp nodig?: public. A valid postcode, so OK proves the search ran (an empty form is 400).
    ("GET", "/hulp"): Row("help.index", PUBLIC),
    ("POST", "/hulp"): Row("help.find", PUBLIC, form={"postcode": "3511 AB"}),
    ("GET", "/hulp/oefenomgeving"): Row("help.practice", PUBLIC),
    # Practice mode: a learner's sandbox (begin, start again, stop).
    ("GET", "/oefenen/"): Row("practice.start", PRACTICE_ONLY),
    ("POST", "/oefenen/beginnen"): Row("practice.begin", PRACTICE_ONLY, form={"les": "beginnen"}),
    ("POST", "/oefenen/opnieuw"): Row("practice.reset", PRACTICE_ONLY),
    ("POST", "/oefenen/stoppen"): Row("practice.stop", PRACTICE_ONLY),
    ("POST", "/oefenen/meedoen"): Row("practice.join", PRACTICE_ONLY, form={"code": "ACDEFG", "naam": "Anna"}),
    ("GET", "/oefenen/trainer"): Row("practice.trainer_start", PRACTICE_ONLY),
    ("POST", "/oefenen/trainer/les"): Row("practice.begin_class", PRACTICE_ONLY, form={"les": "beginnen", "duur": "2"}),
    ("GET", "/oefenen/trainer/les"): Row("practice.console", PRACTICE_ONLY),
    ("GET", "/oefenen/trainer/les/deelnemers"): Row("practice.learners", PRACTICE_ONLY),
    ("POST", "/oefenen/trainer/les/sturen"): Row("practice.push", PRACTICE_ONLY, form={"wat": "brief", "aan": "iedereen"}),
    ("POST", "/oefenen/trainer/terug"): Row("practice.trainer_return", PRACTICE_ONLY, form={"code": "ACDE-FGHJ-KMNP"}),
    ("POST", "/oefenen/trainer/weg"): Row("practice.trainer_leave", PRACTICE_ONLY),
    ("GET", "/oefenen/kaarten/"): Row("practice.cards_index", PRACTICE_ONLY),
    ("GET", "/oefenen/kaarten/<lesson_key>"): Row("practice.cards", PRACTICE_ONLY, object="lesson"),
    ("GET", "/oefenen/e-mail"): Row("practice.mail", PRACTICE_ONLY),
    ("GET", "/oefenen/e-mail/<int:mail_id>"): Row("practice.mail_message", PRACTICE_ONLY),
    # The organisation API.
    ("POST", "/api/v1/oauth/token"): Row("api.token", API_TOKEN, form={"grant_type": "client_credentials"}),
    ("POST", "/api/v1/subscriptions/check"): Row(
        "api.check_subscriptions", API_WITHOUT_SCOPE, json={"bsns": ["999900006"]}),
    ("POST", "/api/v1/letters"): Row("api.send_letter", API_INVALID_BODY, json={}),
    ("POST", "/api/v1/letters/batch"): Row("api.send_letters", API_INVALID_BODY, json={}),
    ("GET", "/api/v1/letters/<uuid:letter_id>"): Row("api.letter_receipt", API_OBJECT, object="letter"),
    ("POST", "/api/v1/cases"): Row("api.open_case", API_INVALID_BODY, json={}),
    ("GET", "/api/v1/cases/<uuid:case_id>"): Row("api.case_state", API_OBJECT, object="case", shows=OWN_MARKERS[1]),
    ("POST", "/api/v1/cases/<uuid:case_id>/status"): Row(
        "api.post_status", API_OBJECT_INVALID_BODY, object="case", json={}),
    ("POST", "/api/v1/cases/<uuid:case_id>/close"): Row(
        "api.close_case", API_OBJECT_INVALID_BODY, object="case", json={"text": 5}),
    ("POST", "/api/v1/cases/<uuid:case_id>/letters"): Row(
        "api.link_letter", API_OBJECT_INVALID_BODY, object="case", json={}),
    ("GET", "/api/v1/jwks.json"): Row("api.signing_keys", API_PUBLIC),
    ("GET", "/api/v1/openapi.json"): Row("api.openapi", API_PUBLIC),
    ("GET", "/api/v1/docs"): Row("api.docs", API_PUBLIC),
}

# Roles that act for Joke (or, for the API, its own organisation's objects): only they may see
# Joke's letter and case, and only in an OK answer. Emma's never shows anywhere.
SEES_OWN = frozenset({R.SELF, R.WITH, R.LEGAL, R.VISIT, R.API})
SKIPPED_METHODS = frozenset({"HEAD", "OPTIONS"})
SKIPPED_ENDPOINTS = frozenset({"static"})


def app_routes(app: Flask) -> dict[tuple[str, str], str]:
    """(method, rule) -> endpoint of every route in the URL map the matrix covers."""
    return {
        (method, rule.rule): rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED_ENDPOINTS
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS)
    }


def _routes_at_collection() -> dict[tuple[str, str], str]:
    """The URL map, read once when the tests are collected (no database is touched)."""
    before = os.environ.get("PORTAL_INSTANCE_PATH")
    with tempfile.TemporaryDirectory() as instance:
        os.environ["PORTAL_INSTANCE_PATH"] = instance
        try:
            return app_routes(create_app(app_settings("sqlite://", BASE_URL)))
        finally:
            if before is None:
                os.environ.pop("PORTAL_INSTANCE_PATH", None)
            else:
                os.environ["PORTAL_INSTANCE_PATH"] = before


ROUTES = _routes_at_collection()
KEYS = sorted(set(ROUTES) | set(ROWS), key=lambda key: (key[1], key[0]))


# ---------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------


@dataclass
class World:
    app: Flask
    db: Session
    # Role -> the mandate its login acts under (None: for themselves, or not logged in).
    acting: dict[Role, Mandate | None]
    # Object name -> (Joke's, Emma's): ids to put in URLs.
    objects: dict[str, tuple[dict[str, str], dict[str, str]]]
    api_token: str
    api_basic: str
    # Every mandate and letter as the world made them, put back before each request.
    mandate_rows: list[dict[str, Any]] = field(default_factory=list)
    letter_ids: list[uuid.UUID] = field(default_factory=list)

    def restore(self, row: Row) -> None:
        """Put every mandate and letter back, with the row's scopes for the two helpers."""
        with_scopes, without_scopes = _helper_scopes(row.scope)
        scopes = {self.acting[R.WITH].id: with_scopes, self.acting[R.WITHOUT].id: without_scopes}  # type: ignore[union-attr]
        rows = [{**columns, "scopes": scopes[columns["id"]]} if columns["id"] in scopes else columns
                for columns in self.mandate_rows]
        self.db.execute(update(Mandate), rows)
        self.db.execute(update(Letter).where(Letter.id.in_(self.letter_ids)).values(archived=False))
        self.db.execute(update(MandateAsk).values(withdrawn_at=None))
        self.db.commit()
        self.db.expire_all()


def _helper_scopes(scope: Scope | None) -> tuple[frozenset[Scope], frozenset[Scope]]:
    """The scopes of "helper with the needed scope" and of "helper without it"."""
    if scope is None:
        return frozenset(HELPER_SCOPES), frozenset()
    return frozenset({scope}), frozenset(HELPER_SCOPES) - {scope}


def _snapshot(mandate: Mandate) -> dict[str, Any]:
    return {column.key: getattr(mandate, column.key) for column in Mandate.__table__.columns}


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _api_client(app: Flask, db: Session, organisation_name: str, scopes: list[str]) -> tuple[str, str]:
    """A client of the organisation: (bearer token, basic auth header)."""
    organisation = db.scalar(select(Organisation).where(Organisation.name == organisation_name))
    assert organisation is not None, organisation_name
    new = create_client(db, organisation, "matrix", scopes)
    db.commit()
    basic = _basic(new.client_id, new.client_secret)
    response = app.test_client().post(
        "/api/v1/oauth/token", data={"grant_type": "client_credentials", "scope": " ".join(scopes)},
        headers={"Authorization": basic})
    assert response.status_code == 200, response.json
    return response.json["access_token"], basic  # type: ignore[index]


def _send(app: Flask, token: str, username: str, subject: str, reference: str) -> tuple[str, str]:
    """A letter with an attachment and a case, through the API: (letter id, case id)."""
    person = by_username(username)
    assert person is not None
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    letter = client.post("/api/v1/letters", headers=headers, json={
        "bsn": person.bsn,
        "letter_type": "informatie",
        "subject": subject,
        "body": "Deze brief is er alleen voor de test van wie wat mag zien.",
        "reference": reference,
        "attachments": [{
            "filename": "bijlage.pdf",
            "kind": "personal",
            "content": base64.b64encode(letter_pdf("Bijlage", ["Test"])).decode(),
        }],
    })
    assert letter.status_code == 201, letter.json
    case_title = subject.replace("Matrixbrief", "Matrixzaak")
    case = client.post("/api/v1/cases", headers=headers, json={
        "bsn": person.bsn, "title": case_title, "reference": reference, "steps": ["Ontvangen", "Besluit"]})
    assert case.status_code == 201, case.json
    return letter.json["letter_id"], case.json["case_id"]  # type: ignore[index]


def build_world(app: Flask, db: Session, now: datetime) -> World:
    from portal.demo.seed import seed_demo

    seed_demo(db, now.date(), now)
    db.commit()
    accounts = {name: account_of(db, name) for name in ("joke", "sanne", "ahmed", "kees", "marieke", "tom", "emma")}
    joke, sanne, kees, marieke, tom, emma = (
        accounts[n] for n in ("joke", "sanne", "kees", "marieke", "tom", "emma"))

    token, basic = _api_client(app, db, "Belastingdienst", ["letters:send", "cases:write"])
    rdw_token, _ = _api_client(app, db, "RDW", ["letters:send", "cases:write"])
    own_letter, own_case = _send(app, token, "joke", OWN_MARKERS[0], "MATRIX-JOKE-1")
    other_letter, other_case = _send(app, rdw_token, "emma", OTHER_MARKERS[0], "MATRIX-EMMA-1")
    letters = {lid: db.get(Letter, uuid.UUID(lid)) for lid in (own_letter, other_letter)}
    attachment = {lid: str(letter.attachments[0].id) for lid, letter in letters.items()}  # type: ignore[union-attr]

    def mandate(giver: Account, helper: Account, **kwargs: Any) -> Mandate:
        made = make_mandate(db, giver, helper, now=now, **kwargs)
        made.first_used_at = made.accepted_at  # no "first used" letter on every request
        if made.kind is MandateKind.REQUESTED:
            made.created_by_id = helper.id
        db.commit()
        return made

    day = timedelta(days=1)
    visit_start = now - timedelta(minutes=VISIT_STARTED_MINUTES_AGO)
    acting: dict[Role, Mandate | None] = {role: None for role in Role}
    acting[R.WITH] = mandate(joke, sanne)
    acting[R.WITHOUT] = mandate(joke, tom)
    acting[R.EXPIRED] = mandate(joke, sanne, starts_at=now - 400 * day, ends_at=now - day)
    acting[R.ENDED] = ended = mandate(joke, sanne, starts_at=now - 30 * day)
    ended.ended_at, ended.end_reason, ended.ended_by_id = now - timedelta(hours=1), EndReason.REVOKED, joke.id
    db.commit()
    acting[R.FUTURE] = mandate(joke, sanne, starts_at=now + day, ends_at=now + 30 * day)
    acting[R.LEGAL] = mandate(joke, kees, kind=MandateKind.LEGAL, ends_at=None)
    acting[R.VISIT] = mandate(joke, marieke, kind=MandateKind.ASSISTED, starts_at=visit_start,
                              ends_at=visit_start + timedelta(minutes=VISIT_MINUTES))
    if db.scalar(select(HelpDeskStaff).where(HelpDeskStaff.account_id == marieke.id)) is None:
        db.add(HelpDeskStaff(account_id=marieke.id, desk_name="Bibliotheek Utrecht"))
        db.commit()

    # Mandates as objects in URLs: Joke's (she gave it, she was asked, she holds it) and Emma's.
    given = mandate(joke, emma)
    requested = mandate(joke, emma, kind=MandateKind.REQUESTED, accepted=False)
    held = mandate(emma, joke)
    held_pending = mandate(emma, joke, accepted=False)
    other_active = mandate(emma, tom)
    other_requested = mandate(emma, tom, kind=MandateKind.REQUESTED, accepted=False)
    other_pending = mandate(emma, tom, accepted=False)
    # The representative's own: he asked Joke, and Joke gave him one herself (issue 16, item 1).
    kees_asked = mandate(joke, kees, kind=MandateKind.REQUESTED, accepted=False)
    kees_given = mandate(joke, kees)
    # Asks as their helper typed them (issue 16, item 5): Joke's own, and Tom's.
    asks = {helper.id: MandateAsk(helper_id=helper.id, asked_at=now, lapses_at=now + 30 * day,
                                  bsn_masked="******079", surname="Boer") for helper in (joke, tom)}
    db.add_all(asks.values())
    db.commit()

    def ids(**values: str) -> dict[str, str]:
        return values

    objects = {
        "letter": (ids(letter_id=own_letter, attachment_id=attachment[own_letter]),
                   ids(letter_id=other_letter, attachment_id=attachment[other_letter])),
        "case": (ids(case_id=own_case), ids(case_id=other_case)),
        "given": (ids(mandate_id=str(given.id)), ids(mandate_id=str(other_active.id))),
        "request": (ids(mandate_id=str(requested.id)), ids(mandate_id=str(other_requested.id))),
        "held": (ids(mandate_id=str(held.id)), ids(mandate_id=str(other_active.id))),
        "held_pending": (ids(mandate_id=str(held_pending.id)), ids(mandate_id=str(other_pending.id))),
        "representatives_own": (ids(mandate_id=str(kees_asked.id)), ids(mandate_id=str(kees_given.id))),
        "ask": (ids(ask_id=str(asks[joke.id].id)), ids(ask_id=str(asks[tom.id].id))),
        # Lessons are the same for everyone: both columns ask for one.
        "lesson": ({"lesson_key": "beginnen"}, {"lesson_key": "machtigen"}),
    }
    db.commit()
    everything = db.scalars(select(Mandate)).all()
    world = World(app=app, db=db, acting=acting, objects=objects,
                  api_token=token, api_basic=basic,
                  mandate_rows=[_snapshot(m) for m in everything],
                  letter_ids=[uuid.UUID(own_letter), uuid.UUID(other_letter)])
    return world


def _quick_commits(engine: Engine) -> None:
    """Do not wait for the disk at every commit: this is a test database, and the matrix
    commits some thousand times (SQLite in WAL mode: synchronous NORMAL; PostgreSQL: no
    synchronous commit)."""
    statement = {"sqlite": "PRAGMA synchronous=NORMAL", "postgresql": "SET synchronous_commit TO OFF"}.get(
        engine.dialect.name)
    if statement is None:
        return

    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(statement)
        cursor.close()

    event.listen(engine, "connect", on_connect)


@pytest.fixture(scope="module")
def world(migrated_engine: Engine, database_url: str, instance_path: str) -> Iterator[World]:
    empty_database(migrated_engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_INSTANCE_PATH", instance_path)
        # CSRF has its own tests; the matrix is about who may reach what.
        app = create_app({**app_settings(database_url, BASE_URL), "WTF_CSRF_ENABLED": False})
    _quick_commits(app.extensions["portal.engine"])
    engine = make_engine(database_url)
    _quick_commits(engine)
    with Session(engine, expire_on_commit=False) as db:
        yield build_world(app, db, utcnow())
    app.extensions["portal.engine"].dispose()
    engine.dispose()
    empty_database(migrated_engine)


# ---------------------------------------------------------------------------------------------
# Asking, and judging the answer
# ---------------------------------------------------------------------------------------------

LOGINS: dict[Role, str] = {
    R.SELF: "joke", R.CITIZEN: "ahmed", R.WITH: "sanne", R.WITHOUT: "tom", R.EXPIRED: "sanne",
    R.ENDED: "sanne", R.FUTURE: "sanne", R.LEGAL: "kees", R.VISIT: "marieke", R.DESK: "marieke",
}


def _client(world: World, role: Role) -> FlaskClient:
    client = world.app.test_client()
    if role in LOGINS:
        log_in(client, world.db, LOGINS[role])
        mandate = world.acting[role]
        if mandate is not None:
            act_under(client, world.db, mandate)
    return client


def _url(rule: str, values: Mapping[str, str]) -> str:
    url = rule
    for name, value in {**values, "token": DUMMY_TOKEN, "mail_id": DUMMY_MAIL_ID}.items():
        url = url.replace(f"<uuid:{name}>", value).replace(f"<int:{name}>", value).replace(f"<{name}>", value)
    assert "<" not in url, f"no value for a part of {rule}"
    return url


def _ask(world: World, client: FlaskClient, role: Role, method: str, rule: str, row: Row,
         values: Mapping[str, str]) -> TestResponse:
    headers: dict[str, str] = {}
    if role is R.API:
        headers["Authorization"] = world.api_basic if row.endpoint == "api.token" else f"Bearer {world.api_token}"
    kwargs: dict[str, Any] = {"headers": headers}
    if method == "POST":
        if row.json is not None:
            kwargs["json"] = row.json
        else:
            kwargs["data"] = dict(row.form)
    return client.open(_url(rule, values), method=method, **kwargs)


def _kind(response: TestResponse, method: str, api: bool) -> Outcome | str:
    """What the answer was, in the matrix's words (or a description when it is none of them)."""
    status = response.status_code
    body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
    location = urlsplit(response.location or "").path
    if api and status == 401:
        return LOGIN
    if 300 <= status < 400:
        if location == START_PATH:
            return START
        return OK if method == "POST" else REDIRECT
    if 200 <= status < 300:
        return OK
    if status == 403:
        if REFUSED_TEXT in body:
            return REFUSED
        if LOST_TEXT in body:
            return LOST
        if NOT_YET_TEXT in body:
            return NOT_YET
        if STAFF_ONLY_TEXT in body:
            return STAFF_ONLY
        return FORBIDDEN
    simple = {404: NOT_FOUND, 400: BAD, 422: INVALID}
    if status in simple:
        return simple[status]
    return f"{status} {response.location or ''}".strip()


def _matches(expected: Outcome, got: Outcome | str, api: bool) -> bool:
    if expected is LOGIN and not api:
        # For a page, being sent to log in is being sent to the start page.
        return got in (LOGIN, START)
    return got == expected


def _text(response: TestResponse) -> str:
    readable = response.mimetype.startswith("text/") or response.mimetype.endswith("json")
    return response.get_data(as_text=True) if readable else ""


def _leaks(role: Role, got: Outcome | str, response: TestResponse) -> list[str]:
    body = _text(response)
    shown = [marker for marker in OTHER_MARKERS if marker in body]
    if role not in SEES_OWN or got is not OK:
        shown += [marker for marker in OWN_MARKERS if marker in body]
    return shown


def _name(outcome: Outcome | str) -> str:
    return outcome.name if isinstance(outcome, Outcome) else outcome


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    missing = sorted(set(ROUTES) - set(ROWS))
    gone = sorted(set(ROWS) - set(ROUTES))
    renamed = sorted(key for key in set(ROUTES) & set(ROWS) if ROUTES[key] != ROWS[key].endpoint)
    assert not (missing or gone or renamed), (
        f"routes without a row: {missing}; rows without a route: {gone}; other endpoint: {renamed}")


def test_every_row_names_every_role() -> None:
    incomplete = {key: sorted(r.name for r in set(Role) - set(row.expect)) for key, row in ROWS.items()
                  if set(row.expect) != set(Role)}
    assert not incomplete


@pytest.mark.parametrize("key", KEYS, ids=[f"{method} {rule}" for method, rule in KEYS])
def test_route(key: tuple[str, str], world: World) -> None:
    method, rule = key
    assert key in ROWS, f"{method} {rule} ({ROUTES.get(key)}) has no row in the authorization matrix"
    row = ROWS[key]
    assert key in ROUTES, f"{method} {rule} ({row.endpoint}) is in the matrix but not in the app"
    assert ROUTES[key] == row.endpoint, f"{method} {rule} is {ROUTES[key]}, the row says {row.endpoint}"
    objects = world.objects[row.object] if row.object else ({}, {})
    api = rule.startswith(API_PREFIX)
    problems = []
    # Server-to-server calls to the practice DigiD (login, logout) stay inside the process.
    with route_http_to(world.app, BASE_URL):
        # A GET changes nothing the matrix depends on: one login per role will do. A POST
        # may end, accept or archive, or log out: everything is put back before each one.
        clients: dict[Role, FlaskClient] = {}
        if method == "GET":
            world.restore(row)
            clients = {role: _client(world, role) for role in Role}
        for role in Role:
            expected = row.expect[role]
            pairs = expected if isinstance(expected, tuple) else (expected, expected)
            # Without an object in the URL the two columns are the same request: ask once.
            targets = (("own", 0), ("other", 1)) if row.object else (("-", 0),)
            for label, index in targets:
                if method == "GET":
                    client = clients[role]
                else:
                    world.restore(row)
                    client = _client(world, role)
                response = _ask(world, client, role, method, rule, row, objects[index])
                got = _kind(response, method, api)
                if not _matches(pairs[index], got, api):
                    problems.append(f"{role.name:9} {label:5}: expected {pairs[index].name}, got {_name(got)}")
                leaked = _leaks(role, got, response)
                if leaked:
                    problems.append(f"{role.name:9} {label:5}: the answer shows {leaked}")
                if row.shows and role in SEES_OWN and index == 0 and got is OK and row.shows not in _text(response):
                    problems.append(f"{role.name:9} {label:5}: the answer does not show {row.shows!r}")
    assert not problems, f"{method} {rule} ({row.endpoint}):\n" + "\n".join(problems)


# The loop of issue 16, item 1: Kees asks Joke for a mandate for himself, then acts for her as
# her representative and approves it, or changes the one she gave him. Written out by hand:
# every one of these is a plain 403 and changes nothing.
OWN_MANDATE_ATTEMPTS = [
    ("POST", "/machtigingen/<uuid:mandate_id>/goedkeuren", 0, {}),
    ("POST", "/machtigingen/<uuid:mandate_id>/goedkeuren", 1, {}),
    ("GET", "/machtigingen/<uuid:mandate_id>/wijzigen", 0, {}),
    ("GET", "/machtigingen/<uuid:mandate_id>/wijzigen", 1, {}),
    ("POST", "/machtigingen/<uuid:mandate_id>/wijzigen", 0, CHANGE_FORM),
    ("POST", "/machtigingen/<uuid:mandate_id>/wijzigen", 1, {**CHANGE_FORM, "taak": Scope.READ_LETTERS.value}),
]


@pytest.mark.parametrize(("method", "rule", "index", "form"), OWN_MANDATE_ATTEMPTS,
                         ids=[f"{m} {r} {'asked' if i == 0 else 'given'}" for m, r, i, _f in OWN_MANDATE_ATTEMPTS])
def test_a_representative_never_approves_or_changes_his_own_mandate(
    world: World, method: str, rule: str, index: int, form: Mapping[str, str]
) -> None:
    row = ROWS[(method, rule)]
    world.restore(row)
    values = world.objects["representatives_own"][index]
    target = world.db.get(Mandate, uuid.UUID(values["mandate_id"]))
    assert target is not None and target.helper_id == world.acting[R.LEGAL].helper_id  # type: ignore[union-attr]
    before = _snapshot(target)
    client = _client(world, R.LEGAL)
    response = client.open(_url(rule, values), method=method, data=dict(form))
    assert (response.status_code, _kind(response, method, False)) == (403, FORBIDDEN)
    world.db.expire_all()
    assert _snapshot(world.db.get(Mandate, target.id)) == before  # type: ignore[arg-type]
