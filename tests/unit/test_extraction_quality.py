"""The extraction-quality estimate: what it reads of a decision, the shipped model's bounds,
that it trusts a clean article more than a doubtful page, and when there is none."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from extractor.class_trees import ModelFormatError
from extractor.core import extract_page
from extractor.html import extract_html
from extractor.html.blocks import Block
from extractor.html.extraction_quality import (
    FEATURES,
    MODEL_PATH,
    SHIPPED,
    Evidence,
    features,
    from_dict,
)
from extractor.html.main_blocks import MODEL_PATH as BLOCKS_PATH
from extractor.html.main_blocks import SHIPPED as BLOCKS
from extractor.html.main_blocks import Choice
from extractor.html.page_metadata import Metadata
from extractor.model import Article, Document
from shared.events import PageExtracted, PageFetched, PageType
from tests.factories import article_page
from tests.unit.html_pages import PARAGRAPHS, news_page, page

_COL = {name: i for i, name in enumerate(FEATURES)}
URL = "https://news.example.com/2024/03/05/harbour-wall"


def _quality(html: str, url: str = URL) -> float:
    result = extract_html(Document(url=url, body=html), chooser=BLOCKS, quality=SHIPPED)
    assert isinstance(result, Article), result
    assert result.extraction_quality is not None
    return result.extraction_quality


def _evidence(scores: list[float], kept: list[int]) -> Evidence:
    candidates = [Block(f"block {i} " + "word " * 20, "p", i) for i in range(len(scores))]
    body = [candidates[i] for i in kept]
    choice = Choice(body, candidates, np.array(scores), 0.5)
    types: dict[PageType, float] = {"article": 0.75, "forum": 0.25}
    return Evidence(choice, candidates[:1], body, types, Metadata(title="A"), 10_000)


def test_the_features_read_how_sure_the_model_was_and_where_its_blocks_lie() -> None:
    row = features(_evidence([0.9, 0.1, 0.55, 0.2], kept=[0, 2]))
    assert len(row) == len(FEATURES)
    assert row[_COL["kept_log"]] == pytest.approx(math.log1p(2))
    assert row[_COL["kept_runs_log"]] == pytest.approx(math.log1p(2))  # one block between
    assert row[_COL["gap_words_share"]] == pytest.approx(0.5)
    assert row[_COL["kept_score_min"]] == pytest.approx(0.05)
    assert row[_COL["near_threshold_words"]] == pytest.approx(0.25)
    assert row[_COL["rules_precision"]] == pytest.approx(0.5)
    assert row[_COL["rules_recall"]] == pytest.approx(1.0)
    assert row[_COL["type_max"]] == 0.75 and row[_COL["type_article"]] == 0.75
    assert row[_COL["fell_back"]] == 0.0
    together = features(_evidence([0.9, 0.8, 0.1, 0.2], kept=[0, 1]))
    assert together[_COL["kept_runs_log"]] == pytest.approx(math.log1p(1))
    assert together[_COL["gap_words_share"]] == 0.0


def test_a_decision_that_kept_nothing_says_so() -> None:
    row = features(_evidence([0.1, 0.2], kept=[]))
    assert row[_COL["fell_back"]] == 1.0 and row[_COL["kept_score_min"]] == -1.0


@pytest.mark.parametrize(
    "html",
    [
        news_page(),
        article_page("Harbour gauge returns", ["The tide gauge is back. " * 30] * 6),
        page(f"<main>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[:2])}</main>"),
        news_page(
            after="<aside>" + "<a href='/x'>Read more about the harbour</a>" * 20 + "</aside>"
        ),
    ],
)
def test_the_estimate_is_a_two_decimal_share(html: str) -> None:
    q = _quality(html)
    assert 0.0 <= q <= 1.0 and round(q, 2) == q


def test_a_clean_article_is_trusted_more_than_a_page_whose_body_is_doubtful() -> None:
    # The same paragraphs, once as an article, once as teasers in a list of links beside
    # as many link lists: a listing page, where what the main content is is unclear.
    teasers = "".join(
        f"<li><a href='/2024/{i}'>{p[:60]}</a> <span>{p[60:120]}</span></li>"
        for i, p in enumerate(PARAGRAPHS * 3)
    )
    menus = "".join(
        f"<ul class='menu'>{''.join(f'<li><a href=/s/{j}>Section {j}</a></li>' for j in range(8))}"
        "</ul>"
        for _ in range(3)
    )
    listing = page(f"{menus}<ul>{teasers}</ul>{menus}", title="Harbour news")
    assert _quality(news_page()) > _quality(listing, "https://news.example.com/harbour/")


def test_without_the_learned_body_there_is_no_estimate() -> None:
    doc = Document(url=URL, body=news_page())
    rules = extract_html(doc, quality=SHIPPED)
    assert isinstance(rules, Article) and rules.extraction_quality is None

    class RulesChooser:  # chooses without scores, as a recorder does
        def choose(
            self, tree: object, rule_blocks: list[Block], meta: object, url: str, type_row: object
        ) -> list[Block]:
            return rule_blocks

    chosen = extract_html(doc, chooser=RulesChooser(), quality=SHIPPED)
    assert isinstance(chosen, Article) and chosen.extraction_quality is None


def test_the_service_publishes_an_estimate_for_html_and_none_for_a_text_dump() -> None:
    html = extract_page(PageFetched(url=URL, content=news_page()))
    assert isinstance(html, PageExtracted) and html.extraction_quality is not None
    text = "Harbour gauge returns\n\n" + "The tide gauge is back in the harbour today. " * 40
    dump = extract_page(PageFetched(url=URL, content=text, content_type="text/plain"))
    assert isinstance(dump, PageExtracted) and dump.extraction_quality is None


def test_a_model_of_other_features_or_format_is_refused(tmp_path: Path) -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert from_dict(data).forest.features == FEATURES
    data["forest"]["features"] = [*data["forest"]["features"][1:], "something_else"]
    with pytest.raises(ModelFormatError, match="other features"):
        from_dict(data)
    with pytest.raises(ModelFormatError, match="quality"):
        from_dict({"format": "pagewire.blocks/1"})


def test_the_model_was_trained_on_the_shipped_block_models_scores() -> None:
    # Its features are the block model's scores: a new block model needs a new quality model
    # (`make train` trains both, in that order).
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    shipped_blocks = hashlib.sha256(BLOCKS_PATH.read_bytes()).hexdigest()
    assert data["blocks_sha256"] == shipped_blocks, "retrain: make train"
