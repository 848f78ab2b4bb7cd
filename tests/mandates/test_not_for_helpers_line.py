"""Letters that are not for helpers in a helper's box (issue #18, item 3): one line with their
count instead of a link each, on every page of the view the helper looks at (Berichtenbox or
archive, filtered or not, with or without htmx); the readable letters stay listed; the
citizen's own box is unchanged."""

from __future__ import annotations

from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.config import INBOX_PAGE_SIZE
from portal.demo.seed import add_letters_for_benchmark
from portal.models import Account, Letter, Organisation
from tests.support.html import CheckedClient, normalise, parse
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

JOKE = "Joke de Vries"
MANY = f"berichten zijn alleen voor {JOKE}. Alleen {JOKE} kan ze lezen."
ONE = f"1 bericht is alleen voor {JOKE}. Alleen {JOKE} kan het lezen."


def letters_of(db: Session, account: Account, *, archived: bool) -> list[Letter]:
    """The box's letters that are not yet withheld, newest first."""
    db.expire_all()
    query = select(Letter).where(
        Letter.account_id == account.id, Letter.archived.is_(archived), Letter.not_for_helpers.is_(False)
    )
    return list(db.scalars(query.order_by(Letter.placed_at.desc(), Letter.id.desc())))


def subjects_on(soup: BeautifulSoup) -> list[str]:
    return [normalise(row.get_text()) for row in soup.select(".letter-row__subject")]


def withheld_lines(soup: BeautifulSoup) -> list[str]:
    """Every paragraph or link of the letter list that speaks of letters only for Joke."""
    listing = soup.select_one("#berichtenlijst")
    assert listing is not None
    return [
        normalise(tag.get_text())
        for tag in listing.find_all(["p", "a"])
        if f"alleen voor {JOKE}" in normalise(tag.get_text())
    ]


def links_to(soup: BeautifulSoup, letters: list[Letter]) -> list[str]:
    hrefs = {f"/berichten/{letter.id}" for letter in letters}
    return [a["href"] for a in soup.find_all("a", href=True) if a["href"] in hrefs]


@pytest.fixture
def joke(db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return account_of(db, "joke")


def withhold(db: Session, letters: list[Letter], *, unread: bool = True) -> list[Letter]:
    for letter in letters:
        letter.not_for_helpers = True
        if unread:
            letter.first_opened_at = None
    db.commit()
    return letters


@pytest.fixture
def sanne_for_joke(client: CheckedClient, db: Session, joke: Account, now: datetime) -> Account:
    """Sanne acts for Joke. Her first use already gave Joke a letter not for helpers (the
    portal's "Sanne de Vries deed iets voor u"): that is how such letters pile up."""
    sanne = log_in(client, db, "sanne")
    act_under(client, db, make_mandate(db, joke, sanne, now=now))
    client.page("/berichten/")
    db.expire_all()
    [notice] = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.not_for_helpers.is_(True)))
    assert notice.subject == "Sanne de Vries deed iets voor u" and not notice.archived
    return sanne


def test_several_letters_not_for_helpers_are_one_line_with_their_count(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account
) -> None:
    inbox_letters = letters_of(db, joke, archived=False)
    assert len(inbox_letters) >= 5
    withheld = withhold(db, inbox_letters[:2])  # with the portal's notice: 3, above the rest
    readable = inbox_letters[2:]

    inbox = client.page("/berichten/")
    assert withheld_lines(inbox) == [f"3 {MANY}"]
    assert links_to(inbox, withheld) == []
    assert "Bericht alleen voor" not in normalise(inbox.get_text())
    # What the helper may read is still listed, newest first, each with its own link.
    assert subjects_on(inbox) == [letter.subject for letter in readable]
    assert len(links_to(inbox, readable)) == len(readable)
    # The heading counts every letter in the view; the line says which of them are not listed.
    assert normalise(inbox.select_one("#lijst-kop").get_text()) == f"{len(inbox_letters) + 1} berichten"
    # "New" counts what the helper can open: the withheld letters stay new for Joke only.
    assert all(letter.first_opened_at is not None for letter in readable)
    assert "U heeft geen nieuwe berichten." in normalise(inbox.get_text())
    assert inbox.select(".letter-row .tag") == []


def test_one_letter_not_for_helpers_says_so_in_the_singular(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account
) -> None:
    inbox = client.page("/berichten/")  # only the portal's notice of Sanne's first use
    assert withheld_lines(inbox) == [ONE]
    assert subjects_on(inbox) == [letter.subject for letter in letters_of(db, joke, archived=False)]


def test_only_letters_not_for_helpers_left_shows_the_line_and_no_empty_box_text(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account
) -> None:
    everything = letters_of(db, joke, archived=False)
    withhold(db, everything)
    inbox = client.page("/berichten/")
    assert withheld_lines(inbox) == [f"{len(everything) + 1} {MANY}"]
    assert subjects_on(inbox) == []
    assert "Er staan geen berichten" not in normalise(inbox.get_text())


