"""Settings: subscriptions per organisation (R2) and the language menu, without JavaScript."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Organisation, Subscription
from tests.support.html import CheckedClient
from tests.support.login import account_of, log_in


def subscribed_ids(db: Session, username: str) -> set[int]:
    account = account_of(db, username)
    return set(db.scalars(select(Subscription.organisation_id).where(Subscription.account_id == account.id)))


def test_settings_show_a_checkbox_per_organisation(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "sanne")
    soup = client.page("/instellingen")
    boxes = soup.select("input[type=checkbox][name=organisatie]")
    organisations = list(db.scalars(select(Organisation)))
    assert len(boxes) == len(organisations)
    checked = {int(box["value"]) for box in boxes if box.has_attr("checked")}
    assert checked == subscribed_ids(db, "sanne")
    for box in boxes:
        assert soup.find("label", attrs={"for": box["id"]}) is not None


def test_saving_subscriptions_changes_exactly_those(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "sanne")
    organisations = sorted(db.scalars(select(Organisation.id)))
    wanted = organisations[:3]
    token = client.csrf_token("/instellingen")
    response = client.post(
        "/instellingen/organisaties",
        data={"csrf_token": token, "organisatie": [str(i) for i in wanted] + ["999999", "x"]},
    )
    assert response.status_code == 302 and response.location == "/instellingen"
    assert "Uw keuze is opgeslagen." in client.page("/instellingen").get_text()
    assert subscribed_ids(db, "sanne") == set(wanted)
    # Joke's choices are untouched by Sanne's.
    assert len(subscribed_ids(db, "joke")) == len(organisations)


def test_subscriptions_need_a_csrf_token(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "sanne")
    before = subscribed_ids(db, "sanne")
    response = client.post("/instellingen/organisaties", data={"organisatie": []})
    assert response.status_code == 400
    assert "Fout:" in response.get_data(as_text=True).split("</title>")[0]
    assert subscribed_ids(db, "sanne") == before


def test_language_switch_without_javascript(client: CheckedClient) -> None:
    soup = client.page("/")
    assert soup.html["lang"] == "nl"
    buttons = {b["value"]: b for b in soup.select(".language-menu button")}
    assert buttons["en"].get_text(strip=True) == "English" and buttons["en"]["lang"] == "en"
    token = client.csrf_token("/")
    response = client.post("/taal", data={"csrf_token": token, "taal": "en", "terug": "/"})
    assert response.status_code == 302 and response.location == "/"
    soup = client.page("/")
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(strip=True) == "Log in"
    assert soup.find("a", string="Log in with DigiD") is not None


def test_language_switch_refuses_other_sites_and_languages(client: CheckedClient) -> None:
    token = client.csrf_token("/")
    response = client.post("/taal", data={"csrf_token": token, "taal": "xx", "terug": "//evil.example/"})
    assert response.location == "/"
    assert client.page("/").html["lang"] == "nl"


def test_browser_language_is_used_until_a_choice_is_made(client: CheckedClient) -> None:
    soup = client.page("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert soup.html["lang"] == "en"
    soup = client.page("/", headers={"Accept-Language": "de-DE"})
    assert soup.html["lang"] == "nl"
