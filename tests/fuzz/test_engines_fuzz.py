"""Both extraction engines under fuzzing: generated tag soup, HTML bombs, pathological dumps.

Generated input goes to the engine itself (`engine`: an exception fails the test with its
traceback) and then through `extract_page` (`run`: decoding, limits, the engine, the event),
whose outcome `contract.check` checks (never the safety net's `engine_error`). Each call is
timed. The bombs are the known nasty cases, run every time, through `extract_page` (its limits
are part of the defence); Hypothesis generates the rest.
"""

from __future__ import annotations

import logging
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from extractor.html import dom, extract_html
from extractor.html.attribute_limit import MAX_ATTRS
from extractor.model import Article, Document, Rejection
from extractor.text import extract_text
from shared.events import PageExtracted, PageFetched, PageRejected
from tests.fuzz.contract import MAX_RSS_MB, check, handle_page, in_time, rss_mb
from tests.fuzz.profiles import LONG, fuzz

URL = "https://example.com/news/2024/05/01/harbour-wall"
SENTENCE = "The council said that the new buses would run every ten minutes on the main road. "
PARAGRAPH = (
    "<p>The council voted on Tuesday to rebuild the old harbour wall, a project that has been "
    "discussed for more than a decade and that residents say is long overdue.</p>"
)
ARTICLE = f"<article><h1>Harbour wall</h1>{PARAGRAPH * 6}</article>"
MB = 1_000_000


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """The engines log every rejection at INFO; thousands of them only slow the suite down."""
    logging.disable(logging.INFO)
    yield
    logging.disable(logging.NOTSET)


def run(content: str, content_type: str = "text/html", url: str = URL) -> object:
    page = PageFetched(url=url, content=content, content_type=content_type)
    return check(in_time(lambda: handle_page(page), len(content)))


def engine(content: str, is_html: bool = True, url: str = URL) -> Article | Rejection:
    """The HTML or the text engine itself, with no safety net: a bug raises."""
    doc = Document(url=url, body=content, is_html=is_html)
    extract = extract_html if is_html else extract_text
    result = in_time(lambda: extract(doc), len(content))
    assert isinstance(result, Article | Rejection), result
    return result


# -- generated HTML ---------------------------------------------------------------------------

TAGS = ["div", "p", "span", "a", "b", "table", "tr", "td", "li", "ul", "script", "style",
        "noscript", "article", "main", "h1", "title", "meta", "svg", "template", "iframe",
        "pre", "code", "br", "img", "x-custom", "math", "select", "form"]  # fmt: skip
ATTR_NAMES = ["class", "id", "href", "src", "style", "hidden", "itemprop", "content", "rel",
              "property", "name", "type", "datetime", "onerror", "data-x", "lang"]  # fmt: skip
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    [SENTENCE, "&amp;&#0;&#xD800;&bogus;", "<!--", "-->", "<![CDATA[", "]]>", "</", "<",
     '{"@type": "NewsArticle", "headline": "x", "author": [[[', "\x00\ufffd\u202e\u200b"]
)  # fmt: skip
attrs = st.lists(
    st.tuples(st.sampled_from(ATTR_NAMES) | st.text(max_size=8), texts), max_size=4
).map(lambda pairs: "".join(f' {n}="{v}"' if i % 2 else f" {n}={v}" for i, (n, v) in
                            enumerate(pairs)))  # fmt: skip


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, close: (
            f"<{tag}{attributes}>{''.join(inner)}" + (f"</{tag}>" if close else "")
        ),
        st.sampled_from(TAGS),
        attrs,
        st.lists(children, max_size=5),
        st.booleans(),
    )


tag_soup = st.recursive(texts, element, max_leaves=40)
pages = st.builds(
    lambda head, body, article: f"<html><head>{head}</head><body>{body}{article}</body></html>",
    tag_soup,
    tag_soup,
    st.sampled_from(["", ARTICLE]),
)


