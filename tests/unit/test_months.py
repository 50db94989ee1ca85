"""The one month table both engines read month names with."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from extractor import dates
from extractor.months import MONTH_PATTERN, MONTHS, month_number


def test_the_pattern_matches_exactly_the_month_names() -> None:
    whole = re.compile(f"^(?:{MONTH_PATTERN})$", re.IGNORECASE)
    assert all(whole.match(name) for name in MONTHS)
    assert not whole.match("ja") and not whole.match("janu") and not whole.match("mays")


@pytest.mark.parametrize(
    ("name", "number"),
    [("Sept.", 9), ("MÄRZ", 3), ("listopada", 11), ("Kasım", 11), ("kesäkuu", 6), ("luty", 2)],
)
def test_a_name_in_any_case_gives_its_month(name: str, number: int) -> None:
    assert month_number(name) == number


def test_turkish_capitals_give_their_month() -> None:
    """re.IGNORECASE matches "APRİL" and "MAYIS", but lower() spells them "apri̇l", "mayis"."""
    assert month_number("APRİL") == 4
    assert month_number("MAYIS") == 5
    assert month_number("ARALIK") == 12
    assert month_number("mayday") is None


def test_the_parser_reads_a_date_with_turkish_capitals() -> None:
    for text, day in (("Yayın: 12 APRİL 2020", datetime(2020, 4, 12)), ("3 MAYIS 2021", None)):
        found = dates.find_date(text)
        assert found is not None and found.value == (day or datetime(2021, 5, 3))
