"""The learned main-content decision: block features, labels, folds by site, the chooser and
its place in the engine (with tiny hand-written models, so every outcome is known)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from bench.block_dataset import Recorder, share_labels, snippet_labels
from bench.page_type_data import TRAINED_TYPES, registrable_site
from bench.train_page_type import group_folds
from extractor import class_trees
from extractor.html import extract_html
from extractor.html.block_context import CONTEXT, context_features
from extractor.html.block_features import FEATURES, PageBlocks, page_features
from extractor.html.blocks import Block
from extractor.html.dom import Tree
from extractor.html.main_blocks import SHIPPED, BlocksModel, model_from_dict
from extractor.html.page_features import FEATURES as PAGE_FEATURES
from extractor.html.page_type import PageTypeModel, from_forest
from extractor.model import Article, Document
from tests.unit.html_pages import PARAGRAPHS, news_page

_COL = {name: i for i, name in enumerate(FEATURES)}


def _recorded(html: str) -> tuple[list[Block], np.ndarray[Any, Any]]:
    recorder = Recorder()
    extract_html(Document(url="https://example.org/a", body=html), chooser=recorder)
    assert recorder.page is not None
    return recorder.page.blocks, recorder.page.features


def _stump(feature: str, threshold: float, smoothing: float = 0.0) -> BlocksModel:
    """A one-split model: probability ~0.88 when `feature <= threshold`, ~0.12 otherwise."""
    return model_from_dict(_stump_dict(feature, threshold, smoothing))


def _stump_dict(feature: str, threshold: float, smoothing: float = 0.0) -> dict[str, Any]:
    first = {
        "format": "pagewire.class_trees/1", "features": list(FEATURES), "classes": ["main"],
        "trees": [{"feature": [_COL[feature]], "threshold": [threshold], "left": [-1],
                   "right": [-2], "leaf_value": [2.0, -2.0]}],
    }  # fmt: skip
    return {
        "format": "pagewire.blocks/1",
        "first": first,
        "decision": {"threshold": 0.5, "smoothing": smoothing},
    }


def test_every_block_of_the_page_gets_a_row_of_features() -> None:
    blocks, x = _recorded(news_page())
    texts = [b.text for b in blocks]
    assert texts[0].startswith("Home")  # the navigation is a block too, not pruned away
    assert x.shape == (len(blocks), len(FEATURES))
    nav, first = 0, texts.index(PARAGRAPHS[0])
    assert x[nav, _COL["link_density"]] > 0.8 and x[first, _COL["link_density"]] == 0
    assert x[nav, _COL["under_nav"]] == 1 and x[first, _COL["under_article"]] == 1
    assert x[nav, _COL["in_rules"]] == 0 and x[first, _COL["in_rules"]] == 1
    assert x[first, _COL["cue_content"]] == 1  # its parent is "article-body"
    assert x[first, _COL["log_words"]] == math.log1p(len(PARAGRAPHS[0].split()))
    assert x[first + 1, _COL["prev_in_rules"]] == 1
    assert x[first, _COL["prev_link_density"]] == x[first - 1, _COL["link_density"]]
    assert 0 < x[first, _COL["position"]] < x[-1, _COL["position"]] < 1
    assert np.isfinite(x).all()


_ASIDE = "The harbour museum, next to the old quay, opens on Sundays from ten to four."


def test_the_chooser_keeps_the_blocks_the_model_scores_high() -> None:
    model = _stump("link_density", 0.5)  # a model that keeps every unlinked block
    html = news_page(after=f"<aside><p>{_ASIDE}</p></aside>")
    result = extract_html(Document(url="https://example.org/a", body=html), chooser=model)
    rules = extract_html(Document(url="https://example.org/a", body=html))
    assert isinstance(result, Article) and isinstance(rules, Article)
    assert PARAGRAPHS[0] in result.text and PARAGRAPHS[-1] in result.text
    assert "Home" not in result.text
    assert _ASIDE in result.text and _ASIDE not in rules.text  # the rules prune the aside
    assert "All rights reserved" not in result.text  # a boilerplate line, kept or not


def test_the_rules_stand_when_the_model_keeps_nothing() -> None:
    model = _stump("log_chars", -1.0)  # no block has fewer than 0 characters: none kept
    doc = Document(url="https://example.org/a", body=news_page())
    with_model, rules = extract_html(doc, chooser=model), extract_html(doc)
    assert isinstance(with_model, Article) and isinstance(rules, Article)
    assert with_model.text == rules.text


def test_smoothing_lets_neighbours_carry_a_short_block() -> None:
    blocks = [
        Block("a" * 300, "p", 0),
        Block("Photo: the harbour", "p", 0),
        Block("b" * 300, "p", 0),
    ]
    x = np.zeros((3, len(FEATURES)))
    x[:, _COL["log_chars"]] = [math.log1p(len(b.text)) for b in blocks]
    page = PageBlocks(blocks, x, np.zeros((3, 3), np.int64))
    strict = _stump("log_chars", math.log1p(100))  # keeps only blocks under 100 characters
    assert (strict.scores(page) >= 0.5).tolist() == [False, True, False]
    smoothed = BlocksModel(strict.first, None, 0.5, 0.7)
    assert (smoothed.scores(page) >= 0.5).tolist() == [False, False, False]
    assert page_features(Tree(), []).blocks == []  # an empty tree has no blocks


def _always(kind: str) -> PageTypeModel:
    """A page-type model that guesses `kind` for every page (one leaf a class)."""
    leaf: dict[str, list[Any]] = {"feature": [], "threshold": [], "left": [], "right": []}
    trees = [dict(leaf, leaf_value=[1.0 if t == kind else 0.0]) for t in TRAINED_TYPES]
    forest = {"format": "pagewire.class_trees/1", "features": list(PAGE_FEATURES),
              "classes": list(TRAINED_TYPES), "trees": trees}  # fmt: skip
    return from_forest(class_trees.from_dict(forest))


def test_a_page_takes_the_decision_of_its_guessed_type() -> None:
    strict = _stump_dict("link_density", 0.5)  # ~0.88 for an unlinked block, ~0.12 for links
    strict["decision"]["by_type"] = {"listing": {"smoothing": 0.0, "threshold": 0.1}}
    related = "<div><a href='/x'>The lighthouse keeper retires after forty years</a></div>"
    doc = Document(url="https://example.org/a", body=news_page(after=related))
    as_article = extract_html(doc, chooser=model_from_dict(strict, _always("article")))
    as_listing = extract_html(doc, chooser=model_from_dict(strict, _always("listing")))
    assert isinstance(as_article, Article) and isinstance(as_listing, Article)
    assert PARAGRAPHS[0] in as_article.text and PARAGRAPHS[0] in as_listing.text
    assert "lighthouse" not in as_article.text  # a link scores under 0.5
    assert "lighthouse" in as_listing.text  # and over a listing's threshold of 0.1
    assert model_from_dict(strict).decision([0.0] * len(PAGE_FEATURES)) in {(0.0, 0.5), (0.0, 0.1)}


def test_labels_are_the_share_of_a_block_found_in_the_gold_text() -> None:
    gold = "The harbour wall will be rebuilt next year.\n\nThe mayor said so on Tuesday."
    texts = ["The harbour wall will be rebuilt next year.", "Share this on Facebook now",
             "The mayor said so on Tuesday. Subscribe to our newsletter today"]  # fmt: skip
    labels = share_labels(texts, gold)
    assert labels[0] == 1.0 and labels[1] == 0.0
    assert 0.2 < labels[2] < 0.6
    teaser = share_labels(["The harbour wall will be rebuilt", texts[0]], gold)
    assert teaser == [0.0, 1.0]  # the article's own paragraph takes the words first


def test_snippet_labels_mark_only_blocks_holding_a_snippet() -> None:
    texts = ["The harbour  wall will be rebuilt.", "Read more stories", "Other text"]
    labels = snippet_labels(texts, ["harbour wall will"], ["Read more"])
    assert labels[:2] == [1.0, 0.0] and math.isnan(labels[2])


def test_sites_and_folds_keep_a_site_in_one_fold() -> None:
    assert registrable_site("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert registrable_site("https://blog.example.com/post") == "example.com"
    groups = ["a.com"] * 5 + ["b.com"] * 3 + ["c.com"] * 3 + ["d.com"] * 2 + ["e.org"]
    folds = group_folds(groups, 3)
    by_site = {g: {f for g2, f in zip(groups, folds, strict=True) if g2 == g} for g in groups}
    assert all(len(f) == 1 for f in by_site.values())
    assert sorted(np.bincount(folds).tolist()) == [4, 5, 5]
    assert group_folds(groups, 3).tolist() == folds.tolist()  # deterministic


def test_the_second_stage_reads_the_first_stage_around_each_block() -> None:
    x = np.zeros((5, len(FEATURES)))
    x[:, _COL["log_chars"]] = np.log1p([100, 100, 100, 10, 100])
    p = np.array([0.9, 0.8, 0.1, 0.2, 0.9])
    containers = np.array([[7, 3, 1], [7, 3, 1], [8, 3, 1], [9, 4, 1], [9, 4, 1]])
    out = context_features(x, containers, p)
    col = {name: i for i, name in enumerate(CONTEXT)}
    assert out[:, col["p"]].tolist() == p.tolist()
    assert out[2, col["p_w1"]] == pytest.approx((0.8 + 0.1 + 0.2) / 3)
    assert out[0, col["p_up1"]] == pytest.approx(0.85)  # blocks 0 and 1 share a container
    assert out[3, col["p_up1"]] == pytest.approx((10 * 0.2 + 100 * 0.9) / 110)  # by characters
    assert out[2, col["p_in_span"]] == 1.0  # between the first and last kept block
    assert out[0, col["p_relative"]] == 1.0 and out[2, col["p_max3"]] == 0.9


def test_the_sites_known_lines_go_from_the_models_choice_too() -> None:
    model = _stump("link_density", 0.5)
    doc = Document(url="https://example.org/a", body=news_page(after=f"<p>{_ASIDE}</p>"))
    assert _ASIDE in getattr(extract_html(doc, chooser=model), "text", "")
    result = extract_html(doc, chooser=model, boilerplate=lambda text: text == _ASIDE)
    assert isinstance(result, Article)
    assert _ASIDE not in result.text and PARAGRAPHS[0] in result.text


def test_the_shipped_model_reads_a_plain_news_page_like_a_reader() -> None:
    html = news_page(after="<div class='related'><a href='/x'>More news from the harbour</a></div>")
    result = extract_html(Document(url="https://example.org/a", body=html), chooser=SHIPPED)
    assert isinstance(result, Article)
    assert result.text == "\n\n".join(PARAGRAPHS)
    assert SHIPPED.load() is SHIPPED.load()  # read once
