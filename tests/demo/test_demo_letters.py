from datetime import date, timedelta

import pytest

from portal.demo.letters import TEMPLATES, address_lines, build_draft
from portal.demo.mailboxes import MAILBOXES, SUBSCRIPTIONS
from portal.demo.organisations import BY_KEY, ORGANISATIONS
from portal.demo.people import PEOPLE, by_username
from portal.domain.attachments import MAX_PERSONAL_BYTES, is_pdf
from portal.domain.letters import check_letter

TODAY = date(2026, 11, 20)

REGISTERED = [p for p in PEOPLE if p.in_register]
# Every template on a few days: a year boundary, a November day ("coming year"), a leap day.
DAYS = [TODAY, date(2026, 1, 1), date(2026, 12, 31), date(2028, 2, 29)]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
@pytest.mark.parametrize("day", DAYS)
def test_every_template_passes_the_letter_rules(key, day):
    for person in REGISTERED:
        draft = build_draft(key, person, day)
        check_letter(draft)  # raises for any broken rule (R3, R4, lengths, https link)
        assert draft.sender_url == BY_KEY[TEMPLATES[key].organisation].website
        assert "{" not in draft.subject + draft.body + (draft.action or "")
        if draft.action:
            assert draft.act_by is not None and draft.act_by > day
            assert "vóór" in draft.action
        for item in draft.attachments:
            assert is_pdf(item.content)
            assert item.filename.endswith(".pdf") and "{" not in item.filename


def test_every_demo_letter_passes_the_letter_rules():
    for username, deliveries in MAILBOXES.items():
        person = by_username(username)
        for delivery in deliveries:
            draft = build_draft(delivery.template, person, TODAY - timedelta(days=delivery.days_ago))
            check_letter(draft)


def test_most_letters_have_a_personal_pdf_and_some_a_general_one():
    drafts = [build_draft(key, REGISTERED[0], TODAY) for key in TEMPLATES]
    with_personal = [d for d in drafts if any(a.personal for a in d.attachments)]
    with_general = [d for d in drafts if any(not a.personal for a in d.attachments)]
    assert len(with_personal) > len(drafts) / 2
    assert len(with_general) >= 2
    assert any(d.act_by for d in drafts) and any(d.act_by is None for d in drafts)
    for draft in drafts:
        assert sum(len(a.content) for a in draft.attachments if a.personal) < MAX_PERSONAL_BYTES / 10


def test_drafts_are_deterministic():
    person = by_username("joke")
    first = build_draft("woz", person, TODAY)
    second = build_draft("woz", person, TODAY)
    assert first == second


def test_general_attachments_are_the_same_for_everyone():
    joke, marieke = by_username("joke"), by_username("marieke")
    for key in TEMPLATES:
        mine = [a for a in build_draft(key, joke, TODAY).attachments if not a.personal]
        hers = [a for a in build_draft(key, marieke, TODAY).attachments if not a.personal]
        assert mine == hers


def test_personal_attachments_differ_per_person():
    joke, marieke = by_username("joke"), by_username("marieke")
    mine = build_draft("woz", joke, TODAY).attachments[0]
    hers = build_draft("woz", marieke, TODAY).attachments[0]
    assert mine.personal and mine.content != hers.content


def test_joke_tax_letter_reads_as_in_the_brief():
    draft = build_draft("ib_aanslag", by_username("joke"), date(2026, 11, 19))
    assert draft.subject == "Uw aanslag inkomstenbelasting 2025"
    assert draft.body.startswith("Beste Joke de Vries,")
    assert draft.act_by == date(2026, 12, 17)
    assert draft.action == "Betaal € 312 vóór 17 december 2026"
    assert [a.filename for a in draft.attachments] == ["aanslag-inkomstenbelasting-2025.pdf"]


def test_address_block_abroad_names_the_country():
    assert address_lines(by_username("emma")) == [
        "Emma de Boer", "Calle Mayor 5", "29001 Málaga", "SPANJE"]
    assert address_lines(by_username("joke")) == ["Joke de Vries", "Lindelaan 12", "3581 AB Utrecht"]


def test_letters_only_come_from_subscribed_organisations():
    for username, deliveries in MAILBOXES.items():
        for delivery in deliveries:
            assert TEMPLATES[delivery.template].organisation in SUBSCRIPTIONS[username]


def test_subscriptions_cover_most_organisations():
    assert set(SUBSCRIPTIONS["joke"]) == {org.key for org in ORGANISATIONS}
    for username, keys in SUBSCRIPTIONS.items():
        assert len(set(keys)) == len(keys)
        assert set(keys) <= set(BY_KEY)
        assert len(keys) > len(ORGANISATIONS) / 2, username


def test_joke_box_as_in_the_brief():
    box = MAILBOXES["joke"]
    assert 7 <= len(box) <= 9
    unread = [d for d in box if not d.read]
    assert len(unread) == 1
    newest = min(box, key=lambda d: d.days_ago)
    assert unread == [newest]
    assert TEMPLATES[newest.template].organisation == "belastingdienst"
    assert TEMPLATES[newest.template].action
    assert sum(d.archived for d in box) >= 2
    assert not any(d.archived and not d.read for d in box)


@pytest.mark.parametrize("username", ["sanne", "ahmed", "kees", "marieke", "tom", "emma"])
def test_other_boxes_have_three_to_six_letters_some_unread(username):
    box = MAILBOXES[username]
    assert 3 <= len(box) <= 6
    assert any(not d.read for d in box)
    assert any(d.read for d in box)
