"""Issue 16, item 8: sender links with a user name ("https://x@evil.example" goes to
evil.example) or control characters were accepted; the page did not say where a link goes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from portal.domain.letters import sender_host
from portal.models import Letter
from tests.api.conftest import ApiCaller
from tests.api.test_letters import letter, letters_in_box
from tests.support.html import CheckedClient, normalise
from tests.support.login import log_in


@pytest.mark.parametrize(
    "url",
    [
        "https://www.belastingdienst.nl@evil.example/",
        "https://user:password@www.belastingdienst.nl/",
        "https://www.belastingdienst.nl\t.evil.example/",
        "https://www.belastingdienst.nl/\r\nSet-Cookie: x",
        "https://www.belastingdienst.nl/ pad",
        "https://www.belastingdienst.nl\\@evil.example/",
        "https:///pad",
        "https://www.belastingdienst.nl:poort/",
        "https://www.belästingdienst.nl/",  # send the punycode form: xn--...
    ],
)
def test_a_link_that_is_not_a_plain_https_address_is_refused(belastingdienst: ApiCaller, db: Session, url: str) -> None:
    response = belastingdienst.post("/letters", json=letter(sender_url=url))
    assert response.status_code == 422, url
    assert (response.json["code"], response.json["pointer"]) == ("sender_url_invalid", "/sender_url")
    assert letters_in_box(db, "T-2026-0001") == 0


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.belastingdienst.nl", "www.belastingdienst.nl"),
        ("https://mijn.uwv.nl:8443/zaken?id=12#boven", "mijn.uwv.nl"),
        ("https://xn--belstingdienst-ilb.nl/", "xn--belstingdienst-ilb.nl"),
    ],
)
def test_plain_https_links_pass_and_name_their_host(url: str, host: str) -> None:
    assert sender_host(url) == host


def test_the_letter_page_shows_where_the_link_goes(belastingdienst: ApiCaller, client: CheckedClient, db: Session) -> None:
    response = belastingdienst.post("/letters", json=letter(sender_url="https://mijn.belastingdienst.nl/aanslag"))
    assert response.status_code == 201
    log_in(client, db, "joke")
    soup = client.page(f"/berichten/{response.json['letter_id']}")
    link = soup.find("a", href="https://mijn.belastingdienst.nl/aanslag")
    assert link is not None
    assert normalise(link.parent.get_text()) == "Naar de website van Belastingdienst (mijn.belastingdienst.nl)"
    assert db.get(Letter, uuid.UUID(response.json["letter_id"])) is not None
