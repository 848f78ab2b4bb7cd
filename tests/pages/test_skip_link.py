"""The skip link of a list page leads to the list itself (issue #18, item 6): its target is the
list's heading, focusable (tabindex=-1), and the next thing Tab reaches is the first item.
Other pages keep the skip link to the main content. (The key presses themselves are counted
in a real browser: tests/browser/test_read_letter.py.)"""

from __future__ import annotations

from datetime import datetime

import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account, Letter
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

FOCUSABLE = ("a", "button", "input", "select", "textarea", "summary")


def skip_target(soup: BeautifulSoup) -> Tag:
    link = soup.body.find("a")
    assert link is not None and normalise(link.get_text()) == "Naar de inhoud"
    assert link["href"].startswith("#")
    target = soup.find(id=link["href"][1:])
    assert target is not None, link["href"]
    assert target.get("tabindex") == "-1", "the target takes the focus, so Tab goes on from it"
    return target


def next_stop(target: Tag) -> Tag:
    """The first element after the target that Tab stops at."""
    for tag in target.find_all_next(FOCUSABLE):
        if tag.name == "input" and tag.get("type") == "hidden":
            continue
        return tag
    raise AssertionError("nothing to Tab to after the target")


def newest_letter(db: Session, account: Account, *, archived: bool) -> Letter:
    letter = db.scalars(
        select(Letter).where(Letter.account_id == account.id, Letter.archived.is_(archived))
        .order_by(Letter.placed_at.desc(), Letter.id.desc())
    ).first()
    assert letter is not None
    return letter


@pytest.fixture
def joke(client: CheckedClient, db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return log_in(client, db, "joke")


@pytest.mark.parametrize(("url", "archived"), [("/berichten/", False), ("/berichten/archief", True)])
def test_the_skip_link_of_a_box_leads_to_its_list_and_then_to_the_newest_letter(
    client: CheckedClient, db: Session, joke: Account, url: str, archived: bool
) -> None:
    soup = client.page(url)
    target = skip_target(soup)
    assert target.name == "h2" and target.find_parent("section", id="berichtenlijst") is not None
    newest = newest_letter(db, joke, archived=archived)
    stop = next_stop(target)
    assert stop.name == "a" and stop["href"] == f"/berichten/{newest.id}"


def test_the_skip_link_of_the_case_list_leads_to_the_running_cases(
    client: CheckedClient, db: Session, joke: Account
) -> None:
    soup = client.page("/zaken/")
    target = skip_target(soup)
    assert target.name == "h2" and normalise(target.get_text()) == "Nu bezig"
    stop = next_stop(target)
    assert stop.name == "a" and stop["href"].startswith("/zaken/")
    assert stop.find_parent(class_="case-row") is not None


@pytest.mark.parametrize("url", ["/gegevens", "/instellingen", "/machtigingen/", "/hulp"])
def test_other_pages_keep_the_skip_link_to_the_main_content(
    client: CheckedClient, joke: Account, url: str
) -> None:
    assert skip_target(client.page(url)).name == "main"


def test_a_letter_page_keeps_the_skip_link_to_the_main_content(
    client: CheckedClient, db: Session, joke: Account
) -> None:
    letter = newest_letter(db, joke, archived=False)
    assert skip_target(client.page(f"/berichten/{letter.id}")).name == "main"


def test_a_helpers_box_skips_past_the_banner_and_the_withheld_line_to_the_first_readable_letter(
    client: CheckedClient, db: Session, demo, now: datetime  # type: ignore[no-untyped-def]
) -> None:
    joke = account_of(db, "joke")
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, joke, sanne, now=now))
    newest = newest_letter(db, joke, archived=False)
    newest.not_for_helpers = True
    db.commit()
    soup = client.page("/berichten/")
    target = skip_target(soup)
    assert target.find_parent("section", id="berichtenlijst") is not None
    stop = next_stop(target)
    readable = db.scalars(
        select(Letter).where(Letter.account_id == joke.id, Letter.archived.is_(False),
                             Letter.not_for_helpers.is_(False))
        .order_by(Letter.placed_at.desc(), Letter.id.desc())
    ).first()
    assert readable is not None
    assert stop["href"] == f"/berichten/{readable.id}"
