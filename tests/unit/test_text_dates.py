"""Dates in many formats and languages; a zone only when the text writes one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from extractor.dates import find_date
from extractor.text.date_lines import is_date_line, is_time_line

NAIVE = [
    ("November 11, 2022", datetime(2022, 11, 11)),
    ("Nov. 11, 2022 3:20 p.m.", datetime(2022, 11, 11, 15, 20)),
    ("Friday, 11th November 2022", datetime(2022, 11, 11)),
    ("Updated 12:05 AM, Nov 11 2022", datetime(2022, 11, 11, 0, 5)),
    ("2022-11-11", datetime(2022, 11, 11)),
    ("2022/11/11 15:20", datetime(2022, 11, 11, 15, 20)),
    ("11.11.2022, 15.20 Uhr", datetime(2022, 11, 11, 15, 20)),
    ("11. November 2022", datetime(2022, 11, 11)),
    ("3. März 2021", datetime(2021, 3, 3)),
    ("11 novembre 2022 à 15h20", datetime(2022, 11, 11, 15, 20)),
    ("1er février 2021", datetime(2021, 2, 1)),
    ("11 de noviembre de 2022", datetime(2022, 11, 11)),
    ("7 de março de 2020", datetime(2020, 3, 7)),
    ("11 ottobre 2019", datetime(2019, 10, 11)),
    ("11 listopada 2022", datetime(2022, 11, 11)),
    ("11 ноября 2022 г., 15:20", datetime(2022, 11, 11, 15, 20)),
    ("11 листопада 2022, 15:20", datetime(2022, 11, 11, 15, 20)),
    ("5 Kasım 2019", datetime(2019, 11, 5)),
    ("2022年11月11日 15時", datetime(2022, 11, 11)),
    ("2022년 11월 11일", datetime(2022, 11, 11)),
    ("13/11/2022", datetime(2022, 11, 13)),
]


@pytest.mark.parametrize(("text", "expected"), NAIVE)
def test_dates_without_a_zone_stay_naive(text: str, expected: datetime) -> None:
    found = find_date(text)
    assert found is not None
    assert found.value == expected
    assert found.value.tzinfo is None


ZONED = [
    ("2022-11-11T15:20:00+02:00", 2.0),
    ("2022-11-11T13:20:00Z", 0.0),
    ("Nov. 11, 2022 3:20 p.m. EST", -5.0),
    ("11 November 2022 15:20 CET", 1.0),
    ("15:20 GMT+2, 11 Nov 2022", 2.0),
    ("11.11.2022 15:20 UTC", 0.0),
]


@pytest.mark.parametrize(("text", "hours"), ZONED)
def test_a_written_zone_makes_it_aware(text: str, hours: float) -> None:
    found = find_date(text)
    assert found is not None
    assert found.value.utcoffset() == timedelta(hours=hours)


def test_the_aware_instant_is_right() -> None:
    found = find_date("Published 2022-11-11T15:20:00+02:00")
    assert found is not None
    assert found.value.astimezone(UTC) == datetime(2022, 11, 11, 13, 20, tzinfo=UTC)


def test_raw_span_covers_date_and_time() -> None:
    found = find_date("by Jane Doe November 11, 2022 3:20 PM 1 min read")
    assert found is not None
    assert found.raw == "November 11, 2022 3:20 PM"


def test_ambiguous_numeric_date_follows_the_language() -> None:
    us, eu = find_date("11/12/2022", month_first=True), find_date("11/12/2022", month_first=False)
    assert us is not None and eu is not None
    assert (us.value.month, us.value.day) == (11, 12)
    assert (eu.value.month, eu.value.day) == (12, 11)


@pytest.mark.parametrize("text", ["no date here", "Version 2.3.1", "call 555-1234", "31/31/2022"])
def test_no_date(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize(
    "line", ["5:44 PM", "15:20", "2 hours ago", "vor 3 Stunden", "2 days ago at 07:52 am"]
)
def test_time_lines(line: str) -> None:
    assert is_time_line(line)


@pytest.mark.parametrize("line", ["At 5:44 PM the sirens began.", "Nov 11", "Today I went out"])
def test_not_time_lines(line: str) -> None:
    assert not is_time_line(line)


def test_date_lines() -> None:
    assert is_date_line("Friday, November 11, 2022 3:20 PM")
    assert is_date_line("11.11.2022")
    assert not is_date_line("The vote on November 11, 2022 was close, officials said.")
