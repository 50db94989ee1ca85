"""Hostile input: huge lines, huge line counts, binary junk. Bounded time, no crash."""

from __future__ import annotations

import random
from functools import partial

import pytest

from bench.dumpmaker import html_to_dump
from extractor.model import Article, Document, Extraction, Rejection
from extractor.text import extract_text
from tests.helpers import timed

SENTENCE = "The council said that the new buses would run every ten minutes on the main road. "
BUDGET_S = 10.0


def timed_extraction(text: str) -> tuple[Extraction, float]:
    return timed(partial(extract_text, Document(url="u", body=text, is_html=False)))


def test_one_five_megabyte_line() -> None:
    text = SENTENCE * (5_000_000 // len(SENTENCE))
    result, seconds = timed_extraction(text)
    assert seconds < BUDGET_S
    assert isinstance(result, Article)
    assert len(result.text) == len(text.strip())


def test_a_million_empty_lines_around_an_article() -> None:
    paragraphs = [f"{n} {SENTENCE * 3}".strip() for n in ("One.", "Two.", "Three.")]
    result, seconds = timed_extraction("\n" * 500_000 + "\n\n".join(paragraphs) + "\n" * 500_000)
    assert seconds < BUDGET_S
    assert isinstance(result, Article)
    assert result.text == "\n\n".join(paragraphs)


def test_a_million_empty_lines_alone() -> None:
    result, seconds = timed_extraction("\n" * 1_000_000)
    assert seconds < BUDGET_S
    assert isinstance(result, Rejection)


def test_a_million_short_lines() -> None:
    result, seconds = timed_extraction("Home\nNews\n" * 500_000)
    assert seconds < BUDGET_S
    assert isinstance(result, Article | Rejection)  # only the first 20,000 lines are read
    assert not isinstance(result, Article) or len(result.text) < 20_000 * 6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binary_junk(seed: int) -> None:
    junk = random.Random(seed).randbytes(2_000_000).decode("latin-1")
    result, seconds = timed_extraction(junk)
    assert seconds < BUDGET_S
    assert isinstance(result, Article | Rejection)
    if isinstance(result, Article):
        assert "\x00" not in result.text


def test_control_characters_are_removed_from_the_article() -> None:
    body = "\n\n".join([f"\x00\x07{n} {SENTENCE * 3}" for n in ("One.", "Two.", "Three.")])
    result, _ = timed_extraction(body)
    assert isinstance(result, Article)
    assert "\x00" not in result.text and "\x07" not in result.text


def test_dump_maker_survives_deep_nesting() -> None:
    depth = 100_000
    html = "<body>" + "<span>" * depth + "deep text" + "</span>" * depth + "</body>"
    dump, seconds = timed(partial(html_to_dump, html))
    assert dump == "deep text"
    assert seconds < BUDGET_S


def test_dump_maker_survives_deeply_nested_blocks() -> None:
    depth = 100_000
    html = "<body>" + "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "</body>"
    dump, seconds = timed(partial(html_to_dump, html))
    assert dump == "deep text"
    assert seconds < BUDGET_S


def test_dump_maker_on_junk() -> None:
    junk = random.Random(7).randbytes(500_000).decode("latin-1")
    assert isinstance(html_to_dump(junk), str)


def test_dump_maker_with_many_unclosed_noscripts() -> None:
    html = "<body>" + "<noscript><p>x" * 50_000 + "<p>end</p></body>"
    dump, seconds = timed(partial(html_to_dump, html))
    assert isinstance(dump, str)
    assert seconds < BUDGET_S
