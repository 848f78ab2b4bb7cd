"""Help topics: content files, each shown by a page next to what it explains, as a disclosure
that opens in place; no FAQ anywhere."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.domain.mandates import MAX_CODE_ATTEMPTS
from portal.help import topics
from tests.support.html import CheckedClient, normalise
from tests.support.login import log_in

TEMPLATES = Path(__file__).resolve().parents[2] / "portal" / "templates"
CALL = re.compile(r"help_topic\(\s*\"([a-z0-9-]+)\"")


def topics_named_in_templates() -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for template in TEMPLATES.rglob("*.html"):
        for slug in CALL.findall(template.read_text(encoding="utf-8")):
            named.setdefault(slug, []).append(str(template.relative_to(TEMPLATES)))
    return named


def test_every_topic_file_is_complete() -> None:
    found = topics.all_topics()
    assert len(found) >= 20
    for slug, topic in found.items():
        assert re.fullmatch(r"[a-z0-9-]+", slug), slug
        assert topic.question.endswith("?"), f"{slug}: the summary asks the reader's question"
        assert topic.text and all(paragraph.strip() for paragraph in topic.text), slug


def test_every_page_names_only_existing_topics_and_every_topic_is_shown() -> None:
    named = topics_named_in_templates()
    files = set(topics.all_topics())
    assert set(named) - files == set(), "a template names a topic without a file"
    assert files - set(named) == set(), "a topic file that no page shows"


def test_a_bad_topic_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "leeg.toml"
    bad.write_text('question = "Wat?"\ntext = []\n', encoding="utf-8")
    with pytest.raises(ValueError, match="text"):
        topics._read(bad)
    bad.write_text('text = ["Iets."]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="question"):
        topics._read(bad)


def test_an_unknown_topic_fails_loudly(app: Flask) -> None:
    with app.test_request_context("/"), pytest.raises(LookupError, match="geen-onderwerp"):
        topics.help_topic("geen-onderwerp")


def test_no_faq_route_or_page(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        assert "faq" not in rule.rule.lower() and "faq" not in rule.endpoint.lower(), rule
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8").lower()
        assert "faq" not in text and "veelgestelde vragen" not in text, template


def test_extraction_gives_every_question_and_paragraph_to_the_translators() -> None:
    path = topics.TOPICS_DIR / "code.toml"
    fileobj = io.BytesIO(path.read_bytes())
    fileobj.name = str(path)  # type: ignore[attr-defined]
    messages = [message for _, _, message, _ in topics.extract_topics(fileobj, None, None, None)]
    topic = topics.topic("code")
    assert messages == [topic.question, *topic.text]


def test_a_topic_opens_in_place_with_the_values_of_the_page(
    client: CheckedClient, db: Session, demo: object
) -> None:
    log_in(client, db, "sanne")
    soup = client.page("/machtigingen/activeren")
    details = soup.find("details", id="hulp-code")
    assert details is not None and details.get("open") is None
    assert normalise(details.summary.get_text()) == "Waar vind ik de code?"
    body = normalise(details.find("div", class_="help__body").get_text())
    assert f"Na {MAX_CODE_ATTEMPTS} verkeerde codes werkt de code niet meer." in body
    # The disclosure comes before the form it explains.
    assert details.find_next("form") is not None


def test_a_topic_can_lead_onward(client: CheckedClient, db: Session, demo: object) -> None:
    log_in(client, db, "joke")
    soup = client.page("/machtigingen/logboek")
    details = soup.find("details", id="hulp-logboek-fout")
    link = details.find("a")
    assert link is not None and link["href"] == "/machtigingen/"
    assert "Machtigingen" in normalise(link.get_text())
