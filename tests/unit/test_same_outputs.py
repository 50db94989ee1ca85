"""bench.same_outputs: what it records of a page, and that it names what changed."""

from __future__ import annotations

from bench.same_outputs import compare, page_record
from extractor.html import main_blocks
from tests.unit.html_pages import PARAGRAPHS, article_body, page

URL = "https://news.example.org/2024/05/harbour-wall"


def _page(paragraphs: list[str]) -> str:
    return page(f"<nav><a href='/'>Home</a></nav><article>{article_body(paragraphs)}</article>")


def test_a_page_record_holds_the_result_and_every_model_input() -> None:
    record = page_record(_page(PARAGRAPHS), URL)
    assert "harbour wall" in record["result"]
    assert {"block_features", "containers", "probabilities", "type_row", "signature"} <= set(record)
    # the model's methods are restored once the page is recorded
    assert main_blocks.BlocksModel.probabilities.__name__ == "probabilities"


def test_the_same_page_twice_shows_no_difference() -> None:
    html = _page(PARAGRAPHS)
    assert compare({"a": page_record(html, URL)}, {"a": page_record(html, URL)}) == []


def test_a_changed_page_is_named_with_the_fields_that_differ() -> None:
    before = {"a": page_record(_page(PARAGRAPHS), URL), "gone": {}}
    after = {"a": page_record(_page(PARAGRAPHS[:3]), URL)}
    found = compare(before, after)
    assert "a: result" in found
    assert "a: block_features" in found
    assert "gone: only before" in found
