from __future__ import annotations

import pytest

from extractor.urls import article_id, choose_canonical, normalise_url, same_site


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


CANONICAL = "https://example.com/news/a-story"


@pytest.mark.parametrize(
    "variant",
    [
        # tracking parameters, including AMP viewers' own
        "https://example.com/news/a-story?utm_campaign=z&gclid=1&amp_js_v=0.1&usqp=mq331AQ",
        # http/https, case of the host, a trailing dot, default ports
        "http://Example.COM./news/a-story",
        "http://example.com:80/news/a-story",
        # trailing slashes, index pages, fragments
        "https://example.com/news/a-story//",
        "https://example.com/news/a-story/index.html",
        "https://example.com/news/a-story/index.htm#top",
        # www., mobile hosts
        "https://m.example.com/news/a-story",
        "https://mobile.example.com/news/a-story",
        "https://www.m.example.com/news/a-story/",
        # AMP: host, path segment, suffix, file endings, query markers
        "https://amp.example.com/news/a-story",
        "https://example.com/amp/news/a-story",
        "https://example.com/news/amp/a-story",
        "https://example.com/news/a-story/amp",
        "https://example.com/news/a-story/amp/",
        "https://example.com/news/a-story.amp",
        "https://example.com/news/a-story?amp",
        "https://example.com/news/a-story?amp=1",
        "https://example.com/news/a-story?outputType=amp",
        "https://example.com/news/a-story?output=AMP",
        # Google's AMP cache and viewer
        "https://example-com.cdn.ampproject.org/c/s/example.com/news/a-story",
        "https://www-example-com.cdn.ampproject.org/v/s/www.example.com/news/a-story/amp/",
        "https://www.google.com/amp/s/example.com/news/a-story",
    ],
)
def test_url_variants_of_one_article_share_one_id(variant: str) -> None:
    assert article_id(variant) == article_id(CANONICAL)


def test_amp_html_ending_becomes_html() -> None:
    assert article_id("https://e.com/a/story.amp.html") == article_id("https://e.com/a/story.html")


def test_query_order_and_case_of_host_give_one_form() -> None:
    assert normalise_url("HTTPS://WWW.E.com/P?b=2&a=1#x") == "https://e.com/P?a=1&b=2"


def test_the_path_keeps_its_case_and_meaningful_parameters() -> None:
    assert article_id("https://e.com/A") != article_id("https://e.com/a")
    assert article_id("https://e.com/a?outputType=xml") != article_id("https://e.com/a")
    assert article_id("https://e.com/a?page=2") != article_id("https://e.com/a")


def test_host_prefixes_are_kept_when_nothing_registrable_would_remain() -> None:
    assert normalise_url("https://amp.dev/x") == "https://amp.dev/x"
    assert normalise_url("https://m.com/x") == "https://m.com/x"


def test_a_word_containing_amp_is_not_an_amp_marker() -> None:
    assert article_id("https://e.com/news/ample-story") != article_id("https://e.com/news/story")
    assert article_id("https://e.com/champ/story") != article_id("https://e.com/story")


def test_explicit_ports_other_than_the_default_are_kept() -> None:
    assert normalise_url("https://e.com:8443/a") == "https://e.com:8443/a"
    assert normalise_url("https://e.com:notaport/a") == "https://e.com/a"


def test_an_amp_page_and_the_page_linking_it_as_amphtml_share_one_id() -> None:
    # The canonical page links its AMP version with rel=amphtml; the AMP page declares
    # the canonical one. Whichever is fetched, the id is the same.
    page, amphtml = "https://www.example.com/news/a-story", "https://amp.example.com/news/a-story"
    from_amp_page = choose_canonical(amphtml, page)
    assert from_amp_page == page
    assert article_id(from_amp_page) == article_id(choose_canonical(page, None))
    assert article_id(choose_canonical(amphtml, None)) == article_id(page)


def test_an_amp_cache_page_declaring_its_canonical_keeps_it() -> None:
    cached = "https://example-com.cdn.ampproject.org/c/s/example.com/news/a-story/amp"
    assert choose_canonical(cached, CANONICAL) == CANONICAL


def test_a_canonical_on_the_same_site_is_preferred() -> None:
    fetched = "https://m.example.com/news/a-story?from=home"
    assert choose_canonical(fetched, "https://www.example.com/news/a-story") == (
        "https://www.example.com/news/a-story"
    )
    assert choose_canonical("https://edition.example.com/2024/x", "https://example.com/x") == (
        "https://example.com/x"
    )


def test_a_canonical_on_another_site_is_not_taken() -> None:
    # A syndicated copy crediting the original keeps its own id; the index groups them.
    copy = "https://paper.example.org/wire/a-story"
    assert choose_canonical(copy, "https://wire.example.com/a-story") == copy
    assert choose_canonical("https://a.example.com/x", "https://b.example.com/x") == (
        "https://a.example.com/x"
    )


def test_same_site() -> None:
    assert same_site("www.example.com", "amp.example.com")
    assert same_site("news.example.com", "example.com")
    assert not same_site("example.com", "badexample.com")
    assert not same_site("", "example.com")
