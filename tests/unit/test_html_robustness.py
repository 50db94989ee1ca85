"""Hostile input: deep nesting, huge pages, malformed markup, binary junk. Never a crash,
never a RecursionError, always within bounded time."""

from __future__ import annotations

import time

import pytest

from extractor.html import dom
from extractor.model import Article, NotArticle
from tests.unit.html_pages import PARAGRAPHS, article_body, page, run


@pytest.mark.parametrize("tag", ["div", "span", "section", "b", "table", "li"])
def test_hundred_thousand_deep_nesting(tag: str) -> None:
    depth = 100_000
    html = page(f"<{tag}>" * depth + article_body() + f"</{tag}>" * depth)
    start = time.perf_counter()
    result = run(html)
    assert time.perf_counter() - start < 15
    assert isinstance(result, Article | NotArticle)


def test_deep_nesting_keeps_the_text() -> None:
    html = page("<div>" * 20_000 + article_body() + "</div>" * 20_000)
    result = run(html)
    assert isinstance(result, Article)
    assert PARAGRAPHS[0] in result.text


def test_block_nesting_is_flattened_before_parsing() -> None:
    html = "<div>" * (dom.MAX_BLOCK_DEPTH + 500) + "x" + "</div>" * (dom.MAX_BLOCK_DEPTH + 500)
    prepared = dom.prepare(html)
    assert prepared.count("<div") == dom.MAX_BLOCK_DEPTH
    assert prepared.count("<span") == 500


def test_fifty_megabyte_page() -> None:
    filler = "<p>" + "filler words in a very long page " * 30 + "</p>"
    html = page(article_body() + filler * (50_000_000 // len(filler)))
    start = time.perf_counter()
    result = run(html)
    assert time.perf_counter() - start < 60
    assert isinstance(result, Article | NotArticle)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>unclosed <b>bold <i>italic <div>mixed</p></b>",
        "<<<>>><><!-- unterminated comment",
        "<table><tr><td><table><tr><td>" * 500,
        "<p>" + "&#xD800;&#0;&amp;&bogus;" * 100,
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>",
        '<script type="application/ld+json">{"@type": "Article", "author": ' * 50 + "</script>",
        "\x00\x01\x02<html>\ufffd\ufffd" * 1000,
    ],
)
def test_malformed_markup_never_raises(html: str) -> None:
    assert isinstance(run(html), Article | NotArticle)


def test_node_budget_truncates_instead_of_exhausting_memory() -> None:
    html = "<body>" + "<span>a</span>" * (dom.MAX_NODES + 10) + "</body>"
    tree = dom.flatten(dom.parse(html).body)
    assert tree.truncated
    assert len(tree) <= dom.MAX_NODES


def test_an_engine_bug_becomes_a_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.html import body

    def broken(tree: dom.Tree) -> list[object]:
        raise ValueError("boom")

    monkeypatch.setattr(body, "extract_blocks", broken)
    result = run(page(article_body()))
    assert isinstance(result, NotArticle)
    assert result.reason == "engine_error"
