"""Every GET route of the portal and of the practice DigiD, and how to ask for it as a page.

``VISIT`` says who asks for each page and with what in the URL; ``NOT_PAGES`` names the
routes that answer no page, with the reason. The practice bar test walks them in both modes
and the sandbox isolation test walks them in two sandboxes, so a new page cannot escape
either: add it to ``VISIT``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.routes import REFUSAL_KEY
from portal.domain.eligibility import Refusal
from portal.domain.notifications import confirmation_token, request_confirmation
from portal.practice import browser
from portal.models import Account, Case, Letter, Mandate, Notification, NotificationKind, NotificationStatus
from portal.practice_digid import EXTENSION_KEY, MOUNT_PATH
from portal.timeutil import utcnow
from tests.support.html import CheckedClient
from tests.support.login import log_in
from tests.support.mandates import make_mandate
from tests.support.practice import log_in_sandbox
from tests.support.wsgi_transport import route_http_to

BASE_URL = "http://localhost"

# GET routes that answer no HTML page, and why. Each is still requested: it must answer
# something other than a page, so a route that starts to show one leaves this list.
NOT_PAGES: dict[str, str] = {
    "static": "files (CSS, JavaScript, images)",
    "auth.login": "a redirect to the DigiD",
    "messages.attachment": "a PDF file",
    "messages.new_letters": "the open Berichtenbox's poll: a fragment for htmx, else a redirect to the box",
    f"{MOUNT_PATH}:practice_digid.discovery": "the OpenID Connect discovery document (JSON)",
    f"{MOUNT_PATH}:practice_digid.jwks": "the public signing keys (JSON)",
    f"{MOUNT_PATH}:practice_digid.cancel": "a redirect back to the portal (access_denied)",
    f"{MOUNT_PATH}:static": "the practice DigiD's CSS",
    "practice.learners": "the console's table of learners, an htmx fragment (else a redirect to the console)",
}
# The organisation API answers JSON to organisations with a bearer token, never a page, with
# one exception: its documentation, a page people read, which must carry the bar too.
API_PREFIX = "api."
API_PAGES = frozenset({"api.docs"})
# Pages that answer with an error status when asked like this, and are pages all the same.
STATUS: dict[str, int] = {"auth.callback": 400}  # no code from the DigiD: "Inloggen is niet gelukt"


@dataclass
class World:
    """Joke's letter, case and the mandate she gave Sanne: ids for the URLs."""

    db: Session
    letter: Letter
    case: Case
    mandate: Mandate
    # The e-mail about Joke's new letter (sent): the practice mail view shows it.
    mail: Notification | None = None
    # In practice mode: the sandbox the world is in, and the browser's token for it; and
    # the trainer code of a class (the console's pages are asked with it).
    sandbox_id: int | None = None
    token: str | None = None
    trainer_code: str | None = None


@dataclass(frozen=True)
class Visit:
    who: str | None  # the practice person logged in, or None
    url: Callable[[World, Flask], str]


def authorize_url(_world: World, _app: Flask) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return f"{MOUNT_PATH}/authorize?" + urlencode({
        "client_id": "burgerportaal", "redirect_uri": f"{BASE_URL}/inloggen/terug",
        "response_type": "code", "scope": "openid", "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16), "code_challenge": challenge,
        "code_challenge_method": "S256",
    })


def _fixed(url: str) -> Callable[[World, Flask], str]:
    return lambda _world, _app: url


def _confirm_url(world: World, app: Flask) -> str:
    """The link of a confirmation e-mail for a new address of Joke's."""
    confirmation = request_confirmation(world.db, world.letter.account_id, "joke@example.org",
                                        now=utcnow(), secret=str(app.config["SECRET_KEY"]).encode(),
                                        language="nl")
    world.db.commit()
    return "/instellingen/e-mail/bevestigen/" + confirmation_token(
        str(app.config["SECRET_KEY"]).encode(), confirmation)


