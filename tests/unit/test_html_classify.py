"""Article or not: home pages, listings, tag pages, error pages, paywall stubs, junk input."""

from __future__ import annotations

from extractor.model import NotArticle
from tests.unit.html_pages import article, news_page, page, run


def _teasers(count: int = 12) -> str:
    return "".join(
        f"<div class='teaser'><h2><a href='/story/{n}'>Story number {n} about the harbour</a></h2>"
        f"<p><a href='/story/{n}'>Read the full report on the council decision {n}</a></p></div>"
        for n in range(count)
    )


def _reason(html: str, url: str) -> str:
    result = run(html, url)
    assert isinstance(result, NotArticle), result
    return result.reason


def test_home_page_is_not_an_article() -> None:
    assert _reason(page(_teasers()), "https://news.example.com/") == "home_page"


def test_tag_page_is_a_listing() -> None:
    assert _reason(page(_teasers()), "https://news.example.com/tag/harbour/") == "listing"


def test_error_page() -> None:
    html = page("<h1>Page not found</h1><p>Sorry, this page does not exist.</p>", title="404")
    assert _reason(html, "https://news.example.com/missing") == "error_page"


def test_paywall_stub() -> None:
    body = (
        "<article><h1>Harbour wall to be rebuilt</h1><p>The council voted on Tuesday to rebuild "
        "the old harbour wall.</p><div class='paywall'><p>Subscribe now to continue reading."
        "</p></div></article>"
    )
    assert _reason(page(body), "https://news.example.com/harbour") == "paywall"


def test_empty_and_binary_input() -> None:
    assert _reason("", "https://x.example/") == "empty"
    junk = bytes(range(256)).decode("latin-1") * 40
    assert _reason(junk, "https://x.example/file") == "binary"
    assert _reason("just some words, no markup at all " * 10, "https://x.example/") == "not_html"


def test_short_page_without_article_signals() -> None:
    assert _reason(page("<p>Hello.</p>"), "https://x.example/about") in {"too_short", "no_text"}


def test_real_article_on_a_listing_like_url_is_kept() -> None:
    # Conservative: a long article is an article whatever its URL says.
    result = article(news_page(), url="https://news.example.com/category/local/harbour")
    assert result.text
