"""Issue 16, item 8: a right-to-left override in a subject, reference or body reordered what
followed it on the page. Sender text now stands in its own direction island (<bdi>), and the
page title between Unicode isolates."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Letter
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in

RLO = "\u202e"


@pytest.fixture
def tricky(db: Session, demo) -> Letter:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.archived.is_(False))).first()
    assert letter is not None
    letter.subject = f"Betaal {RLO}00,001 €"
    letter.reference = f"REF{RLO}-12"
    letter.body = f"Beste mevrouw,{RLO}\nU krijgt geld terug."
    db.commit()
    return letter


def isolated(soup: BeautifulSoup, text: str) -> bool:
    """Whether ``text`` on the page stands alone in a <bdi>."""
    return any(bdi.get_text() == text for bdi in soup.find_all("bdi"))


def test_sender_text_on_the_letter_page_is_isolated(client: CheckedClient, db: Session, tricky: Letter) -> None:
    log_in(client, db, "joke")
    soup = client.page(f"/berichten/{tricky.id}")
    assert isolated(soup, tricky.subject)
    assert isolated(soup, tricky.reference)
    assert isolated(soup, tricky.body)
    # Nothing on the page carries the override outside an island.
    for text in soup.find_all(string=lambda value: RLO in value):
        assert text.parent.name == "bdi" or text.parent.name == "title", text.parent
    title = soup.title.get_text()
    assert f"\u2068{tricky.subject}\u2069" in title


@pytest.mark.parametrize("url", ["/berichten/", "/berichten/{id}/afdrukken"])
def test_the_list_and_the_print_view_isolate_it_too(client: CheckedClient, db: Session, tricky: Letter, url: str) -> None:
    log_in(client, db, "joke")
    soup = client.page(url.format(id=tricky.id))
    assert isolated(soup, tricky.subject)
    for text in soup.find_all(string=lambda value: RLO in value):
        assert text.parent.name in ("bdi", "title"), text.parent
