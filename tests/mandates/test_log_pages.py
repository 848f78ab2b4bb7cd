"""The log pages: "Wat anderen voor mij deden" for the citizen, "Wat ik voor anderen deed"
for the helper. Filter by helper, paging, and who may see them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.mandates.log import action_label
from portal.models import Account, AuditAction, AuditEntry, Letter, Mandate, MandateKind
from portal.endpoints import ENDPOINTS
from portal.policy import Scope
from tests.support.html import CheckedClient, normalise
from tests.support.login import account_of, log_in
from tests.support.mandates import act_under, make_mandate

LOG = "/machtigingen/logboek"
WITHHELD = "Zag dat er een bericht alleen voor u is, maar kon het niet openen"
MY_ACTIONS = "/machtigingen/mijn-acties"
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def helper_client(app: Flask, db: Session, username: str, mandate: Mandate) -> CheckedClient:
    """A second browser: the helper, logged in and acting under the mandate."""
    helper = app.test_client()
    log_in(helper, db, username)
    act_under(helper, db, mandate)
    return helper  # type: ignore[return-value]


def lines(soup) -> list[str]:  # type: ignore[no-untyped-def]
    return [normalise(li.get_text(" ")) for li in soup.select(".audit-line")]


def newest_letter(db: Session, account: Account) -> Letter:
    found = db.scalars(
        select(Letter).where(Letter.account_id == account.id, Letter.archived.is_(False)).order_by(Letter.placed_at.desc())
    ).first()
    assert found is not None
    return found


@pytest.fixture
def joke(client: CheckedClient, db: Session, demo) -> Account:  # type: ignore[no-untyped-def]
    return log_in(client, db, "joke")


@pytest.fixture
def withheld_letter(db: Session, joke: Account) -> Letter:
    """Joke's newest letter, marked "not for helpers": only she may open it."""
    letter = newest_letter(db, joke)
    letter.not_for_helpers = True
    db.commit()
    return letter


@pytest.fixture
def sanne_helps_joke(db: Session, joke: Account, now: datetime) -> Mandate:
    return make_mandate(db, joke, account_of(db, "sanne"), now=now)


def test_the_citizen_sees_what_the_helper_saw_and_did_newest_first(
    app: Flask, client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate
) -> None:
    sanne = helper_client(app, db, "sanne", sanne_helps_joke)
    letter = newest_letter(db, joke)
    sanne.page("/berichten/")
    sanne.page(f"/berichten/{letter.id}")
    soup = client.page(LOG)
    assert normalise(soup.h1.get_text()) == "Wat anderen voor mij deden"
    shown = lines(soup)
    assert len(shown) == 2
    assert shown[0].startswith(_dutch_time(db, "messages.letter"))
    assert f"Opende een bericht: {letter.subject}" in shown[0]
    assert "Sanne de Vries (machtiging)" in shown[0]
    assert "Bekeek uw Berichtenbox" in shown[1]
    # Inline help says what the page is and what to do when something is wrong.
    help_text = normalise(soup.select_one("#hulp-logboek-fout").get_text())
    assert "Stop de machtiging" in help_text and "Machtigingen" in help_text
    assert soup.select_one("#hulp-logboek") is not None


def _dutch_time(db: Session, what: str) -> str:
    entry = db.scalars(select(AuditEntry).where(AuditEntry.what == what)).one()
    moment = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(DUTCH_TIME)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]
    return f"{local.day} {months[local.month - 1]} {local.year}, {local:%H:%M}"


def test_a_subject_is_shown_only_while_the_letter_is_still_in_the_box(
    app: Flask, client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate
) -> None:
    sanne = helper_client(app, db, "sanne", sanne_helps_joke)
    letter = newest_letter(db, joke)
    sanne.page(f"/berichten/{letter.id}")
    assert letter.subject in normalise(client.page(LOG).get_text())
    db.delete(letter)
    db.commit()
    text = normalise(client.page(LOG).get_text())
    assert "Opende een bericht" in text and letter.subject not in text