@fuzz(120)
@given(pages | tag_soup)
@example("")
@example("<")
@example("<html><body></body></html>")
@example(PARAGRAPH.replace("<p>", "<p " + " ".join(f"a{i}" for i in range(5000)) + ">"))
@example('<link rel="canonical" href="http://[oops">' + ARTICLE)
@example('<meta property="og:image" content="http://a:99999999/x">' + ARTICLE)
@example('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":1e999,'
         '"author":{"name":{"name":[]}},"headline":null}</script>' + ARTICLE)  # fmt: skip
@example("<table>" * 3000 + ARTICLE)
@example("<svg>" + "<g>" * 5000 + ARTICLE)
def test_generated_html(html: str) -> None:
    engine(html)
    run(html)


@fuzz(40)
@given(st.binary(max_size=4000).map(lambda b: b.decode("latin-1")))
def test_binary_junk_as_html_and_as_text(junk: str) -> None:
    engine(junk)
    engine(junk, is_html=False)
    run(junk)
    run(junk, "text/plain")


HOSTILE_URLS = ["http://[::1]:b/x", "http://a:b/", "x", "javascript:alert(1)",
                "https://e.com/" + "a" * 8000, "https://e.com/2024/13/45/x"]  # fmt: skip


@fuzz(60)
@given(pages, st.sampled_from(HOSTILE_URLS))
def test_hostile_urls(html: str, url: str) -> None:
    engine(html + ARTICLE, url=url)
    run(html + ARTICLE, url=url)
    # "http://a:b/" was a ValueError out of extract_page (normalise_url): retried, then lost
    assert isinstance(run(SENTENCE * 40, "text/plain", url=url), PageExtracted)


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="canonical" href="http://[oops">',
        '<meta property="og:image" content="http://[oops">',
        '<script type="application/ld+json">{"@type": "NewsArticle", "url": "http://[x",'
        ' "image": "http://[y"}</script>',
    ],
)
def test_a_broken_url_in_the_metadata_does_not_lose_the_article(head: str) -> None:
    html = f"<html><head>{head}<title>Harbour wall</title></head><body>{ARTICLE}</body></html>"
    assert isinstance(engine(html), Article)
    outcome = run(html)
    assert isinstance(outcome, PageExtracted), outcome
    assert outcome.canonical_url == URL


# -- HTML bombs ---------------------------------------------------------------------------


def nested(tag: str, depth: int, inner: str = ARTICLE) -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


