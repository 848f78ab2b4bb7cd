"""The glossary: a government word's meaning follows its first use in the running text of a
page, once; names, headings, links, buttons and form labels stay as they are."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask, Response
from sqlalchemy.orm import Session

from portal.help import glossary
from tests.support.html import CheckedClient, normalise
from tests.support.login import log_in

BSN = "het persoonlijke nummer dat iedereen van de overheid krijgt"
TOESLAG = "geld van de overheid om te helpen betalen, bijvoorbeeld voor huur of zorg"
MEANING = '<span class="term-meaning"> ({})</span>'


def explain(app: Flask, main: str, language: str = "nl") -> str:
    page = f"<html><body><header>BSN</header><main id=inhoud>{main}</main><footer>BSN</footer></body></html>"
    with app.test_request_context("/"):
        result = glossary.explain_first_use(page, language)
    assert result.startswith("<html><body><header>BSN</header><main id=inhoud>")
    assert result.endswith("</main><footer>BSN</footer></body></html>")
    return result.split("<main id=inhoud>")[1].split("</main>")[0]


def test_the_first_use_is_explained_once(app: Flask) -> None:
    assert explain(app, "<p>Uw BSN staat hier.</p><p>Uw BSN klopt.</p>") == (
        f"<p>Uw BSN{MEANING.format(BSN)} staat hier.</p><p>Uw BSN klopt.</p>"
    )


def test_every_form_of_a_word_counts_as_that_word(app: Flask) -> None:
    result = explain(app, "<p>Twee toeslagen.</p><p>Uw huurtoeslag.</p>")
    assert result == f"<p>Twee toeslagen{MEANING.format(TOESLAG)}.</p><p>Uw huurtoeslag.</p>"


def test_whole_words_only(app: Flask) -> None:
    # "WOZ-waarde" is a form of its own; "toeslaggrens" and "BSNs" are other words.
    result = explain(app, "<p>De WOZ-waarde.</p><p>De toeslaggrens en BSNs.</p>")
    assert result.count("term-meaning") == 1
    assert "WOZ-waarde<span" in result


def test_a_capital_in_the_middle_of_a_sentence_is_a_name(app: Flask) -> None:
    assert explain(app, "<p>Post van Dienst Toeslagen.</p>") == "<p>Post van Dienst Toeslagen.</p>"
    result = explain(app, "<p>Goed zo. Toeslagen krijgt u elke maand.</p>")
    assert f"Toeslagen{MEANING.format(TOESLAG)} krijgt" in result


@pytest.mark.parametrize(
    "element",
    ["h1", "h2", "a", "button", "label", "legend", "summary", "dt", "th", "textarea", "title", "q"],
)
def test_headings_links_buttons_and_labels_stay_short(app: Flask, element: str) -> None:
    main = f"<{element} class=x>Uw BSN</{element}><p>Uw BSN hier.</p>"
    result = explain(app, main)
    assert result.startswith(f"<{element} class=x>Uw BSN</{element}>")
    assert f"<p>Uw BSN{MEANING.format(BSN)} hier.</p>" in result


def test_an_element_can_opt_out_with_all_it_holds(app: Flask) -> None:
    main = "<div data-no-glossary><div>Uw BSN</div> en uw BSN</div><p>Uw BSN hier.</p>"
    assert explain(app, main) == (
        f"<div data-no-glossary><div>Uw BSN</div> en uw BSN</div><p>Uw BSN{MEANING.format(BSN)} hier.</p>"
    )


def test_text_after_a_left_alone_element_is_explained_again(app: Flask) -> None:
    result = explain(app, '<p><a href="/x">BSN</a> en uw BSN<br> en <input value="BSN"></p>')
    assert result == f'<p><a href="/x">BSN</a> en uw BSN{MEANING.format(BSN)}<br> en <input value="BSN"></p>'


def test_a_word_in_brackets_after_its_long_form_needs_no_meaning(app: Flask) -> None:
    main = "<p>Uw burgerservicenummer (BSN) staat hier.</p>"
    assert explain(app, main) == f"<p>Uw burgerservicenummer{MEANING.format(BSN)} (BSN) staat hier.</p>"
    assert explain(app, "<p>De Basisregistratie Personen (BRP).</p>") == "<p>De Basisregistratie Personen (BRP).</p>"


def test_a_word_that_only_case_folding_matches_is_left_alone(app: Flask) -> None:
    # Python lowers the Turkish capital "İ" to two letters: no crash, no explanation.
    language = glossary._Language(
        re.compile(r"(?<![\w-])(?:itiraz)(?![\w-])", re.IGNORECASE),
        {"itiraz": "bezwaar"}, frozenset({"itiraz"}), {"bezwaar": "uitleg"},
    )
    assert glossary._explain("İtiraz edin.", language, set()) == "İtiraz edin."
    assert glossary._explain("Bir itiraz.", language, set()) == (
        'Bir itiraz<span class="term-meaning"> (uitleg)</span>.'
    )


def test_attributes_and_comments_are_never_changed(app: Flask) -> None:
    main = '<p title="uw BSN" data-x=\'a>b BSN\'><!-- BSN --></p>'
    assert explain(app, main) == main


def test_meanings_are_escaped_and_nothing_happens_without_main(app: Flask) -> None:
    with app.test_request_context("/"):
        assert glossary.explain_first_use("<p>Uw BSN</p>", "nl") == "<p>Uw BSN</p>"
        html = glossary.explain_first_use("<main><p>BSN</p></main>", "nl")
    assert "<span" in html and "<script" not in html
    assert all(entry.meaning == normalise(entry.meaning) for entry in glossary.entries())


def test_the_glossary_has_the_words_of_the_issue() -> None:
    keys = {entry.key for entry in glossary.entries()}
    assert {"bsn", "digid", "beschikking", "woz", "apk", "toeslag", "machtiging", "bewindvoerder"} <= keys
    for entry in glossary.entries():
        assert entry.words.strip() and entry.meaning.strip(), entry
        assert not entry.meaning.endswith("."), f"{entry.key}: the meaning stands in brackets"


def test_extraction_gives_the_forms_and_meanings_to_the_translators() -> None:
    source = glossary.GLOSSARY_FILE.read_bytes()
    messages = [m for _, _, m, _ in glossary.extract_glossary(io.BytesIO(source), None, None, None)]
    expected = [text for entry in glossary.entries() for text in (entry.words, entry.meaning)]
    assert messages == expected


def test_a_page_explains_each_word_the_first_time(
    client: CheckedClient, db: Session, demo: object
) -> None:
    log_in(client, db, "joke")
    soup = client.page("/machtigingen/", meanings=True)
    main = soup.find("main")
    meanings = [normalise(span.get_text()) for span in main.find_all("span", class_="term-meaning")]
    assert meanings.count("(toestemming om dingen voor een ander te regelen)") == 1
    first = main.find("span", class_="term-meaning")
    assert first.find_previous(string=True).endswith("machtiging")
    # The header and footer are not explained; the h1 "Machtigingen" is left as it is.
    assert soup.find("header").find("span", class_="term-meaning") is None
    assert normalise(soup.h1.get_text()) == "Machtigingen"


def test_parts_of_pages_loaded_by_htmx_and_the_practice_digid_are_left_as_they_are(
    app: Flask,
) -> None:
    html = "<main><p>Uw BSN</p></main>"
    with app.test_request_context("/berichten/", headers={"HX-Request": "true"}):
        part = glossary._explain_response(Response(html, mimetype="text/html"))
    with app.test_request_context("/berichten/"):
        full = glossary._explain_response(Response(html, mimetype="text/html"))
        text = glossary._explain_response(Response(html, mimetype="text/plain"))
    assert part.get_data(as_text=True) == html and text.get_data(as_text=True) == html
    assert "term-meaning" in full.get_data(as_text=True)
    assert "practice_digid" in glossary.NOT_EXPLAINED
