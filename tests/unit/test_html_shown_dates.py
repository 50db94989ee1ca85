"""The date a page shows next to its headline, against the dates in its metadata; the URL's
permalink date; labels of the last change; forum sign-up dates; month names as a trie."""

from __future__ import annotations

import json
from datetime import date, datetime

from extractor import dates
from extractor.dates import find_dates
from tests.unit.html_pages import article, news_page

UNDATED_URL = "https://news.example.com/harbour-wall"


def _meta(published: str, modified: str) -> str:
    """Structured data's dates (JSON-LD): those give way to the date the page shows."""
    data = {"@type": "NewsArticle", "datePublished": published, "dateModified": modified}
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def _explicit(published: str, modified: str) -> str:
    return (
        f"<meta property='article:published_time' content='{published}'>"
        f"<meta property='article:modified_time' content='{modified}'>"
    )


def _shown(line: str, head: str, url: str = UNDATED_URL) -> datetime | None:
    html = news_page(extra_head=head).replace(
        "<h1>Harbour wall to be rebuilt</h1>",
        f"<h1>Harbour wall to be rebuilt</h1><div>{line}</div>",
    )
    return article(html, url).published


def _value(found: dates.FoundDate | None) -> datetime | None:
    return found.value if found is not None else None


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def test_updated_date_shown_alone_wins_over_published() -> None:
    head = _meta("2019-10-15T16:59:59+00:00", "2020-03-12T14:42:17+00:00")
    assert _day(_shown("Updated Mar 12, 2020", head)) == date(2020, 3, 12)


def test_an_explicit_published_meta_stands_whatever_is_shown() -> None:
    head = _explicit("2019-10-15T16:59:59+00:00", "2020-03-12T14:42:17+00:00")
    assert _day(_shown("Updated Mar 12, 2020", head)) == date(2019, 10, 15)


def test_published_date_shown_keeps_published() -> None:
    head = _meta("2019-10-15T16:59:59+00:00", "2020-03-12T14:42:17+00:00")
    assert _day(_shown("Published Oct 15, 2019", head)) == date(2019, 10, 15)


def test_first_of_the_two_shown_wins() -> None:
    head = _meta("2019-06-17T00:00:00+00:00", "2020-06-04T16:41:46+00:00")
    line = "Last updated 04 Jun 2020, originally created 17 Jun 2019"
    assert _day(_shown(line, head)) == date(2020, 6, 4)


def test_nothing_shown_keeps_published() -> None:
    head = _meta("2018-02-28T20:00:18+00:00", "2020-01-05T11:53:45+00:00")
    assert _day(_shown("By Jane Doe", head)) == date(2018, 2, 28)


def test_editorial_update_between_published_and_modified_is_shown() -> None:
    head = _meta("2016-08-29T21:54:39+00:00", "2020-10-01T13:23:47+00:00")
    assert _day(_shown("By Jane Doe Updated May 06, 2019", head)) == date(2019, 5, 6)


def test_shown_date_outside_the_history_dates_something_else() -> None:
    head = _meta("2022-01-11T10:00:00+01:00", "2022-01-21T10:00:00+01:00")
    assert _day(_shown("Event on 22 May 2022", head)) == date(2022, 1, 11)


def test_republished_page_keeps_the_earlier_shown_date() -> None:
    """Published a minute after its last modification: a re-release; the header's date is
    the first publication."""
    head = _meta("2022-11-17T10:33:13.258Z", "2022-11-17T10:32:18.099Z")
    assert _day(_shown("von Jane Doe 09.03.2022", head)) == date(2022, 3, 9)


def test_mixed_naive_and_aware_dates_do_not_fail() -> None:
    head = _meta("2022-01-26T14:30:00+01:00", "2022-01-28")
    assert _day(_shown("26.01.2022", head)) == date(2022, 1, 26)


def test_the_shown_day_does_not_move_a_utc_time() -> None:
    """A dateline may be an update's or another item's day: only the URL's day moves a UTC
    time (tests/unit/test_date_decision.py)."""
    head = "<meta property='article:published_time' content='2022-05-04T00:53:29.274Z'>"
    assert _day(_shown("3 de mayo de 2022 21:25", head)) == date(2022, 5, 4)


def test_permalink_date_far_before_the_metadata_wins() -> None:
    head = "<meta name='datePublished' content='2019-06-17T18:28:00+0200'>"
    url = "https://blog.example.org/home/2017/7/12/montauk"
    result = article(news_page(extra_head=head), url)
    assert result.published == datetime(2017, 7, 12)
    assert result.sources["published"] == "url"


def test_permalink_date_days_before_the_metadata_is_left() -> None:
    head = "<meta property='article:published_time' content='2020-02-25T10:00:00+01:00'>"
    result = article(news_page(extra_head=head), "https://x.org/2020/02/18/story.html")
    assert _day(result.published) == date(2020, 2, 25)


def test_mise_en_ligne_is_a_date_label() -> None:
    html = news_page(after="<p>Mise en ligne 23 mai 2019</p>")
    assert article(html, UNDATED_URL).published == datetime(2019, 5, 23)


def test_last_change_label_when_nothing_else_dates_the_page() -> None:
    html = news_page(after="<p>Letzte Änderung: 14.01.2022 um 09:25</p>")
    assert article(html, UNDATED_URL).published == datetime(2022, 1, 14, 9, 25)
    html = news_page(after="<p>Download (last edited 2019-11-10 13:28:18 by Mats)</p>")
    assert article(html, UNDATED_URL).published == datetime(2019, 11, 10)


def test_a_published_label_outranks_a_last_change_label() -> None:
    html = news_page(after="<p>Last updated 2020-02-02</p><p>Posted on 2019-01-05</p>")
    assert article(html, UNDATED_URL).published == datetime(2019, 1, 5)


def test_forum_sign_up_date_is_not_the_post_date() -> None:
    line = "r23 Beiträge: 1626 Registriert: 18.09.2008, 05:56 Beitrag von r23 » 21.01.2009, 05:42"
    assert _day(_shown(line, "")) == date(2009, 1, 21)


def test_find_dates_lists_every_date_in_order() -> None:
    found = find_dates("From 3 March 2020 to 2020-04-07, then 12/24/2020 and 5. Mai 2021.")
    assert [v.day for v in found] == [
        date(2020, 3, 3),
        date(2020, 4, 7),
        date(2020, 12, 24),
        date(2021, 5, 5),
    ]


def test_month_names_and_abbreviations_are_read() -> None:
    assert _value(dates.find_date("le 7 juillet 2020")) == datetime(2020, 7, 7)
    assert _value(dates.find_date("Sept. 3, 2021")) == datetime(2021, 9, 3)


def test_the_day_shown_twice_outranks_a_json_ld_date_alone() -> None:
    """The date element and the date after the headline agree: JSON-LD alone gives way
    (`date_decision`, step 8); an explicit published <meta> does not."""
    line = "<time datetime='2021-06-01T08:00:00'>1 June 2021</time>"
    data = {"@type": "NewsArticle", "datePublished": "2019-03-04T09:00:00+01:00"}
    head = f"<script type='application/ld+json'>{json.dumps(data)}</script>"
    assert _shown(line, head) == datetime(2021, 6, 1)
    explicit = "<meta property='article:published_time' content='2019-03-04T09:00:00+01:00'>"
    found = _shown(line, explicit)
    assert found is not None and found.date() == date(2019, 3, 4)
