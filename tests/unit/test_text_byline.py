"""Author names out of byline lines: people only, no "by", no dates."""

from __future__ import annotations

import pytest

from extractor.text.byline import parse_byline

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
