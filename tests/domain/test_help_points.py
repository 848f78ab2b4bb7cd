"""Informatiepunten Digitale Overheid: postcode rules and the nearest help points."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.domain.help_points import (
    MAX_TYPED_LENGTH,
    RESULT_COUNT,
    HelpPoint,
    PostcodeError,
    PostcodeRule,
    check_postcode,
    load_help_points,
    nearest,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234AB", "1234 AB"),
        ("1234 ab", "1234 AB"),
        ("1234  Ab", "1234 AB"),
        (" 1234 ", "1234"),
        ("1234", "1234"),
        ("9999 ZZ", "9999 ZZ"),
        ("1000 AA", "1000 AA"),
        ("\t3511 ab\n", "3511 AB"),
        ("1234 SB", "1234 SB"),  # only SA, SD and SS are never used
    ],
)
def test_valid_postcodes_are_written_the_usual_way(typed: str, expected: str) -> None:
    assert check_postcode(typed) == expected


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("", PostcodeRule.MISSING),
        ("   ", PostcodeRule.MISSING),
        ("0123", PostcodeRule.STARTS_WITH_ZERO),  # PC4 runs from 1000 to 9999
        ("0123 AB", PostcodeRule.STARTS_WITH_ZERO),
        ("12345", PostcodeRule.NOT_A_POSTCODE),
        ("123", PostcodeRule.NOT_A_POSTCODE),
        ("1234 A", PostcodeRule.NOT_A_POSTCODE),
        ("1234 ABC", PostcodeRule.NOT_A_POSTCODE),
        ("12 34 AB", PostcodeRule.NOT_A_POSTCODE),
        ("AB 1234", PostcodeRule.NOT_A_POSTCODE),
        ("1234-AB", PostcodeRule.NOT_A_POSTCODE),
        ("１２３４ AB", PostcodeRule.NOT_A_POSTCODE),  # full-width digits
        ("1234 ÄB", PostcodeRule.NOT_A_POSTCODE),
        ("1234 SA", PostcodeRule.UNUSED_LETTERS),
        ("1234sd", PostcodeRule.UNUSED_LETTERS),
        ("1234 ss", PostcodeRule.UNUSED_LETTERS),
        ("1234" + " " * (MAX_TYPED_LENGTH - 5) + "AB", PostcodeRule.TOO_LONG),
        ("1234 AB 1234 AB", PostcodeRule.TOO_LONG),
    ],
)
def test_invalid_postcodes_name_the_rule(typed: str, rule: PostcodeRule) -> None:
    with pytest.raises(PostcodeError) as caught:
        check_postcode(typed)
    assert caught.value.rule is rule
    assert isinstance(caught.value, ValueError)


def test_the_longest_allowed_text_is_still_read() -> None:
    typed = "1234" + " " * (MAX_TYPED_LENGTH - 6) + "AB"
    assert len(typed) == MAX_TYPED_LENGTH
    assert check_postcode(typed) == "1234 AB"


def test_the_shipped_file_has_about_25_points_all_over_the_country() -> None:
    points = load_help_points()
    assert 20 <= len(points) <= 40
    assert len({point.name for point in points}) == len(points)
    # Every first digit of the PC4 (every region) has at least one help point.
    assert {point.postcode[0] for point in points} == set("123456789")
    assert load_help_points() is points  # read once


def test_nearest_gives_three_in_order_of_pc4_distance() -> None:
    found = nearest("3511 AB")
    assert len(found) == RESULT_COUNT == 3
    distances = [abs(point.pc4 - 3511) for point in found]
    assert distances == sorted(distances)
    assert found[0].city == "Utrecht"
    assert nearest("3511ab") == found  # the same, however it is typed


def test_nearest_in_the_north_and_the_south() -> None:
    assert nearest("9711")[0].city == "Groningen"
    assert nearest("6211 AB")[0].city == "Maastricht"


def _point(name: str, postcode: str) -> HelpPoint:
    return HelpPoint(name, "Straat 1", postcode, "Plaats", "010 000 00 00", "Maandag")


def test_ties_are_ordered_by_name_so_the_answer_never_changes() -> None:
    points = (_point("Zeta", "2000"), _point("Alfa", "4000"), _point("Beta", "2000"), _point("Ver", "9000"))
    found = nearest("3000", points=points)
    assert [point.name for point in found] == ["Alfa", "Beta", "Zeta"]
    assert nearest("3000", points=tuple(reversed(points))) == found
    assert [point.name for point in nearest("3000", count=1, points=points)] == ["Alfa"]


def test_nearest_refuses_a_postcode_that_is_none() -> None:
    with pytest.raises(PostcodeError):
        nearest("0000")


def test_a_broken_data_file_stops_loudly(tmp_path: Path) -> None:
    broken = tmp_path / "points.csv"
    broken.write_text("# sample\nname,street,postcode,city,phone,hours\nBieb,Straat 1,0123,Plaats,010,Maandag\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        load_help_points(broken)
    empty_column = tmp_path / "empty.csv"
    empty_column.write_text("name,street,postcode,city,phone,hours\nBieb,,1234,Plaats,010,Maandag\n",
                            encoding="utf-8")
    with pytest.raises(ValueError, match="every column"):
        load_help_points(empty_column)
