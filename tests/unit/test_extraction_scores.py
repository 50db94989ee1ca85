"""The extraction benchmark scores WCXB dev's body and metadata by the kit README's rules."""

from __future__ import annotations

from datetime import date

import pytest

from bench.extraction_pages import Page
from bench.extraction_scores import score_wcxb
from bench.extractors import Output


def _page(kind: str, content: str, **gold: str | None) -> Page:
    record = {"main_content": content, "type": kind, "title": None, "author": None, "date": None}
    return Page("wcxb", "k", "https://example.com/", "", {**record, **gold})


def test_word_f1_is_averaged_over_all_pages_and_per_type() -> None:
    pages = [_page("article", "one two"), _page("forum", "three four")]
    by_type, _ = score_wcxb(pages, [Output("one two"), Output("three")])
    assert by_type["article"] == 1.0
    assert by_type["forum"] == pytest.approx(2 / 3)
    assert by_type["all"] == pytest.approx((1 + 2 / 3) / 2)


def test_metadata_counts_only_the_pages_whose_gold_is_set() -> None:
    pages = [
        _page("article", "x", title="The Title!", author="Ann Lee and Bo Chen", date="2025-09-04"),
        _page("article", "x", title="Other", date="2025-09"),
        _page("article", "x"),
    ]
    outputs = [
        Output("x", "the  title", ["Bo Chen", "by Ann Lee"], date(2025, 9, 4)),
        Output("x", "Another", [], date(2025, 9, 30)),  # a month-only gold: the same month
        Output("x", "anything", ["Someone"], date(2020, 1, 1)),
    ]
    _, meta = score_wcxb(pages, outputs)
    assert (meta.meta_total["title"], meta.meta("title")) == (2, 0.5)
    assert (meta.meta_total["authors"], meta.meta("authors")) == (1, 1.0)
    assert (meta.meta_total["date"], meta.meta("date")) == (2, 1.0)
