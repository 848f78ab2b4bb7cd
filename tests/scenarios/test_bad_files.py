"""A bad scenario file gives a short, exact message naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.scenarios import ScenarioError, load_scenarios
from portal.scenarios.limits import MAX_FILE_BYTES, MAX_PERSONAS_PER_SCENARIO
from tests.scenarios.conftest import GOOD, problems_in


def test_the_good_example_has_no_problem(trainer_dir: Path) -> None:
    assert problems_in(trainer_dir, GOOD) == []


def test_a_bad_file_stops_loading_with_every_problem(trainer_dir: Path) -> None:
    (trainer_dir / "mijn-les.toml").write_text(GOOD.replace('learner = "joke"', 'learner = "sanne"'))
    with pytest.raises(ScenarioError) as raised:
        load_scenarios(trainer_dir)
    assert raised.value.problems == ["mijn-les.toml: learner: 'sanne' does not take part: add it to people"]
    assert str(raised.value) == raised.value.problems[0]


def test_toml_syntax_error_names_the_line(trainer_dir: Path) -> None:
    text = GOOD.replace('learner = "joke"', 'learner = "joke')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: TOML syntax error: Illegal character '\\n' (at line 4, column 16)"]


def test_unknown_field(trainer_dir: Path) -> None:
    text = GOOD.replace("days_ago = 1,", "days_ago = 1, unread = true,")
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: letters.joke[0].unread: unknown field (check the spelling)"]


def test_missing_field(trainer_dir: Path) -> None:
    text = GOOD.replace('description.nl = "Een les van de bibliotheek."\n', "")
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: description: missing (this field is required)"]


def test_missing_dutch_title(trainer_dir: Path) -> None:
    text = GOOD.replace('title.nl = "Mijn les"', 'title.en = "My lesson"')
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: title.nl: missing (this field is required)"]


def test_a_language_that_is_not_one_of_the_six(trainer_dir: Path) -> None:
    text = GOOD + '\n'
    text = text.replace('title.nl = "Mijn les"', 'title.nl = "Mijn les"\ntitle.fr = "Ma leçon"')
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: title.fr: unknown field (check the spelling)"]


def test_wrong_type(trainer_dir: Path) -> None:
    text = GOOD.replace("days_ago = 1,", 'days_ago = "1",')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: letters.joke[0].days_ago: must be a whole number, without quotes"]


def test_wrong_type_true_is_not_a_number(trainer_dir: Path) -> None:
    text = GOOD.replace("read = false", "read = 0")
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: letters.joke[0].read: must be true or false"]


def test_unknown_persona(trainer_dir: Path) -> None:
    text = GOOD.replace('people = ["joke"]', 'people = ["joke", "jokee"]')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: people[1]: unknown persona 'jokee' (not in personen.toml or this file)"]


def test_unknown_letter_template(trainer_dir: Path) -> None:
    text = GOOD.replace('template = "ib_aanslag"', 'template = "xyz"')
    assert problems_in(trainer_dir, text, "machtigen-extra.toml") == [
        "machtigen-extra.toml: letters.joke[0].template: unknown letter template 'xyz'"]


def test_unknown_organisation(trainer_dir: Path) -> None:
    text = GOOD.replace('joke = ["belastingdienst"]', 'joke = ["belastingdienst", "gemeente_amsterdam"]')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: subscriptions.joke[1]: unknown organisation 'gemeente_amsterdam'"]


def test_a_letter_from_an_organisation_the_box_is_not_subscribed_to(trainer_dir: Path) -> None:
    text = GOOD.replace('template = "ib_aanslag"', 'template = "apk"')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: letters.joke[0]: 'joke' is not subscribed to 'rdw' (R2): add it to subscriptions.joke"]


def test_duplicate_key_in_one_file_is_a_toml_error(trainer_dir: Path) -> None:
    text = GOOD + '\n[subscriptions]\nsanne = ["rdw"]\n'
    [problem] = problems_in(trainer_dir, text)
    assert problem.startswith("mijn-les.toml: TOML syntax error: Cannot declare ('subscriptions',) twice")
    assert "(at line 14, " in problem


def test_duplicate_persona_in_the_list(trainer_dir: Path) -> None:
    text = GOOD.replace('people = ["joke"]', 'people = ["joke", "joke"]')
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: people[1]: 'joke' is in the list twice"]


def test_own_persona_with_a_key_that_exists_in_the_library(trainer_dir: Path) -> None:
    text = GOOD + PERSONA.replace("[personas.ria]", "[personas.joke]")
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: personas.joke: persona 'joke' already exists in personen.toml; choose another key"]


def test_own_letter_template_with_a_key_that_exists_in_the_library(trainer_dir: Path) -> None:
    text = GOOD + TEMPLATE.replace("[templates.bibliotheek]", "[templates.woz]")
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: templates.woz: letter template 'woz' already exists in brieven.toml; choose another key"]


def test_invalid_bsn(trainer_dir: Path) -> None:
    text = GOOD + PERSONA.replace('bsn = "999900146"', 'bsn = "999900147"')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: personas.ria.bsn: '999900147' is not a valid BSN (9 digits that pass the elfproef)"]


def test_a_bsn_that_another_persona_has(trainer_dir: Path) -> None:
    text = GOOD + PERSONA.replace('bsn = "999900146"', 'bsn = "999900006"')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: personas.ria.bsn: the same BSN as persona 'joke'"]


def test_two_files_with_the_same_key(trainer_dir: Path) -> None:
    [problem] = problems_in(trainer_dir, GOOD, "beginnen.toml")
    assert problem.startswith("beginnen.toml: a scenario with the key 'beginnen' already exists (")
    assert problem.endswith("portal/scenarios/files/beginnen.toml)")


def test_a_trainer_file_may_not_take_a_library_name(trainer_dir: Path) -> None:
    assert problems_in(trainer_dir, GOOD, "brieven.toml") == [
        "brieven.toml: this name is taken by the shipped library; give your scenario file another name"]


def test_a_file_name_that_is_not_a_key(trainer_dir: Path) -> None:
    assert problems_in(trainer_dir, GOOD, "Mijn Les.toml") == [
        "Mijn Les.toml: the file name must be small letters a-z, digits and -, "
        "at most 40 before .toml (such as mijn-les.toml)"]


def test_unknown_placeholder_in_an_own_letter(trainer_dir: Path) -> None:
    text = GOOD + TEMPLATE.replace("Beste {name}", "Beste {naam}")
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: templates.bibliotheek.body: unknown placeholder {naam}; use one of "
        "act_by, address, city, coming_year, name, placed, prev_year, reference, year"]


def test_an_archived_letter_that_was_never_read(trainer_dir: Path) -> None:
    text = GOOD.replace("read = false", "read = false, archived = true")
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: letters.joke[0]: an archived letter has been read: set read = true"]


def test_a_persona_who_cannot_have_an_account_gets_no_letters(trainer_dir: Path) -> None:
    text = GOOD.replace('people = ["joke"]', 'people = ["joke", "lotte"]') + '\n'
    text = text.replace('joke = ["belastingdienst"]', 'joke = ["belastingdienst"]\nlotte = ["duo"]')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: subscriptions.lotte: 'lotte' cannot have an account (R1: register, age, nationality)"]


def test_a_case_step_that_does_not_exist(trainer_dir: Path) -> None:
    text = GOOD + CASE.replace("step = 2", "step = 4")
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: cases[0].statuses[0].step: there are only 3 steps"]


def test_an_action_without_a_date(trainer_dir: Path) -> None:
    text = GOOD + CASE.replace("act_within_days = 14\n", "")
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: cases[0].statuses[0]: a status with an action needs act_within_days (the date to act by)"]


def test_too_many_personas(trainer_dir: Path) -> None:
    names = ", ".join(f'"p{i}"' for i in range(MAX_PERSONAS_PER_SCENARIO + 1))
    text = GOOD.replace('people = ["joke"]', f"people = [{names}]")
    assert problems_in(trainer_dir, text) == [
        f"mijn-les.toml: people: List should have at most {MAX_PERSONAS_PER_SCENARIO} items after validation, "
        f"not {MAX_PERSONAS_PER_SCENARIO + 1}"]


def test_a_file_that_is_too_big(trainer_dir: Path) -> None:
    text = GOOD + "#" * MAX_FILE_BYTES
    assert problems_in(trainer_dir, text) == ["mijn-les.toml: the file is larger than 256 KB"]


def test_a_file_that_is_not_utf8(trainer_dir: Path) -> None:
    (trainer_dir / "mijn-les.toml").write_bytes(GOOD.replace("Mijn les", "Mijn lés").encode("latin-1"))
    from portal.scenarios import check_scenarios

    assert check_scenarios(trainer_dir).problems == [
        "mijn-les.toml: the file is not UTF-8 text; save it as UTF-8"]


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    from portal.scenarios import check_scenarios

    missing = tmp_path / "nergens"
    assert check_scenarios(missing).problems == [f"PORTAL_SCENARIO_DIR: {missing} is not a folder"]


def test_every_problem_of_a_file_is_reported(trainer_dir: Path) -> None:
    text = GOOD.replace("days_ago = 1,", 'days_ago = "1",').replace('learner = "joke"', 'learner = "Joke"')
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: learner: 'Joke' is not a good key: use small letters a-z, digits, - or _, "
        "start with a letter, at most 40 characters",
        "mijn-les.toml: letters.joke[0].days_ago: must be a whole number, without quotes",
    ]


PERSONA = """
[personas.ria]
given_names = "Ria"
surname = "Kok"
bsn = "999900146"
age = 70
street = "Markt"
house_number = "1"
postcode = "1234 AB"
city = "Utrecht"
description = "70 jaar, nieuw in de les."
"""

TEMPLATE = """
[templates.bibliotheek]
organisation = "gemeente_utrecht"
subject = "Welkom in de les"
reference_prefix = "BIB"
body = \"\"\"
Beste {name},