def test_the_count_follows_the_view_archive_and_sender_filter(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account
) -> None:
    inbox_letters = letters_of(db, joke, archived=False)
    archived = letters_of(db, joke, archived=True)
    assert archived, "the demo box has archived letters"
    withhold(db, inbox_letters[:1] + archived[:1])

    assert withheld_lines(client.page("/berichten/")) == [f"2 {MANY}"]
    archive = client.page("/berichten/archief")
    assert withheld_lines(archive) == [ONE]
    assert subjects_on(archive) == [letter.subject for letter in archived[1:]]
    assert links_to(archive, archived[:1]) == []

    # Filtered on the sender of one withheld letter: only that sender's letters count.
    sender = inbox_letters[0].organisation_id
    of_sender = [l for l in letters_of(db, joke, archived=False) if l.organisation_id == sender]
    filtered = client.page(f"/berichten/?van={sender}")
    assert withheld_lines(filtered) == [ONE]
    assert subjects_on(filtered) == [l.subject for l in of_sender]
    # A sender with nothing withheld: no line.
    other = next(l.organisation_id for l in inbox_letters[1:] if l.organisation_id != sender)
    other_page = client.page(f"/berichten/?van={other}")
    assert withheld_lines(other_page) == []
    assert subjects_on(other_page) == [l.subject for l in inbox_letters if l.organisation_id == other]


def test_every_page_of_a_long_box_lists_only_readable_letters_and_counts_the_whole_view(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account, now: datetime
) -> None:
    organisations = [org.id for org in db.scalars(select(Organisation))]
    add_letters_for_benchmark(db, joke.id, organisations, 80, now)
    db.commit()
    inbox_letters = letters_of(db, joke, archived=False)
    withheld = withhold(db, inbox_letters[::3], unread=False)  # spread over every page
    readable = [l for l in inbox_letters if not l.not_for_helpers]
    assert len(readable) > 2 * INBOX_PAGE_SIZE

    seen: list[str] = []
    url = "/berichten/"
    pages = 0
    while url:
        soup = client.page(url)
        pages += 1
        assert withheld_lines(soup) == [f"{len(withheld) + 1} {MANY}"], url
        assert links_to(soup, withheld) == []
        older = soup.find("a", string="Oudere berichten")
        rows = subjects_on(soup)
        assert len(rows) == INBOX_PAGE_SIZE or older is None
        seen += rows
        url = older["href"] if older else ""
    assert seen == [letter.subject for letter in readable]
    assert pages == -(-len(readable) // INBOX_PAGE_SIZE)


def test_the_line_is_in_the_htmx_list_update_too(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account
) -> None:
    inbox_letters = letters_of(db, joke, archived=False)
    withhold(db, inbox_letters[:2])
    response = client.get("/berichten/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = parse(response.get_data(as_text=True))
    assert fragment.h1 is None  # only the list
    assert withheld_lines(fragment) == [f"3 {MANY}"]
    assert links_to(fragment, inbox_letters[:2]) == []
    # Archiving a readable letter in place gives the list again, with the line.
    token = client.csrf_token("/berichten/")
    readable = inbox_letters[2]
    answer = client.post(f"/berichten/{readable.id}/archiveren", headers={"HX-Request": "true"},
                         data={"csrf_token": token, "lijst": "postvak"})
    assert answer.status_code == 200
    after = parse(answer.get_data(as_text=True))
    assert withheld_lines(after) == [f"3 {MANY}"]
    assert readable.subject not in subjects_on(after)


def test_the_name_in_the_line_is_isolated(
    client: CheckedClient, db: Session, joke: Account, sanne_for_joke: Account
) -> None:
    withhold(db, letters_of(db, joke, archived=False)[:2])
    [line] = [p for p in client.page("/berichten/").select("#berichtenlijst p")
              if f"alleen voor {JOKE}" in normalise(p.get_text())]
    assert [normalise(bdi.get_text()) for bdi in line.find_all("bdi")] == [JOKE, JOKE]


def test_the_citizens_own_box_is_unchanged(client: CheckedClient, db: Session, joke: Account) -> None:
    inbox_letters = letters_of(db, joke, archived=False)
    withhold(db, inbox_letters[:3])
    log_in(client, db, "joke")
    inbox = client.page("/berichten/")
    assert subjects_on(inbox) == [letter.subject for letter in inbox_letters]
    assert withheld_lines(inbox) == []
    assert "alleen voor" not in normalise(inbox.get_text())
    assert "U heeft 3 nieuwe berichten." in normalise(inbox.get_text())
    assert len(inbox.select(".letter-row .tag")) == 3
