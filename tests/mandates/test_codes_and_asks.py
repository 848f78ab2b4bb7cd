"""Issue 16, item 5: activation codes and requests.

A try is counted (one conditional UPDATE) before its code is compared, also when many come at
once; wrong tries count per helper and citizen across withdrawals; a helper asks at most
``MAX_ASKS_PER_DAY`` times a day and a citizen gets at most ``MAX_REQUESTS_PER_CITIZEN_PER_DAY``
requests a day; and whether the BSN and surname belong to someone with an account is never
told: not by the answer to asking, not by the helper's list, not by the code page.
Item 6: the browser draft never keeps the activation code.
"""

from __future__ import annotations

import hmac
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.domain import mandates
from portal.domain.mandates import MandateError
from portal.models import Account, EndReason, Letter, Mandate, MandateKind
from portal.timeutil import utcnow
from tests.support.html import CheckedClient, normalise, parse
from tests.support.login import account_of, log_in
from tests.support.mandates import make_mandate

JOKE_BSN = "999900006"
NOOR_BSN = "999900109"  # passes the elfproef, not in the register
LOTTE_BSN = "999900080"  # in the register, too young for an account
REQUEST_SUBJECT_END = "vraagt om een machtiging"
MAX = mandates.MAX_CODE_ATTEMPTS


def text_of(soup: BeautifulSoup) -> str:
    return normalise(soup.get_text(" "))


def wrong(code: str) -> str:
    return "".join("A" if ch != "A" else "B" for ch in code)


def ask(client: CheckedClient, bsn: str = JOKE_BSN, surname: str = "Vries"):  # type: ignore[no-untyped-def]
    today = mandates.today_in_nl(utcnow())
    return client.post("/machtigingen/vragen", data={
        "csrf_token": client.csrf_token("/machtigingen/vragen"),
        "bsn": bsn,
        "achternaam": surname,
        "taak": ["read_letters"],
        "berichten": "alle",
        "begindatum": today.isoformat(),
        "einddatum": (today + timedelta(days=100)).isoformat(),
    })


def answer_of(client: CheckedClient, response) -> tuple[int, str | None, str | None]:  # type: ignore[no-untyped-def]
    """What the helper sees: the status, where it leads, and the message shown there."""
    if response.status_code != 302:
        return response.status_code, None, text_of(parse(response.get_data(as_text=True)).find("main"))
    notice = client.page(response.location).find(attrs={"role": "status"})
    return response.status_code, response.location, text_of(notice) if notice else None


def activate(client: CheckedClient, code: str, bsn: str = JOKE_BSN):  # type: ignore[no-untyped-def]
    return client.post("/machtigingen/activeren", data={
        "csrf_token": client.csrf_token("/machtigingen/activeren"), "bsn": bsn, "code": code})


def request_letters(db: Session, account: Account) -> list[Letter]:
    db.expire_all()
    return [letter for letter in db.scalars(
        select(Letter).where(Letter.account_id == account.id).order_by(Letter.placed_at)
    ) if letter.subject.endswith(REQUEST_SUBJECT_END)]


def code_in(letter: Letter) -> str:
    match = re.search(r"Uw code: ([A-Z0-9]{8})", letter.body)
    assert match, letter.body
    return match.group(1)


def requests_between(db: Session, giver: Account, helper: Account) -> list[Mandate]:
    db.expire_all()
    return list(db.scalars(
        select(Mandate).where(Mandate.giver_id == giver.id, Mandate.helper_id == helper.id,
                              Mandate.kind == MandateKind.REQUESTED).order_by(Mandate.created_at)
    ).unique())


def summary_of(response) -> str:  # type: ignore[no-untyped-def]
    return text_of(parse(response.get_data(as_text=True)).find(class_="error-summary"))


# -- one try, one count: the try is reserved before the code is compared -----------------------