def test_filter_by_helper_shows_only_that_helpers_lines(
    app: Flask, client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate, now: datetime
) -> None:
    kees_mandate = make_mandate(db, joke, account_of(db, "kees"), now=now, kind=MandateKind.LEGAL)
    helper_client(app, db, "sanne", sanne_helps_joke).page("/berichten/")
    helper_client(app, db, "kees", kees_mandate).page("/zaken/")
    everyone = client.page(LOG)
    form = everyone.select_one("form.filter")
    assert form["method"] == "get" and form["action"] == LOG
    options = {normalise(o.get_text()): o["value"] for o in form.select("select[name=helper] option")}
    assert set(options) == {"Iedereen", "Sanne de Vries", "Kees Bakker"}
    assert form.select_one("button[type=submit]") is not None
    assert len(lines(everyone)) == 2

    only_kees = client.page(f"{LOG}?helper={options['Kees Bakker']}")
    assert [("Kees Bakker" in line, "Bekeek uw lopende zaken" in line) for line in lines(only_kees)] == [(True, True)]
    assert "wettelijk vertegenwoordiger (bewindvoerder)" in lines(only_kees)[0]
    chosen = only_kees.select_one("select[name=helper] option[selected]")
    assert chosen is not None and normalise(chosen.get_text()) == "Kees Bakker"


@pytest.mark.parametrize("value", ["999999", "-1", "abc", "1" * 40])
def test_an_unknown_or_foreign_helper_shows_nothing_not_an_error(
    app: Flask, client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate, value: str
) -> None:
    helper_client(app, db, "sanne", sanne_helps_joke).page("/berichten/")
    soup = client.page(f"{LOG}?helper={value}")
    assert lines(soup) == []
    assert "Deze persoon heeft niets voor u gedaan." in normalise(soup.get_text())


def test_a_helper_who_acted_for_someone_else_is_not_in_this_log(
    app: Flask, client: CheckedClient, db: Session, joke: Account, now: datetime
) -> None:
    ahmed = account_of(db, "ahmed")
    tom_helps_ahmed = make_mandate(db, ahmed, account_of(db, "tom"), now=now)
    helper_client(app, db, "tom", tom_helps_ahmed).page("/berichten/")
    tom = account_of(db, "tom")
    soup = client.page(f"{LOG}?helper={tom.id}")
    assert lines(soup) == []
    assert soup.select_one("form.filter") is None  # nobody did anything for Joke


def test_paging_shows_older_lines_and_keeps_the_filter(
    client: CheckedClient, db: Session, joke: Account, sanne_helps_joke: Mandate, now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audit, "LOG_PAGE_SIZE", 3)
    sanne = account_of(db, "sanne")
    for minutes in range(7):
        audit.record(db, actor_id=sanne.id, owner_id=joke.id, mandate_id=sanne_helps_joke.id,
                     action=AuditAction.PAGE_VIEWED, what="cases.case", object_id=f"zaak-{minutes}",
                     at=now - timedelta(minutes=minutes))
    db.commit()
    seen: list[str] = []
    url: str | None = f"{LOG}?helper={sanne.id}"
    pages = 0
    while url:
        soup = client.page(url)
        pages += 1
        page_lines = lines(soup)
        assert 1 <= len(page_lines) <= 3
        seen.extend(page_lines)
        older = soup.find("a", string=lambda s: s and "Oudere regels" in s)
        url = older["href"] if older else None
        if url:
            assert f"helper={sanne.id}" in url
    assert pages == 3 and len(seen) == 7
    assert all("Bekeek een zaak" in line for line in seen)
    assert "Naar de nieuwste regels" in normalise(soup.get_text())
    # Nonsense paging positions show the first page.
    assert len(lines(client.page(f"{LOG}?voor=abc"))) == 3


def test_a_helper_without_manage_mandates_gets_the_refused_page(
    app: Flask, db: Session, joke: Account, sanne_helps_joke: Mandate
) -> None:
    sanne = helper_client(app, db, "sanne", sanne_helps_joke)
    sanne.page("/berichten/")
    soup = sanne.page(LOG, status=403)
    assert normalise(soup.h1.get_text()) == "Dit mag u niet doen voor Joke de Vries"
    assert soup.select_one(".audit-line") is None
    # Their own actions page is only for themselves, not while acting for Joke.
    soup = sanne.page(MY_ACTIONS, status=403)
    assert "Dit kunt u alleen voor uzelf doen." in normalise(soup.get_text())