Welkom.\"\"\"
"""

CASE = """
[[cases]]
persona = "joke"
organisation = "belastingdienst"
title = "Bezwaar aanslag"
reference = "BZ-1"
steps = ["Ontvangen", "Bekijken", "Besluit"]
opened_days_ago = 5

[[cases.statuses]]
days_ago = 1
step = 2
text = "Wij bekijken uw bezwaar."
action = "Stuur ons uw loonstrook."
act_within_days = 14
"""


def test_a_step_on_an_unknown_page(trainer_dir: Path) -> None:
    text = GOOD + '\n[[steps]]\npage = "messages.lezen"\nlabel.nl = "Een brief gelezen"\n'
    assert problems_in(trainer_dir, text) == [
        "mijn-les.toml: steps[0]: unknown page 'messages.lezen': use a name of portal/endpoints.py"]


def test_a_step_is_read_with_its_labels(trainer_dir: Path) -> None:
    text = GOOD + '\n[[steps]]\npage = "messages.letter"\nlabel.nl = "Een brief geopend"\nlabel.en = "Opened a letter"\n'
    assert problems_in(trainer_dir, text) == []
    (step,) = load_scenarios(trainer_dir)["mijn-les"].steps
    assert (step.endpoint, step.label_in("en"), step.label_in("uk")) == (
        "messages.letter", "Opened a letter", "Een brief geopend")