HTML_BOMBS = {
    "nesting_100k_divs": lambda: nested("div", 100_000),
    "nesting_100k_spans_unclosed": lambda: "<span>" * 100_000 + ARTICLE,
    "nesting_100k_mixed": lambda: "<div><span><b><ul><li>" * 20_000 + ARTICLE,
    "elements_1m": lambda: "<body>" + "<br>" * 1_000_000 + ARTICLE,
    "attribute_10mb": lambda: '<div title="' + "x" * 10 * MB + '">' + ARTICLE,
    "attribute_10mb_unclosed": lambda: '<div title="' + "x" * 10 * MB + ARTICLE,
    "attributes_500k_in_one_tag": lambda: (
        "<div " + " ".join(f"a{i}" for i in range(500_000)) + ">" + ARTICLE
    ),
    "attributes_1000_in_each_of_2000_tags": lambda: (
        ("<i " + " ".join(f"a{i}" for i in range(1000)) + ">x</i>") * 2000 + ARTICLE
    ),
    # names with "<" and quoted values with no space after them were missed by the first guard
    "attributes_500k_lt_names_in_one_tag": lambda: (
        "<div " + " ".join(f"a{i}<" for i in range(500_000)) + ">" + ARTICLE
    ),
    "attributes_500k_quoted_without_spaces_in_one_tag": lambda: (
        "<div " + "".join(f'a{i}=""' for i in range(500_000)) + ">" + ARTICLE
    ),
    "attributes_crowded_in_svg_style": lambda: (
        "<svg><style><x " + " ".join(f"a{i}" for i in range(300_000)) + "></style></svg>" + ARTICLE
    ),
    # costly for a guard that looks for crowded tags from every "<" (quadratic)
    "tag_names_4mb_without_spaces": lambda: "<a" * 2_000_000 + ARTICLE,
    "svg_500k_deep": lambda: "<svg>" + "<g>" * 500_000 + ARTICLE,
    "comment_10mb": lambda: "<!--" + "-" * 10 * MB + ARTICLE,
    "entities_3m": lambda: "<p>" + "&amp;&#x1F600;&lt;" * 500_000 + ARTICLE,
    "jsonld_deep": lambda: (
        '<script type="application/ld+json">' + "[" * 2 * MB + "</script>" + ARTICLE
    ),
    "jsonld_many": lambda: (
        ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x"}</script>')
        * 50_000
        + ARTICLE
    ),
    "lt_in_attribute": lambda: '<p title="' + "<a " * 2_000_000 + '">x</p>' + ARTICLE,
    "tables_10k_deep": lambda: "<table><tr><td>" * 10_000 + ARTICLE,
}
if LONG:  # 10-15 s each on a loaded machine: too slow for every run
    HTML_BOMBS["elements_1m_with_text"] = lambda: "<body>" + "<i>a</i>" * 1_000_000 + ARTICLE
    HTML_BOMBS["paragraphs_50k"] = lambda: PARAGRAPH * 50_000


@pytest.mark.parametrize("name", HTML_BOMBS)
def test_html_bomb(name: str) -> None:
    html = HTML_BOMBS[name]()
    assert len(html) <= 10_500_000
    outcome = run(html)
    del html
    assert rss_mb() < MAX_RSS_MB, f"{rss_mb():.0f} MB resident after {name}"
    if name.startswith(("nesting", "attributes")):  # the article is still found
        assert not isinstance(outcome, PageRejected), outcome


def test_html_bomb_memory_is_bounded() -> None:
    """Python-side memory of the engine on a 10 MB attribute stays within a few times it."""
    html = HTML_BOMBS["attribute_10mb"]()
    tracemalloc.start()
    try:
        engine(html)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(html), f"peak {peak / MB:.0f} MB for a {len(html) / MB:.0f} MB page"


def test_crowded_tags_are_trimmed_before_parsing() -> None:
    """Lexbor is quadratic in one tag's attributes: 32 000 took 15 s before they were cut."""
    html = "<div " + " ".join(f"a{i}=1" for i in range(MAX_ATTRS + 50)) + ">x</div>"
    node = dom.parse(html).css_first("div")
    assert node is not None
    assert len(node.attributes) == MAX_ATTRS
    real = '<img src="a.png" alt="a > b" data-json=\'{"a": "<b>"}\' class="x">'
    assert dom.prepare(real) == real


def crowded(kind: int) -> str:
    names = [f"c{i}" for i in range(MAX_ATTRS + 30)]
    sep = [" ", "/", "< ", '="" ', "=''"][kind]
    return "<x " + sep.join(names) + ">"


GUARD_PIECES = ["<script>", "</script>", "<style>", "</style>", "<title>", "</title>",
                "<textarea>", "</textarea>", "<svg>", "</svg>", "<math>", "</math>", "<mi>",
                "</mi>", "<foreignObject>", "</foreignObject>", "<g>", "</g>", "<path/>", "<p>",
                "</p>", "<div>", "</div>", "<font>", "<!--", "-->", "<!-->", "<![CDATA[", "]]>",
                "<select>", "<table>", "<frameset>", "<frame>", "<xmp>", "</xmp>", "<iframe>",
                "<noscript>", "<template>", "<plaintext>", '"', "'", "=", '<a b="', '">', "<",
                ">", "/", " ", "x", "<br/>", "<script><!--<script>", "</SCRIPT >", "<Svg>",
                "<svg><title>", "<svg><style>", "<math><mi>", "<desc>", "</desc>"]  # fmt: skip
