"""Dates in many formats and languages; rejection of impossible dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from extractor.dates import date_from_url, find_date, parse_date
from tests.unit.html_pages import article, news_page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2024-03-05T09:30:00Z", datetime(2024, 3, 5, 9, 30, tzinfo=UTC)),
        (
            "2024-03-05 09:30:00+0200",
            datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("20240305", datetime(2024, 3, 5)),
        ("Tue, 05 Mar 2024 09:30:00 GMT", datetime(2024, 3, 5, 9, 30, tzinfo=UTC)),
        ("05.03.2024", datetime(2024, 3, 5)),
        ("5. März 2024", datetime(2024, 3, 5)),
        ("March 5, 2024", datetime(2024, 3, 5)),
        ("5 mars 2024", datetime(2024, 3, 5)),
        ("5 de marzo de 2024", datetime(2024, 3, 5)),
        ("5 marzo 2024", datetime(2024, 3, 5)),
        ("2024年3月5日", datetime(2024, 3, 5)),
        ("13/03/2024", datetime(2024, 3, 13)),
        ("03/13/2024", datetime(2024, 3, 13)),
        ("2024/03/05", datetime(2024, 3, 5)),
    ],
)
def test_parse_date_formats(raw: str, expected: datetime) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "yesterday", "31.02.2020", "1850-01-01", "2999-01-01", "99"])
def test_impossible_or_absent_dates(raw: str) -> None:
    assert parse_date(raw) is None


def test_find_date_in_running_text() -> None:
    found = find_date("Veröffentlicht am 16.08.2019 um 10:00")
    assert found is not None and found.value == datetime(2019, 8, 16, 10, 0)
    assert found.raw == "16.08.2019 um 10:00"
    found = find_date("Posted on Apr 7, 2009 by Anu")
    assert found is not None and found.value == datetime(2009, 4, 7)


def test_date_from_url() -> None:
    assert date_from_url("https://x.org/2019/01/31/post") == datetime(2019, 1, 31)
    assert date_from_url("https://x.org/news/2019-01-31-post") == datetime(2019, 1, 31)
    assert date_from_url("https://x.org/2019/13/45/post") is None


def test_date_written_next_to_the_headline() -> None:
    html = news_page().replace(
        "<h1>Harbour wall to be rebuilt</h1>",
        "<h1>Harbour wall to be rebuilt</h1><div>Veröffentlicht am 14.02.2016</div>",
    )
    result = article(html, url="https://news.example.com/harbour-wall")
    assert result.published == datetime(2016, 2, 14)
    assert result.sources["published"] == "text"


@pytest.mark.parametrize(
    "raw", ["2999-01-01T10:00:00Z", "1989-12-31T10:00:00+01:00", "4102444800", "12.05.1985"]
)
def test_dates_before_the_web_or_in_the_future_are_no_dates(raw: str) -> None:
    assert parse_date(raw) is None


def test_a_future_date_in_text_gives_way_to_the_next_real_one() -> None:
    found = find_date("Event on 3 March 2999; posted 4 March 2021")
    assert found is not None and found.value == datetime(2021, 3, 4)


def test_iso_time_and_offset_are_read_in_running_text() -> None:
    found = find_date("Published 2022-11-11T15:20:00+02:00 by Jane")
    assert found is not None
    assert found.value == datetime(2022, 11, 11, 15, 20, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("05.03.2024", True, datetime(2024, 3, 5)),  # dots are day first in any language
        ("05/03/2024", False, datetime(2024, 3, 5)),
        ("05/03/2024", True, datetime(2024, 5, 3)),
        ("05/13/2024", False, datetime(2024, 5, 13)),  # 13 cannot be a month
        ("13-05-2024", True, datetime(2024, 5, 13)),
    ],
)
def test_numeric_dates_follow_the_separator_and_the_language(
    text: str, month_first: bool, expected: datetime
) -> None:
    found = find_date(text, month_first=month_first)
    assert found is not None and found.value == expected
