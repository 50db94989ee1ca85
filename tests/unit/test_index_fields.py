"""What an article is indexed under, and snippet HTML: pure functions, no index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import stemmer_for
from indexer.fields import clamp, indexed, version_key
from indexer.snippets import highlight, lead, near, typo_distance
from shared.events import PageExtracted
from tests.factories import article


def test_indexed_values() -> None:
    item = indexed(
        article("x", site="www.News.example", language="de-AT", authors=["Jane  Doe", "jane doe"],
                published=datetime(2024, 2, 29, 23, 0, tzinfo=timezone(timedelta(hours=-2))))
    )  # fmt: skip
    assert (item.site, item.language, item.analysis) == ("news.example", "de", "de")
    assert item.author_names == ("Jane Doe", "jane doe")
    assert item.author_keys == ("jane doe",)
    assert item.month == "2024-03"  # 23:00 at UTC-2 is March 1st in UTC
    assert item.sort_date == datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
    assert PageExtracted.model_validate_json(item.stored).id == "x"


def test_stemmer_for() -> None:
    assert stemmer_for(None) == "english"
    assert stemmer_for("nb") == stemmer_for("no") == "norwegian"
    assert stemmer_for("ja") is None


def test_sort_date_falls_back_to_fetch_then_extraction() -> None:
    assert indexed(article(fetched_minutes=5)).sort_date == article(fetched_minutes=5).fetched_at
    unfetched = article(fetched_minutes=None)
    assert indexed(unfetched).sort_date == unfetched.extracted_at


def test_version_orders_fetch_before_extraction() -> None:
    assert version_key(article(fetched_minutes=2, extracted_minutes=0)) > version_key(
        article(fetched_minutes=1, extracted_minutes=9)
    )
    assert version_key(article(extracted_minutes=3)) > version_key(article(extracted_minutes=2))


def test_clamp_keeps_dates_in_range_and_in_utc() -> None:
    assert clamp(datetime(1, 1, 1)).year == 1677
    assert clamp(datetime(9999, 1, 1, tzinfo=UTC)).year == 2262
    assert clamp(datetime(2024, 1, 1, 12)) == datetime(2024, 1, 1, 12, tzinfo=UTC)


def test_highlight_escapes_and_marks_byte_spans() -> None:
    fragment = "café <b>crème</b> & tea"
    start = len("café <b>".encode())
    end = start + len("crème".encode())
    assert highlight(fragment, [(start, end)], cut=False) == (
        "café &lt;b&gt;<mark>crème</mark>&lt;/b&gt; &amp; tea"
    )


def test_highlight_skips_overlapping_and_empty_spans() -> None:
    assert highlight("abc def", [(0, 3), (1, 2), (4, 4), (4, 7)], cut=True) == (
        "… <mark>abc</mark> <mark>def</mark>"
    )


def test_lead_cuts_at_a_word_and_escapes() -> None:
    assert lead("<p>one two three</p>", max_chars=12) == "&lt;p&gt;one two …"
    assert lead("  short\n text ") == "short text"


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(0, 250), st.integers(0, 250))))
def test_highlight_output_has_no_raw_markup(text: str, spans: list[tuple[int, int]]) -> None:
    html = highlight(text, spans, cut=False)
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


def osa(a: str, b: str) -> int:
    """Reference: optimal string alignment distance, the textbook table."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_near() -> None:
    assert near("glaciers", "glaciars", 1)
    assert near("form", "from", 1)  # a swap is one edit
    assert not near("tea", "coffee", 2)
    assert typo_distance("glacier") == 1 and typo_distance("glaciers") == 2


@given(st.text("abc", max_size=7), st.text("abc", max_size=7), st.integers(0, 3))
def test_near_agrees_with_the_reference(a: str, b: str, limit: int) -> None:
    assert near(a, b, limit) == (osa(a, b) <= limit)


def test_recency_boost_halves_with_each_half_life() -> None:
    from indexer.fields import recency_boost

    day = 86_400
    assert recency_boost(0, 30) == 2.0
    assert recency_boost(30 * day, 30) == 1.5
    assert recency_boost(60 * day, 30) == 1.25
    assert 1.0 <= recency_boost(3650 * day, 30) < 1.0001
    assert recency_boost(-5 * day, 30) == 2.0  # a date in the future counts as now
