from __future__ import annotations

import pytest

from extractor.urls import article_id, choose_canonical, normalise_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/news/a-story/",
        "http://example.com/news/a-story",
        "https://EXAMPLE.com:443/news/a-story?utm_source=x&utm_medium=y",
        "https://example.com/news/a-story#comments",
        "https://example.com/news/a-story?fbclid=abc",
    ],
)
def test_trivial_url_variants_share_one_id(variant: str) -> None:
    assert article_id(variant) == article_id("https://example.com/news/a-story")


def test_different_articles_get_different_ids() -> None:
    assert article_id("https://example.com/news/a?id=1") != article_id(
        "https://example.com/news/a?id=2"
    )
    assert article_id("https://example.com/a") != article_id("https://example.org/a")


def test_query_order_does_not_matter() -> None:
    assert normalise_url("https://e.com/p?b=2&a=1") == normalise_url("https://e.com/p?a=1&b=2")


def test_a_canonical_pointing_home_is_ignored() -> None:
    assert (
        choose_canonical("https://e.com/2024/story", "https://e.com/") == "https://e.com/2024/story"
    )


def test_a_relative_canonical_is_resolved() -> None:
    assert choose_canonical("https://e.com/a/b?x=1", "/a/b") == "https://e.com/a/b"


def test_a_non_http_canonical_is_ignored() -> None:
    assert choose_canonical("https://e.com/a", "javascript:alert(1)") == "https://e.com/a"