def test_a_legal_representative_sees_the_citizens_log_but_not_hidden_subjects(
    app: Flask, db: Session, joke: Account, withheld_letter: Letter, sanne_helps_joke: Mandate, now: datetime
) -> None:
    # Sanne opens the page that only says the letter exists; the log names the letter.
    helper_client(app, db, "sanne", sanne_helps_joke).page(f"/berichten/{withheld_letter.id}")
    kees_mandate = make_mandate(db, joke, account_of(db, "kees"), now=now, kind=MandateKind.LEGAL)
    kees = helper_client(app, db, "kees", kees_mandate)
    soup = kees.page(LOG)
    text = normalise(soup.get_text())
    assert normalise(soup.h1.get_text()) == "Wat anderen voor Joke de Vries deden"
    assert "wat anderen voor Joke de Vries bekeken en deden" in text
    # Issue 18, item 1: the line says what Sanne was shown, not that she opened it.
    assert "Sanne de Vries" in text and WITHHELD in text
    assert "Opende een bericht" not in text
    assert withheld_letter.subject not in text


def test_the_citizen_sees_the_hidden_subject_in_her_own_log(
    app: Flask, client: CheckedClient, db: Session, joke: Account, withheld_letter: Letter, sanne_helps_joke: Mandate
) -> None:
    sanne = helper_client(app, db, "sanne", sanne_helps_joke)
    sanne.page(f"/berichten/{withheld_letter.id}")
    sanne.page(f"/berichten/{withheld_letter.id}/afdrukken")
    shown = lines(client.page(LOG))
    assert len(shown) == 2
    assert all(f"{WITHHELD}: {withheld_letter.subject}" in line for line in shown)
    # And the letter is still new in her box.
    db.refresh(withheld_letter)
    assert withheld_letter.first_opened_at is None


def test_my_actions_lists_only_the_helpers_own_lines(
    app: Flask, db: Session, joke: Account, sanne_helps_joke: Mandate, now: datetime
) -> None:
    ahmed = account_of(db, "ahmed")
    sanne_helps_ahmed = make_mandate(db, ahmed, account_of(db, "sanne"), now=now, kind=MandateKind.ASSISTED)
    kees_helps_joke = make_mandate(db, joke, account_of(db, "kees"), now=now)
    sanne = helper_client(app, db, "sanne", sanne_helps_joke)
    sanne.page("/berichten/")
    act_under(sanne, db, sanne_helps_ahmed)
    sanne.page("/zaken/")
    helper_client(app, db, "kees", kees_helps_joke).page("/gegevens")
    # Back to herself, Sanne looks at what she did.
    token = sanne.csrf_token("/handelen-voor")
    sanne.post("/handelen-voor", data={"csrf_token": token, "voor": "mijzelf"})
    soup = sanne.page(MY_ACTIONS)
    assert normalise(soup.h1.get_text()) == "Wat ik voor anderen deed"
    shown = lines(soup)
    assert len(shown) == 2
    assert "Bekeek uw lopende zaken" in shown[0] and "Ahmed El Amrani (hulp aan de balie)" in shown[0]
    assert "Bekeek uw Berichtenbox" in shown[1] and "Joke de Vries (machtiging)" in shown[1]
    assert "Bekeek uw gegevens" not in normalise(soup.get_text())


def test_empty_logs_say_so(client: CheckedClient, joke: Account) -> None:
    assert "Niemand heeft iets voor u gedaan." in normalise(client.page(LOG).get_text())
    assert "U heeft nog niets voor een ander gedaan." in normalise(client.page(MY_ACTIONS).get_text())


def test_every_endpoint_a_helper_can_reach_has_a_plain_label() -> None:
    scoped = {endpoint for endpoint, need in ENDPOINTS.needs.items() if isinstance(need, Scope)}
    assert scoped <= set(ENDPOINTS.log_labels), sorted(scoped - set(ENDPOINTS.log_labels))


def test_unknown_endpoints_fall_back_to_general_words(app: Flask) -> None:
    with app.test_request_context():
        viewed = AuditEntry(what="nieuw.ding", action=AuditAction.PAGE_VIEWED)
        done = AuditEntry(what="nieuw.ding", action=AuditAction.ACTION_TAKEN)
        assert (action_label(viewed), action_label(done)) == ("Bekeek een pagina", "Deed iets")