# Who asks for each page, and its URL. Pages for anyone logged in are asked by Joke.
VISIT: dict[str, Visit] = {
    "start.index": Visit(None, _fixed("/")),
    "auth.login": Visit(None, _fixed("/inloggen")),
    "auth.callback": Visit(None, _fixed("/inloggen/terug")),
    "auth.eidas": Visit(None, _fixed("/inloggen/europees")),
    "auth.logged_out": Visit(None, _fixed("/uitgelogd")),
    "auth.refused": Visit(None, _fixed("/geen-account")),  # with a reason in the session
    "messages.inbox": Visit("joke", _fixed("/berichten/")),
    "messages.archive": Visit("joke", _fixed("/berichten/archief")),
    "messages.new_letters": Visit("joke", _fixed("/berichten/nieuw")),
    "messages.letter": Visit("joke", lambda w, _app: f"/berichten/{w.letter.id}"),
    "messages.print_view": Visit("joke", lambda w, _app: f"/berichten/{w.letter.id}/afdrukken"),
    "messages.attachment": Visit("joke", lambda w, _app: f"/berichten/{w.letter.id}/bijlagen/{w.letter.attachments[0].id}"),
    "cases.index": Visit("joke", _fixed("/zaken/")),
    "cases.case": Visit("joke", lambda w, _app: f"/zaken/{w.case.id}"),
    "settings.index": Visit("joke", _fixed("/instellingen")),
    "settings.email": Visit("joke", _fixed("/instellingen/e-mail")),
    "settings.email_address_form": Visit("joke", _fixed("/instellingen/e-mail/adres")),
    "settings.email_confirm_page": Visit("joke", _confirm_url),
    "profile.index": Visit("joke", _fixed("/gegevens")),
    "mandates.choose": Visit("kees", _fixed("/handelen-voor")),
    "mandates.index": Visit("joke", _fixed("/machtigingen/")),
    "mandates.grant_form": Visit("joke", _fixed("/machtigingen/geven")),
    "mandates.detail": Visit("joke", lambda w, _app: f"/machtigingen/{w.mandate.id}"),
    "mandates.change_form": Visit("joke", lambda w, _app: f"/machtigingen/{w.mandate.id}/wijzigen"),
    "mandates.log": Visit("joke", _fixed("/machtigingen/logboek")),
    "mandates.held": Visit("sanne", lambda w, _app: f"/machtigingen/gekregen/{w.mandate.id}"),
    "mandates.request_form": Visit("sanne", _fixed("/machtigingen/vragen")),
    "mandates.activate_form": Visit("sanne", _fixed("/machtigingen/activeren")),
    "mandates.my_actions": Visit("sanne", _fixed("/machtigingen/mijn-acties")),
    "helpdesk.index": Visit("marieke", _fixed("/balie/")),
    "help.index": Visit(None, _fixed("/hulp")),
    "help.practice": Visit(None, _fixed("/hulp/oefenomgeving")),
    "practice.start": Visit(None, _fixed("/oefenen/")),
    "practice.trainer_start": Visit(None, _fixed("/oefenen/trainer")),
    "practice.console": Visit(None, _fixed("/oefenen/trainer/les")),  # with the world's trainer code
    "practice.learners": Visit(None, _fixed("/oefenen/trainer/les/deelnemers")),
    "practice.cards_index": Visit(None, _fixed("/oefenen/kaarten/")),
    "practice.cards": Visit(None, _fixed("/oefenen/kaarten/beginnen")),
    "practice.mail": Visit(None, _fixed("/oefenen/e-mail")),
    "practice.mail_message": Visit(None, lambda w, _app: f"/oefenen/e-mail/{w.mail.id if w.mail else 0}"),
    "static": Visit(None, _fixed("/static/css/portal.css")),
    "api.docs": Visit(None, _fixed("/api/v1/docs")),
    f"{MOUNT_PATH}:practice_digid.discovery": Visit(None, _fixed(f"{MOUNT_PATH}/.well-known/openid-configuration")),
    f"{MOUNT_PATH}:practice_digid.jwks": Visit(None, _fixed(f"{MOUNT_PATH}/jwks.json")),
    f"{MOUNT_PATH}:practice_digid.authorize": Visit(None, authorize_url),
    f"{MOUNT_PATH}:practice_digid.cancel": Visit(None, lambda w, app: authorize_url(w, app).replace("/authorize?", "/annuleren?")),
    f"{MOUNT_PATH}:practice_digid.logout": Visit(None, _fixed(f"{MOUNT_PATH}/logout")),
    f"{MOUNT_PATH}:static": Visit(None, _fixed(f"{MOUNT_PATH}/static/digid.css")),
}


def get_routes(app: Flask) -> list[str]:
    """Every GET endpoint of the portal and of the practice DigiD (``/oefen-digid:name``)."""
    names = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    provider = app.extensions[EXTENSION_KEY]
    names |= {f"{MOUNT_PATH}:{rule.endpoint}" for rule in provider.url_map.iter_rules()
              if "GET" in (rule.methods or ())}
    return sorted(name for name in names if not name.startswith(API_PREFIX) or name in API_PAGES)




def world_between(db: Session, joke: Account, sanne: Account, now: datetime) -> World:
    """Joke's letter with an attachment, her first case, and a new mandate for Sanne."""
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.attachments.any())).first()
    case = db.scalars(select(Case).where(Case.account_id == joke.id)).first()
    assert letter is not None and case is not None
    mandate = make_mandate(db, joke, sanne, now=now)
    mail = Notification(kind=NotificationKind.NEW_LETTER, account_id=joke.id, organisation_id=letter.organisation_id,
                        status=NotificationStatus.SENT, created_at=now, next_attempt_at=now, sent_at=now)
    db.add(mail)
    db.commit()
    return World(db=db, letter=letter, case=case, mandate=mandate, mail=mail)


def fetch(app: Flask, world: World, endpoint: str, *, url_of: World | None = None):  # type: ignore[no-untyped-def]
    """GET ``endpoint`` as ``VISIT`` says, in a new browser of ``world`` (its sandbox cookie
    and its person logged in). ``url_of``: another world whose ids go into the URL."""
    visit = VISIT[endpoint]
    client: CheckedClient = app.test_client()  # type: ignore[assignment]
    if world.token is not None:
        client.set_cookie(browser.COOKIE_NAME, world.token)
    if world.trainer_code is not None:  # the browser of a trainer who is practising too
        client.set_cookie(browser.TRAINER_COOKIE_NAME, world.trainer_code)
    if visit.who and world.sandbox_id is not None:
        log_in_sandbox(client, world.db, world.sandbox_id, visit.who)
    elif visit.who:
        log_in(client, world.db, visit.who)
    if endpoint == "auth.refused":
        with client.session_transaction() as session:
            session[REFUSAL_KEY] = Refusal.TOO_YOUNG.value
    # The login asks the practice DigiD's discovery document over HTTP: answered in process.
    with route_http_to(app, BASE_URL):
        return client.get(visit.url(url_of or world, app))


def is_page(response) -> bool:  # type: ignore[no-untyped-def]
    return response.mimetype == "text/html" and not 300 <= response.status_code < 400
