"""The table of endpoints (portal/endpoints.py): one row per page, and one row is enough.

Adding a page is one row plus the view and the template: the tests below add a page to a
test app with nothing but that, and find it in the policy, the login check, the citizen's
log, the main menu and the first page of a helper.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Blueprint, Flask, render_template_string
from sqlalchemy.orm import Session

from portal import endpoints, policy
from portal.endpoints import ENDPOINTS, Endpoint, MenuEntry, Need
from portal.models import Scope
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

API_PREFIX = "api."
NEW_PAGE = "/nieuwe-pagina"
NEW_PUBLIC_PAGE = "/nieuwe-openbare-pagina"
NEW_LABEL = "Nieuwe pagina"
NEW_LOG = "Bekeek de nieuwe pagina"
PAGE = """{% extends "layouts/base.html" %}
{% block title %}Nieuwe pagina{% endblock %}
{% block content %}<h1>Nieuwe pagina</h1><p>Hier staat iets nieuws.</p>{% endblock %}"""
LOG = "/machtigingen/logboek"


def site_endpoints(app: Flask) -> set[str]:
    """Every endpoint of the citizen's site (the organisation API checks its own tokens)."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if not rule.endpoint.startswith(API_PREFIX)}


def test_every_page_of_the_site_has_one_row_and_every_row_a_page(app: Flask) -> None:
    pages = site_endpoints(app)
    assert sorted(pages - ENDPOINTS.names) == [], "pages without a row in portal/endpoints.py"
    assert sorted(ENDPOINTS.names - pages) == [], "rows in portal/endpoints.py without a page"


def test_what_the_rows_derive_is_taken_from_the_rows() -> None:
    assert [row.name for row, _entry in ENDPOINTS.menu] == [
        "messages.inbox", "cases.index", "profile.index", "mandates.index", "settings.index"]
    assert ENDPOINTS.first_pages == (
        ("messages.inbox", Scope.READ_LETTERS), ("cases.index", Scope.VIEW_CASES),
        ("profile.index", Scope.VIEW_PERSONAL_DATA), ("settings.index", Scope.CHANGE_SETTINGS),
        ("mandates.index", Scope.MANAGE_MANDATES))
    assert all(ENDPOINTS.needs[name] is Need.ANYONE for name in ENDPOINTS.public)
    assert {name for name, need in ENDPOINTS.needs.items() if isinstance(need, Scope)} == set(ENDPOINTS.log_labels)
    # Only the open box's poll is a background request (no activity that keeps a login alive).
    assert ENDPOINTS.background == {"messages.new_letters"}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (lambda: Endpoint("x.public", Scope.READ_LETTERS, public=True, log="Bekeek iets"), "public"),
        (lambda: Endpoint("x.unlogged", Scope.READ_LETTERS), "log"),
        (lambda: Endpoint("x.first", Need.ANYONE, first_page=9), "first page"),
        (lambda: ENDPOINTS.with_rows(Endpoint("messages.inbox", Need.ANYONE)), "two rows"),
        (lambda: ENDPOINTS.with_rows(Endpoint("x.menu", Need.SELF, menu=MenuEntry(1, "Dubbel"))), "same menu"),
        (lambda: ENDPOINTS.with_rows(Endpoint("x.land", Scope.VIEW_CASES, log="Bekeek iets", first_page=1)),
         "same first page"),
    ],
    ids=["public-with-a-scope", "scope-without-a-log-line", "first-page-without-a-scope", "two-rows",
         "menu-position-twice", "first-page-twice"],
)
def test_a_row_that_cannot_be_right_is_refused_when_the_table_is_read(row, problem: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=problem):
        row()


@pytest.fixture
def new_pages(app: Flask) -> Blueprint:
    """Two new views with their template, and nothing else: no row yet."""
    extra = Blueprint("extra", __name__)
    extra.add_url_rule(NEW_PAGE, "page", lambda: render_template_string(PAGE))
    extra.add_url_rule(NEW_PUBLIC_PAGE, "public_page", lambda: render_template_string(PAGE))
    app.register_blueprint(extra)
    return extra


def add_rows(monkeypatch: pytest.MonkeyPatch, *rows: Endpoint) -> None:
    monkeypatch.setattr(endpoints, "ENDPOINTS", ENDPOINTS.with_rows(*rows))


def test_a_page_without_a_row_is_refused_to_everybody(
    new_pages: Blueprint, client: CheckedClient, db: Session, demo  # type: ignore[no-untyped-def]
) -> None:
    assert client.get(NEW_PUBLIC_PAGE).status_code == 302  # to log in first
    log_in(client, db, "joke")
    assert client.get(NEW_PAGE).status_code == 403
    assert NEW_LABEL not in normalise(client.page("/berichten/").select_one("nav.site-nav").get_text(" "))


def test_adding_a_page_is_one_row(
    new_pages: Blueprint, app: Flask, client: CheckedClient, db: Session, demo, now: datetime,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_rows(
        monkeypatch,
        Endpoint("extra.page", Scope.VIEW_PERSONAL_DATA, log=NEW_LOG, menu=MenuEntry(0, NEW_LABEL), first_page=0),
        Endpoint("extra.public_page", Need.ANYONE, public=True),
    )
    # Public: open before logging in.
    assert normalise(client.page(NEW_PUBLIC_PAGE).h1.get_text()) == NEW_LABEL
    joke = log_in(client, db, "joke")
    # In the main menu, first.
    menu = client.page("/berichten/").select("nav.site-nav a")
    assert (normalise(menu[0].get_text()), menu[0]["href"]) == (NEW_LABEL, NEW_PAGE)
    assert normalise(client.page(NEW_PAGE).h1.get_text()) == NEW_LABEL
    # A helper with the scope may open it, lands there first, and the citizen's log names it.
    helper = app.test_client()
    given = make_mandate(db, joke, account_of(db, "sanne"), now=now, scopes=[Scope.VIEW_PERSONAL_DATA])
    assert policy.first_endpoint(policy.grant_for_mandate(given)) == "extra.page"
    log_in(helper, db, "sanne")
    act_under(helper, db, given)
    assert helper.get(NEW_PAGE).status_code == 200
    assert any(NEW_LOG in normalise(line.get_text(" ")) for line in client.page(LOG).select(".audit-line"))
    # A helper without it is refused, with the page that says why.
    without = app.test_client()
    letters_only = make_mandate(db, joke, account_of(db, "tom"), now=now, scopes=[Scope.READ_LETTERS])
    log_in(without, db, "tom")
    act_under(without, db, letters_only)
    assert without.get(NEW_PAGE).status_code == 403
    assert NEW_LABEL not in normalise(without.page("/berichten/").select_one("nav.site-nav").get_text(" "))
