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
    assert find_date("Veröffentlicht am 16.08.2019 um 10:00") == datetime(2019, 8, 16)
    assert find_date("Posted on Apr 7, 2009 by Anu") == datetime(2009, 4, 7)


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