def open_request(db: Session, giver: Account, helper: Account, now: datetime, attempts: int) -> tuple[Mandate, str]:
    """A request waiting for its code, as ``mandates.ask`` leaves it, with tries already used."""
    mandate = make_mandate(db, giver, helper, now=now, kind=MandateKind.REQUESTED, accepted=False)
    code = mandates.new_activation_code()
    mandate.created_by_id = helper.id
    mandate.activation_code_hash = mandates.code_hash(code)
    mandate.activation_code_expires_at = now + timedelta(days=mandates.ACTIVATION_CODE_DAYS)
    mandate.activation_attempts = attempts
    db.commit()
    return mandate, code


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every code the mandate rules compare (their constant-time compare, counted)."""
    calls: list[int] = []
    lock = threading.Lock()
    real = hmac.compare_digest

    def counting(a, b):  # type: ignore[no-untyped-def]
        with lock:
            calls.append(1)
        return real(a, b)

    monkeypatch.setattr(mandates.hmac, "compare_digest", counting)
    return calls


def test_a_try_is_counted_before_its_code_is_compared(engine: Engine, db: Session, demo, now, compared) -> None:  # type: ignore[no-untyped-def]
    """Two requests at once with one try left: the second read the count before the first
    counted its try. Only one code may be compared."""
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    mandate, code = open_request(db, joke, sanne, now, attempts=MAX - 1)
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        stale = second.get(Mandate, mandate.id)
        assert stale is not None and stale.activation_attempts == MAX - 1
        for session in (first, second):
            with pytest.raises(MandateError):
                mandates.activate(session, helper_id=sanne.id, citizen_bsn=JOKE_BSN, code=wrong(code), now=now)
            session.commit()  # as the page does: a wrong try counts
    assert len(compared) == 1
    db.expire_all()
    after = db.get(Mandate, mandate.id)
    assert after is not None and after.activation_attempts == MAX and after.activation_code_hash is None


THREADS = 20


def test_many_wrong_codes_at_once_compare_at_most_the_limit(engine: Engine, db: Session, demo, now, compared) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    mandate, code = open_request(db, joke, sanne, now, attempts=0)
    start = threading.Barrier(THREADS)
    unexpected: list[BaseException] = []

    def one_try() -> None:
        with Session(engine, expire_on_commit=False) as session:
            start.wait()
            try:
                mandates.activate(session, helper_id=sanne.id, citizen_bsn=JOKE_BSN, code=wrong(code), now=now)
            except MandateError:
                session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                unexpected.append(error)

    threads = [threading.Thread(target=one_try) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not unexpected
    assert len(compared) <= MAX
    db.expire_all()
    after = db.get(Mandate, mandate.id)
    assert after is not None and after.activation_attempts == MAX and after.activation_code_hash is None


# -- tries count per helper and citizen, across withdrawals ----------------------------------


def test_withdrawing_and_asking_again_gives_no_fresh_tries(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client)
    first_code = code_in(request_letters(db, joke)[-1])
    for _ in range(MAX - 1):
        assert activate(client, wrong(first_code)).status_code == 400
    [first] = requests_between(db, joke, sanne)
    assert mandates.end_by_helper(db, first, by_id=sanne.id, now=utcnow())  # withdrawn
    db.commit()
    ask(client)
    second_code = code_in(request_letters(db, joke)[-1])
    assert activate(client, wrong(second_code)).status_code == 400  # the fifth wrong try
    assert activate(client, second_code).status_code == 400
    second = requests_between(db, joke, sanne)[-1]
    assert second.id != first.id and second.accepted_at is None
    assert second.activation_attempts == MAX and second.activation_code_hash is None


def test_after_five_wrong_tries_a_new_request_comes_without_a_code(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    earlier, _code = open_request(db, joke, sanne, now, attempts=MAX)
    earlier.ended_at, earlier.end_reason = now, EndReason.WITHDRAWN
    db.commit()
    log_in(client, db, "sanne")
    assert ask(client).status_code == 302
    [letter] = request_letters(db, joke)
    assert "Uw code" not in letter.body and "code" not in letter.body.lower()
    assert "Goedkeuren" in letter.body
    newest = requests_between(db, joke, sanne)[-1]
    assert newest.activation_code_hash is None and newest.activation_attempts == MAX
    # Joke can still approve it herself.
    mandates.approve(newest, utcnow(), by_id=joke.id)


def test_tries_count_only_within_the_window(client: CheckedClient, db: Session, demo, now) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), account_of(db, "sanne")
    earlier, _code = open_request(db, joke, sanne, now, attempts=MAX)
    earlier.created_at = now - timedelta(days=mandates.CODE_TRIES_DAYS, seconds=1)
    earlier.ended_at, earlier.end_reason = now - timedelta(days=1), EndReason.WITHDRAWN
    db.commit()
    log_in(client, db, "sanne")
    ask(client)
    code = code_in(request_letters(db, joke)[-1])
    newest = requests_between(db, joke, sanne)[-1]
    assert newest.activation_attempts == 0
    assert activate(client, code).status_code == 302


# -- how often one may ask, and be asked -------------------------------------------------------


def test_a_helper_asks_at_most_five_times_a_day(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    from portal.models import MandateAsk

    joke = account_of(db, "joke")
    log_in(client, db, "sanne")
    assert mandates.MAX_ASKS_PER_DAY == 5
    for _ in range(mandates.MAX_ASKS_PER_DAY):  # asks that found no one count too
        assert ask(client, NOOR_BSN, "Hendriks").status_code == 302
    refused = ask(client)  # also for someone who exists
    assert refused.status_code == 429
    assert "U heeft vandaag al 5 keer om een machtiging gevraagd." in text_of(parse(refused.get_data(as_text=True)))
    assert "Probeer het morgen opnieuw." in text_of(parse(refused.get_data(as_text=True)))
    assert request_letters(db, joke) == []
    # The next day (every ask moved back a day), asking works again.
    db.execute(update(MandateAsk).values(asked_at=MandateAsk.asked_at - timedelta(days=1)))
    db.commit()
    assert ask(client).status_code == 302
    assert len(request_letters(db, joke)) == 1


def test_a_citizen_gets_at_most_three_requests_a_day(app: Flask, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    answers = []
    for helper in ("sanne", "tom", "emma", "ahmed"):
        client: CheckedClient = app.test_client()  # type: ignore[assignment]
        log_in(client, db, helper)
        answers.append(answer_of(client, ask(client)))
    assert mandates.MAX_REQUESTS_PER_CITIZEN_PER_DAY == 3
    assert len(set(answers)) == 1, answers  # the fourth helper sees what the others saw
    assert len(request_letters(db, joke)) == 3
    db.expire_all()
    assert len(db.scalars(select(Mandate).where(Mandate.giver_id == joke.id)).unique().all()) == 3


# -- the same answer for "no such person" and "asked" ------------------------------------------


def test_no_such_person_and_asked_answer_the_same(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke = account_of(db, "joke")
    log_in(client, db, "sanne")
    answers = {
        label: answer_of(client, ask(client, bsn, surname))
        for label, bsn, surname in (
            ("asked", JOKE_BSN, "Vries"),
            ("wrong surname", JOKE_BSN, "Bakker"),
            ("not in the register", NOOR_BSN, "Hendriks"),
            ("no account", LOTTE_BSN, "Smit"),
            ("asked again", JOKE_BSN, "de Vries"),
        )
    }
    assert len(set(answers.values())) == 1, answers
    status, location, message = answers["asked"]
    assert status == 302 and location == "/machtigingen/"
    assert message and "Als het burgerservicenummer en de achternaam kloppen" in message
    assert len(request_letters(db, joke)) == 1  # asking again while it waits: no second letter


def test_the_helper_sees_what_she_typed_never_who_was_found(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client, JOKE_BSN, "Vries")
    ask(client, JOKE_BSN, "Bakker")
    soup = client.page("/machtigingen/")
    assert "Joke" not in text_of(soup)
    items = soup.find("h3", string="Mijn vragen die nog wachten").find_next("ul").find_all("li")
    texts = sorted(text_of(item) for item in items)
    assert len(texts) == 2 and all("******006" in text for text in texts)
    assert texts[0].replace("Bakker", "Vries") == texts[1]
    # Nor does the request's own page show it before Joke said yes.
    [request] = requests_between(db, joke, sanne)
    client.page(f"/machtigingen/gekregen/{request.id}", status=404)


def test_withdrawing_reads_the_same_and_ends_a_request(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client, JOKE_BSN, "Vries")
    ask(client, NOOR_BSN, "Hendriks")
    soup = client.page("/machtigingen/")
    actions = [form["action"] for form in soup.find_all("form")
               if re.fullmatch(r"/machtigingen/vragen/[0-9a-f-]{36}/intrekken", form.get("action", ""))]
    assert len(actions) == 2
    answers = {answer_of(client, client.post(action, data={"csrf_token": client.csrf_token("/machtigingen/")}))
               for action in actions}
    assert len(answers) == 1 and next(iter(answers))[:2] == (302, "/machtigingen/")
    [request] = requests_between(db, joke, sanne)
    assert request.end_reason is EndReason.WITHDRAWN and request.ended_by_id == sanne.id
    assert client.page("/machtigingen/").find("h3", string="Mijn vragen die nog wachten") is None
    # Someone else's ask, or one already withdrawn, is not found.
    assert client.post(actions[0], data={"csrf_token": client.csrf_token("/machtigingen/")}).status_code == 404


def test_the_code_page_answers_alike_whatever_went_wrong(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    """Used up or expired would tell that the request reached someone: one message for all."""
    joke, sanne = account_of(db, "joke"), log_in(client, db, "sanne")
    ask(client)
    code = code_in(request_letters(db, joke)[-1])
    answers = {"nobody": activate(client, code, NOOR_BSN), "not asked": activate(client, code, LOTTE_BSN)}
    for attempt in range(1, MAX + 1):
        answers[f"wrong {attempt}"] = activate(client, wrong(code))
    answers["used up"] = activate(client, code)
    [request] = requests_between(db, joke, sanne)
    db.execute(update(Mandate).where(Mandate.id == request.id).values(
        activation_attempts=0, activation_code_hash=mandates.code_hash(code),
        activation_code_expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    answers["expired"] = activate(client, code)
    summaries = {label: (response.status_code, summary_of(response)) for label, response in answers.items()}
    assert len(set(summaries.values())) == 1, summaries


# -- item 6: the browser draft never keeps the activation code ---------------------------------


def test_the_activation_code_is_never_kept_in_a_draft(client: CheckedClient, db: Session, demo) -> None:  # type: ignore[no-untyped-def]
    from portal import session_timeout

    log_in(client, db, "sanne")
    soup = client.page("/machtigingen/activeren")
    assert soup.find("input", attrs={"name": "code"})["autocomplete"] == "one-time-code"
    # The draft script skips every field with a secret's autocomplete value ...
    script = (Path(__file__).parents[2] / "portal" / "static" / "js" / "timeout.js").read_text()
    secret = re.search(r"var SECRET_AUTOCOMPLETE = \[([^\]]*)\];", script)
    assert secret and '"one-time-code"' in secret.group(1)
    assert "SECRET_AUTOCOMPLETE.indexOf" in script
    # ... and a form kept after a timeout (without JavaScript) never holds the code either.
    assert "code" in session_timeout.NEVER_KEPT_FIELDS
