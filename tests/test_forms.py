"""The form layer (portal/forms.py): CSRF only from a form, one error shape, kept text."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask, g, render_template_string
from sqlalchemy.orm import Session

from portal.forms import CheckboxesField, PortalForm, RadiosField, TypedField
from tests.support.html import CheckedClient
from tests.support.login import log_in

PORTAL = Path(__file__).resolve().parents[1] / "portal"
TEMPLATES = PORTAL / "templates"
# A CSRF input typed by hand (``csrf_token()``) instead of taken from a form.
HAND_TYPED_CSRF = re.compile(r"csrf_token\(\)")


def template_lines_matching(pattern: re.Pattern[str]) -> list[str]:
    """Where in the templates a line matches: "templates/<path>:<line number>"."""
    return [
        f"{path.relative_to(PORTAL)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]


def test_no_template_types_a_csrf_input_by_hand() -> None:
    found = template_lines_matching(HAND_TYPED_CSRF)
    assert not found, f"CSRF typed by hand; use {{{{ form.csrf_token }}}}: {found}"


# A form control whose name is typed in the template, not taken from a form's field.
LITERAL_FIELD_NAME = re.compile(r"""<(input|select|textarea)\b[^>]*\bname=["'][^"'{]""")


def test_no_template_types_a_field_name() -> None:
    """Every field, the GET filters too, is declared in a form class; its name comes from there."""
    found = template_lines_matching(LITERAL_FIELD_NAME)
    assert not found, found


def test_no_view_says_by_hand_that_a_page_has_errors() -> None:
    """The "Fout: " title comes from the form in the base layout, never from the view."""
    found = [
        str(path.relative_to(PORTAL))
        for path in sorted(PORTAL.rglob("*.py"))
        if "error_title" in path.read_text(encoding="utf-8")
    ]
    assert not found, found


class _Example(PortalForm):
    naam = TypedField("Naam", max_length=5, strip=True)
    kleur = RadiosField("Kleur", choices=[("rood", "Rood"), ("blauw", "Blauw")])
    dagen = CheckboxesField("Dagen", choices=[("ma", "Maandag"), ("di", "Dinsdag")])
    terug = TypedField("Terug", max_length=100)


def test_problems_are_in_field_order_with_the_first_message_of_each(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data={"naam": "  Jan-Willem  "}):
        form = _Example(meta={"csrf": False})
        assert form.naam.data == "Jan"  # cut at max_length ("  Jan"), then stripped
        assert not form.has_problems
        form.refuse(form.dagen, "Kies een dag.")
        form.refuse(form.naam, "Vul uw naam in.")
        form.refuse(form.naam, "Dit komt niet in beeld.")
        assert form.problems() == [("naam", "Vul uw naam in."), ("dagen-ma", "Kies een dag.")]
        form.kleur.anchor_value = "blauw"
        form.refuse(form.kleur, "Kies een kleur.")
        assert form.problems()[1] == ("kleur-blauw", "Kies een kleur.")
        assert form.has_problems


def test_the_title_and_summary_come_from_the_form(app: Flask) -> None:
    page = ('{% extends "layouts/base.html" %}{% from "components/error_summary.html" import error_summary %}'
            '{% block title %}Proef{% endblock %}{% block content %}{{ error_summary(form) }}<h1>Proef</h1>{% endblock %}')
    with app.test_request_context("/", method="POST", data={}):
        form = _Example(meta={"csrf": False})
        clean = BeautifulSoup(render_template_string(page, form=form), "html.parser")
        assert clean.title.get_text().startswith("Proef")
        assert clean.find(attrs={"data-error-summary": True}) is None
        form.refuse(form.naam, "Vul uw naam in.")
        wrong = BeautifulSoup(render_template_string(page, form=form), "html.parser")
        assert wrong.title.get_text().startswith("Fout: Proef")
        link = wrong.find(attrs={"data-error-summary": True}).find("a")
        assert link["href"] == "#naam" and link.get_text() == "Vul uw naam in."


def test_hidden_inputs_have_no_id_so_a_page_holds_many_small_forms(app: Flask) -> None:
    with app.test_request_context("/"):
        html = str(_Example().csrf_token)
        assert 'name="csrf_token"' in html and "id=" not in html


def test_typed_text_comes_back_after_a_timeout_on_a_get_only(app: Flask) -> None:
    with app.test_request_context("/"):
        g.kept_form = {"naam": "Marieke", "terug": "/x"}
        form = _Example()
        assert form.naam.data == "Marie"  # never longer than the field keeps
        assert form.terug.data == "/x"
    with app.test_request_context("/", method="POST", data={"naam": "Joke"}):
        g.kept_form = {"naam": "Marieke"}
        assert _Example(meta={"csrf": False}).naam.data == "Joke"


def test_every_post_form_on_the_pages_takes_its_token_from_a_form(
    client: CheckedClient, db: Session, demo  # type: ignore[no-untyped-def]
) -> None:
    """The small forms of every page (language, text size, logout, a letter's buttons) carry
    the token, and a post without it is still refused."""
    log_in(client, db, "joke")
    soup = client.page("/instellingen")
    forms = soup.find_all("form", method="post")
    assert len(forms) >= 4
    for form in forms:
        assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/taal", data={"taal": "en", "terug": "/instellingen"}).status_code == 400
