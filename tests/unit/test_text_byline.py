"""Author names out of byline lines: people only, no "by", no dates."""

from __future__ import annotations

import pytest

from extractor.text.byline import lone_by, name_line, parse_byline

CASES = [
    ("By Jane Doe", ["Jane Doe"]),
    ("by Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("By Jane Doe, John Roe & Ann Lee | Nov. 11, 2022", ["Jane Doe", "John Roe", "Ann Lee"]),
    ("BY JANE DOE", ["JANE DOE"]),
    ("By Jane Doe on November 11, 2022", ["Jane Doe"]),
    ("By Jane Doe - Updated 3 hours ago", ["Jane Doe"]),
    ("By Jane Doe • 5 min read", ["Jane Doe"]),
    ("Written by Mary-Ann O'Neil", ["Mary-Ann O'Neil"]),
    ("Author: Pierre Dupont", ["Pierre Dupont"]),
    ("Von Hans Müller und Eva Schmidt, 11.11.2022", ["Hans Müller", "Eva Schmidt"]),
    ("Par Jean-Luc Martin et Anne Petit", ["Jean-Luc Martin", "Anne Petit"]),
    ("Por María García y José López", ["María García", "José López"]),
    ("Автор: Иван Петров", ["Иван Петров"]),
    (
        "by The Kyiv Independent news desk November 11, 2022 3:20 PM",
        ["The Kyiv Independent news desk"],
    ),
]


@pytest.mark.parametrize(("line", "names"), CASES)
def test_bylines(line: str, names: list[str]) -> None:
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    "line",
    [
        "The minister spoke by phone.",
        "by the time the police arrived",
        "Par ailleurs, le gouvernement a annoncé",
        "Di recente il governo ha deciso",
        "By 2030 the plant will close",
        "Subscribe to our newsletter",
        "Photo by Getty Images",
        "The vote was held by the council on 3 May 2020",
        "On 3 May 2020 the council met in the old town hall",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "dated_next", "after_by", "names"),
    [
        ("Zach Lezberg | May 22, 2025", False, False, ["Zach Lezberg"]),
        ("Pepper Pot Jun 7, 2017 at 8:28 pm", False, False, ["Pepper Pot"]),
        ("Spencer McIntyre", True, False, ["Spencer McIntyre"]),
        ("Amy Roeder", False, True, ["Amy Roeder"]),
        ("Eliz Doe - Product marketer", False, True, ["Eliz Doe"]),
        ("the editorial team", False, True, None),
        ("Amy Roeder", False, False, None),  # a name alone, nothing dated near: not taken
        ("Home", True, False, None),  # one word: a menu item as often as a name
        ("Updated March 3, 2024", False, False, None),
        ("Read the full story", True, False, None),  # function words: not a name
        ("Top 10 Trends to Watch in 2025", True, False, None),
    ],
)
def test_names_without_a_byline_word(
    line: str, dated_next: bool, after_by: bool, names: list[str] | None
) -> None:
    assert name_line(line, dated_next, after_by) == names


def test_a_lone_by_announces_the_next_line() -> None:
    assert lone_by("By") and lone_by("by:") and lone_by("Von")
    assert not lone_by("By Jane Doe") and not lone_by("Bye")
