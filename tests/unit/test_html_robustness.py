"""Hostile input: deep nesting, huge pages, malformed markup, binary junk. Never a crash,
never a RecursionError, always within bounded time. The engine is called directly: an
exception fails the test."""

from __future__ import annotations

import time

import pytest

from extractor.html import dom
from extractor.html.attribute_limit import MAX_ATTRS
from extractor.model import Article, Rejection
from tests.unit.html_pages import PARAGRAPHS, article_body, page, run


@pytest.mark.parametrize("tag", ["div", "span", "section", "b", "table", "li"])
def test_hundred_thousand_deep_nesting(tag: str) -> None:
    depth = 100_000
    html = page(f"<{tag}>" * depth + article_body() + f"</{tag}>" * depth)
    start = time.perf_counter()
    result = run(html)
    assert time.perf_counter() - start < 15
    assert isinstance(result, Article | Rejection)


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
    assert isinstance(result, Article | Rejection)


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
    assert isinstance(run(html), Article | Rejection)


def test_node_budget_truncates_instead_of_exhausting_memory() -> None:
    html = "<body>" + "<span>a</span>" * (dom.MAX_NODES + 10) + "</body>"
    tree = dom.flatten(dom.parse(html).body)
    assert tree.truncated
    assert len(tree) <= dom.MAX_NODES


# -- the attribute limit (`attribute_limit`): Lexbor is quadratic in one tag's attributes --

CROWDED = 30_000  # unguarded, Lexbor takes about 2 s on any of these; guarded, milliseconds


def _names(count: int) -> list[str]:
    return [f"a{i}" for i in range(count)]


CROWDED_FORMS = {
    "spaces": " ".join(_names(CROWDED)),
    "slashes": "/".join(_names(CROWDED)),
    "lt_in_names": " ".join(f"{name}<" for name in _names(CROWDED)),
    "lt_starting_names": " ".join(f"<{name}" for name in _names(CROWDED)),
    "quoted_without_spaces": "".join(f'{name}=""' for name in _names(CROWDED)),
    "single_quoted_without_spaces": "".join(f"{name}='>'" for name in _names(CROWDED)),
    "unquoted": " ".join(f"{name}=x" for name in _names(CROWDED)),
}


@pytest.mark.parametrize("form", CROWDED_FORMS)
def test_a_crowded_start_tag_keeps_its_first_attributes(form: str) -> None:
    html = f"<p>before</p><div {CROWDED_FORMS[form]}>inside</div><p>after</p>"
    start = time.perf_counter()
    tree = dom.parse(html)
    assert time.perf_counter() - start < 1.0
    node = tree.css_first("div")
    assert node is not None and len(node.attributes) == MAX_ATTRS
    assert node.text() == "inside"
    assert tree.body is not None and tree.body.text() == "beforeinsideafter"


@pytest.mark.parametrize(
    "wrapper",
    [
        "<script>var s = '{}';</script>",
        '<script type="application/ld+json">{{"a": "{}"}}</script>',
        "<script><!--<script>{}</script>--></script>",
        "<style>{}</style>",
        "<title>{}</title>",
        "<textarea>{}</textarea>",
        "<!--{}-->",
        '<p title="{}">',
    ],
)
def test_a_crowded_tag_in_text_or_raw_text_is_left_alone(wrapper: str) -> None:
    """Only real start tags are trimmed: the same text in a script, a style, a comment or an
    attribute value is not a tag, and the page comes out byte for byte."""
    crowded = "<div " + " ".join(_names(MAX_ATTRS + 100)) + ">"
    html = "<html><body>" + wrapper.format(crowded) + "<p>text</p></body></html>"
    assert dom.prepare(html) == html


def test_a_crowded_tag_after_a_script_is_trimmed() -> None:
    crowded = "<div " + " ".join(_names(MAX_ATTRS + 100)) + ">x</div>"
    html = "<script>if (a < b) { c = '</scr' + 'ipt>'; }</script>" + crowded
    prepared = dom.prepare(html)
    assert prepared.startswith("<script>if (a < b) { c = '</scr' + 'ipt>'; }</script><div a0 ")
    node = dom.parse(html).css_first("div")
    assert node is not None and len(node.attributes) == MAX_ATTRS


@pytest.mark.parametrize(
    "context",
    [
        "<svg><style>{}</style></svg>",  # markup inside SVG
        "<svg><p>{}",  # <p> leaves SVG
        "<math><mi>x</mi><mtext>{}</mtext></math>",
        "<svg><foreignObject><div>{}</div></foreignObject></svg>",  # HTML inside SVG
        "<frameset><script>{}</script>",
    ],
)
def test_crowded_tags_in_svg_and_mathml_are_trimmed(context: str) -> None:
    html = context.format("<x " + " ".join(_names(CROWDED)) + ">")
    start = time.perf_counter()
    tree = dom.parse(html)
    assert time.perf_counter() - start < 1.0
    assert tree.root is not None
    assert all(len(node.attributes) <= MAX_ATTRS for node in tree.root.traverse())


def test_pages_without_a_crowded_tag_are_unchanged() -> None:
    html = (
        '<!DOCTYPE html><html><head><title>a < b</title><script>x = "<div a b c>";</script>'
        "<style>p > a { color: red }</style></head><body><svg><title>Logo</title>"
        '<path d="M0 0"/><g><path></path></g></svg><math><mi>x</mi></math>'
        '<p class="x" data-a=\'{"b": "<c>"}\' hidden>' + " ".join(_names(MAX_ATTRS))
        + "</p><img src=a.png alt=\"a > b\" class=x><![CDATA[ x ]]></body></html>"
    )  # fmt: skip
    assert dom.prepare(html) == html