guarded_pages = st.lists(
    st.sampled_from(GUARD_PIECES) | st.integers(0, 4).map(crowded), min_size=1, max_size=25
).map("".join)


@fuzz(150)
@given(guarded_pages)
def test_no_element_gets_over_max_attrs(html: str) -> None:
    """Whatever the context (raw text, comments, SVG, MathML, HTML inside them, broken markup),
    no element Lexbor builds has more than MAX_ATTRS attributes, and a page with no crowded tag
    is passed on as it is."""
    prepared = dom.prepare(html)
    tree = LexborHTMLParser(prepared)
    assert tree.root is not None
    assert max(len(node.attributes) for node in tree.root.traverse()) <= MAX_ATTRS
    if "<x " not in html:
        assert prepared == html


# -- text dumps ---------------------------------------------------------------------------

RTL = "مرحبا بالعالم، هذه مقالة طويلة عن الميناء."
LINES = [SENTENCE, "", " ", "Home", "News | Sport | Weather", "!!!???...,,,;;;", "—" * 80, RTL,
         "\u202eevil\u202c", "\u200b\u200c\u200d\ufeff", "\x00\x00", "\t\t\t",
         "Share on Facebook", "By Jane Doe", "1 May 2024", "\r", "\x0c", "a" * 5000, "😀" * 100,
         "ǅ" * 10]  # fmt: skip
dumps = st.lists(st.sampled_from(LINES) | st.text(max_size=120), max_size=200).map("\n".join)


@fuzz(120)
@given(dumps)
@example("")
@example("\n" * 10_000)
@example("\x00" * 10_000)
@example("\u200b" * 10_000)
@example((SENTENCE * 3 + "\n\n") * 20)
def test_generated_text_dumps(text: str) -> None:
    engine(text, is_html=False)
    run(text, "text/plain")


TEXT_BOMBS = {
    "one_10mb_line": lambda: SENTENCE * (10 * MB // len(SENTENCE)),
    "one_10mb_word": lambda: "a" * 10 * MB,
    "two_million_short_lines": lambda: "Home\nNews\n" * 1_000_000,
    "three_million_empty_lines": lambda: "\n" * 3_000_000 + SENTENCE * 40,
    "only_punctuation": lambda: "!?.,;:-–—()[]{}" * 600_000,
    "right_to_left": lambda: "\u202bمرحبا بالعالم، هذه مقالة طويلة عن الميناء.\u202c\n" * 150_000,
    "zero_width": lambda: ("\u200b\u200c\u200d\ufeff\u2060" * 20 + "\n") * 90_000,
    "nuls": lambda: "\x00" * 9 * MB,
    "nuls_between_words": lambda: (SENTENCE.replace(" ", "\x00") + "\n") * 100_000,
    "carriage_returns": lambda: (SENTENCE + "\r") * 100_000,
    "combining_marks": lambda: "a" + "\u0301" * 5 * MB,
    "surrogates_as_escapes": lambda: "\\ud800 " * MB,
}


@pytest.mark.parametrize("name", TEXT_BOMBS)
def test_text_bomb(name: str) -> None:
    text = TEXT_BOMBS[name]()
    assert len(text) <= 10 * MB
    outcome = run(text, "text/plain")
    del text
    assert rss_mb() < MAX_RSS_MB, f"{rss_mb():.0f} MB resident after {name}"
    if name in ("one_10mb_line", "three_million_empty_lines"):
        assert not isinstance(outcome, PageRejected), outcome


@pytest.mark.parametrize("name", ["two_million_short_lines", "only_punctuation", "nuls"])
def test_text_engine_directly(name: str) -> None:
    """The engine itself (no service limits in front): never raises, bounded time."""
    engine(TEXT_BOMBS[name](), is_html=False)