def test_the_citizen_sees_what_a_helper_tried_and_was_refused_without_what_it_was(
    app: Flask, client: CheckedClient, db: Session, joke: Account, withheld_letter: Letter, now: datetime
) -> None:
    """Issue 16, item 9: a refused attempt is a line of its own in the citizen's log, with no
    subject or other content of what was tried."""
    letters_only = make_mandate(db, joke, account_of(db, "sanne"), now=now, scopes=[Scope.READ_LETTERS])
    sanne = helper_client(app, db, "sanne", letters_only)
    sanne.get("/gegevens")  # not given: refused
    token = sanne.csrf_token("/berichten/")
    assert sanne.post(f"/berichten/{withheld_letter.id}/archiveren", data={"csrf_token": token}).status_code == 403
    shown = lines(client.page(LOG))
    assert len(shown) == 3
    refused = [line for line in shown if "Probeerde iets wat niet mag. Dat ging niet." in line]
    assert len(refused) == 2
    assert all("Sanne de Vries (machtiging)" in line for line in refused)
    assert sum("Bekeek uw Berichtenbox" in line for line in shown) == 1
    assert all(withheld_letter.subject not in line for line in shown)


def _helper_pages(db: Session, joke: Account, mandate: Mandate) -> dict[str, str]:
    """Every GET page a helper with every scope can reach, with a real object of Joke's."""
    from portal.models import Case

    letter = db.scalars(
        select(Letter).where(Letter.account_id == joke.id, Letter.not_for_helpers.is_(False))
        .where(Letter.attachments.any()).order_by(Letter.placed_at.desc())
    ).first()
    case = db.scalars(select(Case).where(Case.account_id == joke.id)).first()
    assert letter is not None and case is not None
    return {
        "messages.inbox": "/berichten/",
        "messages.archive": "/berichten/archief",
        "messages.letter": f"/berichten/{letter.id}",
        "messages.print_view": f"/berichten/{letter.id}/afdrukken",
        "messages.attachment": f"/berichten/{letter.id}/bijlagen/{letter.attachments[0].id}",
        "cases.index": "/zaken/",
        "cases.case": f"/zaken/{case.id}",
        "settings.index": "/instellingen",
        "settings.email": "/instellingen/e-mail",
        "settings.email_address_form": "/instellingen/e-mail/adres",
        "mandates.log": LOG,
        "mandates.index": "/machtigingen/",
        "mandates.grant_form": "/machtigingen/geven",
        "mandates.detail": f"/machtigingen/{mandate.id}",
        "mandates.change_form": f"/machtigingen/{mandate.id}/wijzigen",
        "profile.index": "/gegevens",
    }


def test_every_page_a_helper_can_reach_has_its_own_true_log_line(
    app: Flask, client: CheckedClient, db: Session, joke: Account, now: datetime
) -> None:
    """Issue 18, item 1: for each page a helper can open, the citizen's log names it in
    plain words (never the general "Bekeek een pagina"), one line per visit."""
    legal = make_mandate(db, joke, account_of(db, "kees"), now=now, kind=MandateKind.LEGAL)
    other = make_mandate(db, joke, account_of(db, "sanne"), now=now)
    kees = helper_client(app, db, "kees", legal)
    pages = _helper_pages(db, joke, other)
    reachable = {e for e, need in ENDPOINTS.needs.items() if isinstance(need, Scope)}
    gets = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    # Every GET page under a scope is here, except the e-mail confirmation (a link from a mail)
    # and the open box's poll, no page: logged only when it shows new letters
    # (tests/pages/test_new_letters.py).
    assert set(pages) == (reachable & gets) - {"settings.email_confirm_page", "messages.new_letters"}
    for endpoint, url in pages.items():
        response = kees.get(url)
        assert response.status_code == 200, (endpoint, response.status_code)
        (entry,) = db.scalars(
            select(AuditEntry).where(AuditEntry.actor_id == legal.helper_id).order_by(AuditEntry.id.desc()).limit(1)
        )
        assert entry.what == endpoint, (endpoint, entry.what)
        assert action_label(entry) == ENDPOINTS.log_labels[endpoint]
    shown = lines(client.page(f"{LOG}?helper={legal.helper_id}"))
    assert not any("Bekeek een pagina" in line for line in shown)


def test_a_withheld_letter_is_logged_as_seen_not_opened(
    app: Flask, db: Session, joke: Account, withheld_letter: Letter, now: datetime
) -> None:
    legal = make_mandate(db, joke, account_of(db, "kees"), now=now, kind=MandateKind.LEGAL)
    helper_client(app, db, "kees", legal).page(f"/berichten/{withheld_letter.id}")
    (entry,) = db.scalars(select(AuditEntry))
    assert entry.what == "messages.letter_withheld" and entry.object_id == str(withheld_letter.id)
    with app.test_request_context():
        assert action_label(entry) == WITHHELD
