"""The shipped page-type model: it reproduces the training library, reads this code's
features, and decides the `page_type` of what the HTML engine publishes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from extractor import class_trees
from extractor.core import extract_page
from extractor.html import dom
from extractor.html.page_features import FEATURES, page_features
from extractor.html.page_type import (
    ARTICLE_FLOOR,
    MODEL_PATH,
    PageTypeModel,
    choose,
    from_forest,
    load,
)
from shared.events import PAGE_TYPES, PageExtracted, PageFetched, PageType
from tests.factories import article_page

CV_REPORT = MODEL_PATH.with_name("page_type.cv.json")


def test_the_shipped_trees_reproduce_lightgbm_on_the_training_sample() -> None:
    sample = json.loads(CV_REPORT.read_text(encoding="utf-8"))["sample"]
    x = np.array(sample["x"], dtype=np.float64)
    expected = np.array(sample["probabilities"], dtype=np.float64)
    assert x.shape == (len(expected), len(FEATURES)) and len(x) >= 20
    found = load().forest.probabilities(x)
    assert np.abs(found - expected).max() < 1e-9
    assert len(set(found.argmax(axis=1))) > 1  # the sample is not all of one type


def test_the_model_reads_the_features_this_code_computes() -> None:
    model = load()
    assert model.forest.features == FEATURES
    assert set(model.types) <= set(PAGE_TYPES) and "article" in model.types


def test_a_model_trained_on_other_features_is_refused() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = [*data["features"][1:], "something_else"]
    with pytest.raises(class_trees.ModelFormatError, match="other features"):
        from_forest(class_trees.from_dict(data))


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{"format": "pagewire.trees/1", "trees": []}', encoding="utf-8")
    with pytest.raises(class_trees.ModelFormatError, match="class_trees"):
        class_trees.load(path)


def _two_class_forest() -> class_trees.ClassForest:
    """Feature 0 <= 1.5 favours class a (+1 / -1), otherwise b; a one-leaf tree adds 0.5 to b."""
    return class_trees.from_dict({
        "format": class_trees.FORMAT, "features": ["f", "g"], "classes": ["a", "b"],
        "trees": [
            {"feature": [0], "threshold": [1.5], "left": [-1], "right": [-2],
             "leaf_value": [1.0, -1.0]},
            {"feature": [], "threshold": [], "left": [], "right": [], "leaf_value": [0.5]},
        ],
    })  # fmt: skip


def test_trees_add_to_their_class_and_softmax_normalises() -> None:
    forest = _two_class_forest()
    x = np.array([[1.0, 9.0], [1.5, 0.0], [2.0, 0.0]])
    assert forest.scores(x).tolist() == [[1.0, 0.5], [1.0, 0.5], [-1.0, 0.5]]
    p = forest.probabilities(x)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0, 0] == pytest.approx(1 / (1 + np.exp(-0.5)))
    with pytest.raises(ValueError, match="2 features"):
        forest.scores(np.zeros((1, 3)))


def test_the_decision_leans_to_article() -> None:
    unsure: dict[PageType, float] = {
        "service": 0.6, "article": ARTICLE_FLOOR, "forum": 0.4 - ARTICLE_FLOOR
    }  # fmt: skip
    assert choose(unsure) == "article"  # not the most probable, but not unlikely either
    sure: dict[PageType, float] = {
        "service": 0.7, "article": ARTICLE_FLOOR - 0.01, "forum": 0.31 - ARTICLE_FLOOR
    }  # fmt: skip
    assert choose(sure) == "service"
    assert choose({"service": 0.1, "article": 0.2, "forum": 0.7}) == "forum"
    assert choose({"service": 0.2, "article": 0.7, "forum": 0.1}) == "article"
    assert choose({"forum": 0.45, "product": 0.45, "article": 0.1}) == "forum"  # first of equals


def test_the_model_types_a_page_by_the_decision() -> None:
    # one feature; article scores 0, service 1 (p(article) 0.27) or 0.5 (0.38) by the feature
    forest = class_trees.from_dict({
        "format": class_trees.FORMAT, "features": ["f"], "classes": ["article", "service"],
        "trees": [
            {"feature": [], "threshold": [], "left": [], "right": [], "leaf_value": [0.0]},
            {"feature": [0], "threshold": [0.5], "left": [-1], "right": [-2],
             "leaf_value": [1.0, 0.5]},
        ],
    })  # fmt: skip
    model = PageTypeModel(forest, ("article", "service"))
    assert model.predict([0.0]) == "service"
    assert model.predict([1.0]) == "article"


FORUM = (
    """<!doctype html><html><head><title>Which kettle? - Kitchen forum</title></head><body>
<nav><a href="/">Forum</a> › <a href="/f/kitchen">Kitchen</a></nav><h1>Which kettle?</h1>
"""
    + "".join(
        f'<div class="post" id="post-{i}"><div class="post-author">'
        '<img class="avatar" src="a.png">'
        f'<a href="/u/{i}">user{i}</a><span class="date">3 days ago</span></div>'
        f'<div class="post-body"><p>Reply {i}: I have used my steel kettle for years, it boils '
        f"fast and the lid never broke. What do you think of glass ones? They look nice.</p></div>"
        f'<a class="reply" href="/reply/{i}">Reply</a>'
        f' <a class="quote" href="/q/{i}">Quote</a></div>'
        for i in range(12)
    )
    + "</body></html>"
)


DOCS = (
    "<!doctype html><html><head><title>Configuration - Kettle 2.1 documentation</title></head>"
    '<body><nav class="sidebar toc"><ul>'
    + "".join(
        f'<li><a href="/docs/2.1/{name}/">{name}</a></li>'
        for name in ("install", "configuration", "api", "cli", "faq", "changelog", "deploy")
    )
    + "</ul></nav><main><h1>Configuration</h1>"
    + "".join(
        f"<h2>Option {i}</h2><p>The option <code>boil_{i}</code> sets how long the kettle waits"
        f" before it boils again; the default is {i} seconds, and a value of zero turns the wait"
        f" off entirely.</p><pre><code>kettle config set boil_{i} {i}\nkettle restart</code></pre>"
        for i in range(8)
    )
    + '<nav class="pager"><a href="/docs/2.1/install/">Previous</a>'
    '<a href="/docs/2.1/api/">Next</a></nav></main></body></html>'
)


def _page_type(url: str, html: str) -> str:
    parser = dom.parse(html)
    return load().predict(page_features(url, html, parser, dom.flatten(parser.body)))


def test_a_news_article_and_a_forum_thread_are_told_apart() -> None:
    news = article_page("Harbour gauge returns", ["The tide gauge is back. " * 30] * 6)
    assert _page_type("https://news.example/2024/05/01/harbour-gauge-returns", news) == "article"
    assert _page_type("https://talk.example/forum/t/which-kettle-123", FORUM) == "forum"


def test_the_engine_publishes_the_models_page_type() -> None:
    url = "https://kettle.example/docs/2.1/configuration/"
    event = extract_page(PageFetched(url=url, content=DOCS))
    assert isinstance(event, PageExtracted)
    assert event.page_type == _page_type(url, DOCS) == "documentation"
    assert event.extraction_quality is not None  # the learned body comes with its estimate


def test_a_text_dump_is_published_as_an_article() -> None:
    text = "Harbour gauge returns\n\n" + "The tide gauge is back in the harbour today. " * 40
    page = PageFetched(url="https://news.example/a", content=text, content_type="text/plain")
    event = extract_page(page)
    assert isinstance(event, PageExtracted) and event.page_type == "article"
