"""Classes and the trainer's console (issue 10, item 4): a trainer begins a class, learners
join with its code and a nickname, the console shows how far each got, and pushes go through
the same domain code as real deliveries, only into the sandboxes of the trainer's class."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Case, CaseStatusChange, Letter, Mandate, PracticeClass, PracticeSandbox
from portal.practice import browser, classes, pushes
from tests.support.html import CheckedClient, normalise
from tests.support.practice import account_in, log_in_sandbox


def _client(app: Flask) -> CheckedClient:
    return app.test_client()  # type: ignore[return-value]


def _begin_class(trainer: CheckedClient, lesson: str = "beginnen", hours: str = "2") -> str:
    token = trainer.csrf_token("/oefenen/trainer")
    response = trainer.post("/oefenen/trainer/les", data={"les": lesson, "duur": hours, "csrf_token": token})
    assert response.status_code == 302 and response.location == "/oefenen/trainer/les"
    page = trainer.page("/oefenen/trainer/les")
    codes = [normalise(dd.get_text()) for dd in page.select(".practice-codes__code")]
    return codes[0]


def _join(learner: CheckedClient, code: str, name: str):  # type: ignore[no-untyped-def]
    token = learner.csrf_token("/oefenen/")
    return learner.post("/oefenen/meedoen", data={"code": code, "naam": name, "csrf_token": token})


def _sandbox_of(db: Session, client: CheckedClient) -> PracticeSandbox:
    from portal.practice import sandboxes

    cookie = client.get_cookie(browser.COOKIE_NAME)
    assert cookie is not None
    db.expire_all()
    found = db.scalar(select(PracticeSandbox).where(PracticeSandbox.token_hash == sandboxes.token_hash(cookie.value)))
    assert found is not None
    return found


def test_a_class_code_is_short_and_easy_to_copy(db: Session, now: datetime) -> None:
    made = classes.create(db, "beginnen", 2, now)
    code = made.practice_class.code
    assert len(code) == classes.CLASS_CODE_LENGTH and set(code) <= set(classes.CODE_ALPHABET)
    assert not set("0O1IL25SZ8BUV") & set(classes.CODE_ALPHABET)
    assert classes.by_code(db, f" {code[:3].lower()}-{code[3:]} ", now) == made.practice_class
    assert made.practice_class.trainer_code_hash != made.trainer_code  # only its hash is kept
    assert classes.by_trainer_code(db, classes.show_trainer_code(made.trainer_code).lower()) == made.practice_class


def test_a_class_can_be_joined_until_exactly_its_end(db: Session, now: datetime) -> None:
    made = classes.create(db, "beginnen", 1, now)
    end = now + timedelta(hours=1)
    assert classes.by_code(db, made.practice_class.code, end - timedelta(microseconds=1)) is not None
    assert classes.by_code(db, made.practice_class.code, end) is None
    with pytest.raises(ValueError):
        classes.create(db, "beginnen", 5, now)


def test_learners_join_with_the_code_and_a_nickname(practice_app: Flask, db: Session) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "machtigen")
    first, second = _client(practice_app), _client(practice_app)
    assert _join(first, code, "  Anna  ").status_code == 302
    assert _join(second, code.lower(), "Bram").status_code == 302
    mine, theirs = _sandbox_of(db, first), _sandbox_of(db, second)
    assert (mine.nickname, theirs.nickname) == ("Anna", "Bram")
    assert mine.class_id == theirs.class_id is not None and mine.id != theirs.id
    assert mine.scenario == theirs.scenario == "machtigen"
    text = normalise(first.get("/").get_data(as_text=True))
    assert "Welkom, Anna. U doet mee met de les." in text
    table = normalise(trainer.page("/oefenen/trainer/les").select_one("#deelnemers").get_text())  # type: ignore[union-attr]
    assert "Anna" in table and "Bram" in table and "0 van 5" in table


@pytest.mark.parametrize(("data", "message"), [
    ({"code": "", "naam": "Anna"}, "Vul de lescode in."),
    ({"code": "QQQQQQ", "naam": "Anna"}, "Deze lescode werkt niet."),
    ({"code": "<CODE>", "naam": " "}, "Vul een naam in."),
    ({"code": "<CODE>", "naam": "A" * 31}, "Deze naam is te lang. Gebruik hoogstens 30 tekens."),
])
def test_joining_says_what_is_wrong_and_keeps_what_was_typed(
    practice_app: Flask, db: Session, data: dict[str, str], message: str
) -> None:
    code = _begin_class(_client(practice_app))
    learner = _client(practice_app)
    sent = {key: value.replace("<CODE>", code) for key, value in data.items()}
    response = _join(learner, sent["code"], sent["naam"])
    assert response.status_code == 400
    text = normalise(response.get_data(as_text=True))
    assert message in text
    assert learner.get_cookie(browser.COOKIE_NAME) is None
    assert db.scalar(select(func.count()).select_from(PracticeSandbox)) == 0
    if sent["code"]:
        assert f'value="{sent["code"]}"' in response.get_data(as_text=True)


def test_the_console_shows_how_far_each_learner_got(practice_app: Flask, db: Session, now: datetime) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "beginnen")
    learner = _client(practice_app)
    _join(learner, code, "Anna")
    sandbox = _sandbox_of(db, learner)
    joke = log_in_sandbox(learner, db, sandbox.id, "joke")
    letter = db.scalars(select(Letter).where(Letter.account_id == joke.id, Letter.attachments.any())).first()
    assert letter is not None
    assert learner.get(f"/berichten/{letter.id}").status_code == 200
    assert learner.get(f"/berichten/{letter.id}").status_code == 200  # counted once
    table = normalise(trainer.page("/oefenen/trainer/les").select_one("#deelnemers").get_text())  # type: ignore[union-attr]
    assert "1 van 3" in table and "Een brief geopend" in table
    # The htmx refresh answers the table alone; without htmx, the console.
    fragment = trainer.get("/oefenen/trainer/les/deelnemers", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "1 van 3" in normalise(fragment.get_data(as_text=True))
    assert trainer.get("/oefenen/trainer/les/deelnemers").status_code == 302


def test_without_the_trainer_code_there_is_no_console(practice_app: Flask) -> None:
    _begin_class(_client(practice_app))
    stranger = _client(practice_app)
    assert stranger.get("/oefenen/trainer/les").location == "/oefenen/trainer"
    refresh = stranger.get("/oefenen/trainer/les/deelnemers", headers={"HX-Request": "true"})
    assert refresh.status_code == 401 and refresh.headers["HX-Redirect"] == "/oefenen/trainer"
    stranger.set_cookie(browser.TRAINER_COOKIE_NAME, "ACDEFGHJKMNP")
    assert stranger.get("/oefenen/trainer/les").location == "/oefenen/trainer"


def test_the_trainer_comes_back_with_the_trainer_code(practice_app: Flask, db: Session) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer)
    trainer_code = normalise(trainer.page("/oefenen/trainer/les").select(".practice-codes__code")[1].get_text())
    other = _client(practice_app)
    token = other.csrf_token("/oefenen/trainer")
    wrong = other.post("/oefenen/trainer/terug", data={"code": "ACDE-FGHJ-KMNP", "csrf_token": token})
    assert wrong.status_code == 400
    assert "Deze trainerscode werkt niet" in normalise(wrong.get_data(as_text=True))
    right = other.post("/oefenen/trainer/terug", data={"code": trainer_code.lower(), "csrf_token": token})
    assert right.status_code == 302
    page = other.page("/oefenen/trainer/les")
    assert normalise(page.select(".practice-codes__code")[0].get_text()) == code
    token = other.csrf_token("/oefenen/trainer/les")
    assert other.post("/oefenen/trainer/weg", data={"csrf_token": token}).status_code == 302
    assert other.get("/oefenen/trainer/les").status_code == 302


def _push(trainer: CheckedClient, what: str, to: str = "iedereen"):  # type: ignore[no-untyped-def]
    token = trainer.csrf_token("/oefenen/trainer/les")
    return trainer.post("/oefenen/trainer/les/sturen", data={"wat": what, "aan": to, "csrf_token": token})


def test_a_pushed_letter_arrives_in_every_box_of_the_class_with_its_email_notice(
    practice_app: Flask, db: Session, now: datetime
) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "beginnen")
    learners = [_client(practice_app) for _ in range(2)]
    for number, learner in enumerate(learners):
        _join(learner, code, f"Deelnemer {number}")
    outsider = _client(practice_app)
    other_code = _begin_class(_client(practice_app), "beginnen")
    _join(outsider, other_code, "Elders")
    boxes = [account_in(db, _sandbox_of(db, c).id, "joke") for c in (*learners, outsider)]
    before = [db.scalar(select(func.count()).select_from(Letter).where(Letter.account_id == b.id)) for b in boxes]
    response = _push(trainer, "brief")
    assert response.status_code == 302
    assert "Gedaan bij 2 deelnemers." in normalise(trainer.get("/oefenen/trainer/les").get_data(as_text=True))
    db.expire_all()
    after = [db.scalar(select(func.count()).select_from(Letter).where(Letter.account_id == b.id)) for b in boxes]
    assert after == [before[0] + 1, before[1] + 1, before[2]]
    newest = db.scalars(select(Letter).where(Letter.account_id == boxes[0].id).order_by(Letter.placed_at.desc())).first()
    assert newest is not None and newest.first_opened_at is None
    # A second push of the same letter has a reference of its own.
    _push(trainer, "brief")
    db.expire_all()
    references = db.scalars(select(Letter.reference).where(Letter.account_id == boxes[0].id)).all()
    assert len(references) == len(set(references))


def test_a_pushed_case_change_is_a_status_of_the_learners_open_case(
    practice_app: Flask, db: Session
) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "lopende-zaken")
    learner = _client(practice_app)
    _join(learner, code, "Anna")
    sandbox = _sandbox_of(db, learner)
    joke = account_in(db, sandbox.id, "joke")
    changes = select(func.count()).select_from(CaseStatusChange).join(Case).where(Case.account_id == joke.id)
    before = db.scalar(changes)
    assert _push(trainer, "zaak", str(sandbox.id)).status_code == 302
    db.expire_all()
    assert db.scalar(changes) == before + 1
    changed = db.scalars(select(Case).join(CaseStatusChange).where(
        Case.account_id == joke.id, CaseStatusChange.text == pushes.CASE_TEXT)).one()
    log_in_sandbox(learner, db, sandbox.id, "joke")
    assert pushes.CASE_TEXT in normalise(learner.get(f"/zaken/{changed.id}").get_data(as_text=True))


def test_a_pushed_mandate_request_comes_with_the_code_letter(practice_app: Flask, db: Session) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "machtigen")
    learner = _client(practice_app)
    _join(learner, code, "Anna")
    sandbox = _sandbox_of(db, learner)
    sanne, joke = account_in(db, sandbox.id, "sanne"), account_in(db, sandbox.id, "joke")
    letters = select(func.count()).select_from(Letter).where(Letter.account_id == sanne.id)
    before = db.scalar(letters)
    assert _push(trainer, "machtiging").status_code == 302
    db.expire_all()
    mandate = db.scalar(select(Mandate).where(Mandate.giver_id == sanne.id, Mandate.helper_id == joke.id))
    assert mandate is not None and mandate.accepted_at is None
    assert db.scalar(letters) == before + 1  # the letter with the activation code
    # Asked already: a second push does nothing, and the trainer is told.
    _push(trainer, "machtiging")
    assert "Dit kon bij niemand" in normalise(trainer.get("/oefenen/trainer/les").get_data(as_text=True))


def test_a_lesson_without_a_second_person_has_no_mandate_request(practice_app: Flask, db: Session) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "beginnen")
    _join(_client(practice_app), code, "Anna")
    _push(trainer, "machtiging")
    assert "Dit kon bij niemand" in normalise(trainer.get("/oefenen/trainer/les").get_data(as_text=True))
    assert db.scalar(select(func.count()).select_from(Mandate)) == 0


def test_the_timeout_drill_shortens_the_next_pages_warning_once(practice_app: Flask, db: Session) -> None:
    trainer = _client(practice_app)
    code = _begin_class(trainer, "beginnen")
    learner = _client(practice_app)
    _join(learner, code, "Anna")
    sandbox = _sandbox_of(db, learner)
    log_in_sandbox(learner, db, sandbox.id, "joke")

    def idle_seconds() -> int:
        found = re.search(r'data-idle-seconds="(\d+)"', learner.get("/berichten/").get_data(as_text=True))
        assert found is not None
        return int(found.group(1))

    normal = idle_seconds()
    assert _push(trainer, "tijd", str(sandbox.id)).status_code == 302
    from portal.session_timeout import DRILL_LEAD_SECONDS, WARNING_SECONDS

    assert idle_seconds() == WARNING_SECONDS + DRILL_LEAD_SECONDS
    assert idle_seconds() == normal


def test_a_trainer_cannot_push_into_a_sandbox_of_another_class(practice_app: Flask, db: Session) -> None:
    trainer = _client(practice_app)
    _begin_class(trainer, "beginnen")
    other_code = _begin_class(_client(practice_app), "beginnen")
    outsider = _client(practice_app)
    _join(outsider, other_code, "Elders")
    theirs = _sandbox_of(db, outsider)
    joke = account_in(db, theirs.id, "joke")
    before = db.scalar(select(func.count()).select_from(Letter).where(Letter.account_id == joke.id))
    response = _push(trainer, "brief", str(theirs.id))
    assert response.status_code == 400
    assert "Kies iemand uit de lijst." in normalise(response.get_data(as_text=True))
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Letter).where(Letter.account_id == joke.id)) == before


def test_ended_classes_are_purged_after_the_idle_time(db: Session, now: datetime) -> None:
    ended = classes.create(db, "beginnen", 1, now - timedelta(hours=1) - classes.sandboxes.IDLE_LIMIT)
    recent = classes.create(db, "beginnen", 1, now - timedelta(hours=1))
    ended_id, recent_id = ended.practice_class.id, recent.practice_class.id
    assert classes.purge_ended(db, now) == 1
    db.expire_all()
    assert db.get(PracticeClass, ended_id) is None and db.get(PracticeClass, recent_id) is not None


def test_a_pushed_letter_brings_its_email_notice_to_uw_email(
    practice_app: Flask, db: Session, now: datetime
) -> None:
    """Once the learner has an e-mail address (as the Instellingen lesson teaches), a pushed
    letter's notice is queued as for a real letter, and "Uw e-mail" shows it."""
    from tests.notifications.support import give_address

    trainer = _client(practice_app)
    code = _begin_class(trainer, "beginnen")
    learner = _client(practice_app)
    _join(learner, code, "Anna")
    sandbox = _sandbox_of(db, learner)
    joke = account_in(db, sandbox.id, "joke")
    give_address(db, joke.id, "joke@example.org", now)
    assert "Er zijn nog geen e-mails." in normalise(learner.get("/oefenen/e-mail").get_data(as_text=True))
    assert _push(trainer, "brief").status_code == 302
    mails = learner.page("/oefenen/e-mail").select("main a[href^='/oefenen/e-mail/']")
    assert len(mails) == 1
