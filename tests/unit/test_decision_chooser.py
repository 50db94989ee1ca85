"""The learned decision chooser: its features of a candidate decision, the pick (with tiny
hand-written forests, so every outcome is known) and the shipped model's files."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import numpy as np
import pytest

from extractor.class_trees import ModelFormatError
from extractor.html import extract_html
from extractor.html.block_features import FEATURES as BLOCK_FEATURES
from extractor.html.decision_chooser import FEATURES, FORMAT, from_dict, rows
from extractor.html.main_blocks import CHOOSER_PATH, MODEL_PATH, model_from_dict
from extractor.model import Article, Document
from tests.unit.html_pages import PARAGRAPHS, news_page

_TYPES = [0.9, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01]  # an article, as the page-type model sees it
_DEFAULT = (0.0, 0.6)
_CANDIDATES = ((0.0, 0.6), (0.0, 0.35), (0.0, 0.05))


def _blocks(words: list[int], links: list[float] | None = None) -> np.ndarray[Any, Any]:
    """Block features with only what the chooser reads: words, characters, link density."""
    x = np.zeros((len(words), len(BLOCK_FEATURES)))
    x[:, BLOCK_FEATURES.index("log_words")] = np.log1p(words)
    x[:, BLOCK_FEATURES.index("log_chars")] = np.log1p(np.array(words) * 6)
    x[:, BLOCK_FEATURES.index("link_density")] = links or [0.0] * len(words)
    return x


def _chooser(feature: str, threshold: float, margin: float = 0.0) -> dict[str, Any]:
    """A one-split chooser: estimate ~0.12 when `feature <= threshold`, ~0.88 above."""
    forest = {
        "format": "pagewire.class_trees/1", "features": list(FEATURES), "classes": ["main"],
        "trees": [{"feature": [FEATURES.index(feature)], "threshold": [threshold],
                   "left": [-1], "right": [-2], "leaf_value": [-2.0, 2.0]}],
    }  # fmt: skip
    return {"format": FORMAT, "forest": forest, "candidates": _CANDIDATES, "margin": margin}


def test_a_candidate_row_describes_the_body_it_would_keep() -> None:
    p = np.array([0.9, 0.4, 0.1])
    table = rows(_blocks([100, 50, 10], [0.0, 0.0, 1.0]), p, _TYPES, _DEFAULT, _CANDIDATES)
    column = {name: table[:, i] for i, name in enumerate(FEATURES)}
    assert table.shape == (3, len(FEATURES))
    assert column["kept_words_share"] == pytest.approx([101 / 163, 152 / 163, 1.0])
    assert column["added_words_share"] == pytest.approx([0.0, 51 / 101, 62 / 101])
    assert column["added_mean_p"] == pytest.approx([-1.0, 0.4, (0.4 * 51 + 0.1 * 11) / 62])
    assert column["kept_link_density"][2] == pytest.approx(60 / 960)
    assert column["threshold_shift"] == pytest.approx([0.0, -0.25, -0.55])
    assert column["type_article"] == pytest.approx([0.9] * 3)
    assert column["words_vs_default"][0] == 0.0
    assert column["words_vs_default"][1] == pytest.approx(math.log(153 / 102))


def test_the_chooser_changes_the_decision_when_its_inputs_say_so() -> None:
    # This chooser expects a better body when the blocks a candidate adds are fairly sure
    # (mean probability above 0.3): a doubtful paragraph comes in, a sure-to-be-noise one not.
    chooser = from_dict(_chooser("added_mean_p", 0.3))
    x = _blocks([100, 50, 10])
    assert chooser.choose(x, np.array([0.9, 0.4, 0.1]), _TYPES, _DEFAULT) == (0.0, 0.35)
    assert chooser.choose(x, np.array([0.9, 0.25, 0.1]), _TYPES, _DEFAULT) == _DEFAULT
    assert chooser.choose(x[:0], np.zeros(0), _TYPES, _DEFAULT) == _DEFAULT


def test_a_departure_must_beat_the_default_by_the_margin() -> None:
    x, p = _blocks([100, 50, 10]), np.array([0.9, 0.4, 0.1])
    assert from_dict(_chooser("added_mean_p", 0.3, margin=0.5)).choose(x, p, _TYPES, _DEFAULT) == (
        0.0,
        0.35,
    )
    assert from_dict(_chooser("added_mean_p", 0.3, margin=0.8)).choose(x, p, _TYPES, _DEFAULT) == (
        _DEFAULT
    )


def test_a_block_model_carrying_a_chooser_uses_it() -> None:
    blocks = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = model_from_dict({**blocks, "chooser": _chooser("added_mean_p", 0.3)})
    assert model.chooser is not None
    assert model_from_dict(blocks).chooser is None


def test_a_chooser_of_other_features_or_format_is_refused() -> None:
    data = _chooser("added_mean_p", 0.3)
    data["forest"]["features"] = [*FEATURES[1:], "something_else"]
    with pytest.raises(ModelFormatError, match="other features"):
        from_dict(data)
    with pytest.raises(ModelFormatError, match="decision_chooser"):
        from_dict({"format": "pagewire.blocks/1"})


def test_the_shipped_chooser_reads_the_shipped_block_models_probabilities() -> None:
    # It was trained on that block model's out-of-fold probabilities: a new block model needs
    # a new chooser (`make train` trains both, in that order).
    data = json.loads(CHOOSER_PATH.read_text(encoding="utf-8"))
    assert from_dict(data).forest.features == FEATURES
    assert data["blocks_sha256"] == hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()


def test_the_engine_keeps_the_body_of_the_chosen_decision() -> None:
    # A block model that scores a linked block ~0.12 and the prose ~0.88, the default threshold
    # 0.5; the chooser expects more of a candidate that adds linked text (its estimate rises
    # with the link density of what it adds), so a related link comes in at 0.1.
    first = {
        "format": "pagewire.class_trees/1", "features": list(BLOCK_FEATURES),
        "classes": ["main"],
        "trees": [{"feature": [BLOCK_FEATURES.index("link_density")], "threshold": [0.5],
                   "left": [-1], "right": [-2], "leaf_value": [2.0, -2.0]}],
    }  # fmt: skip
    blocks = {"format": "pagewire.blocks/1", "first": first,
              "decision": {"threshold": 0.5, "smoothing": 0.0}}  # fmt: skip
    chooser = {**_chooser("added_link_density", 0.5), "candidates": [[0.0, 0.1]]}
    related = "<div><a href='/x'>The lighthouse keeper retires after forty years</a></div>"
    doc = Document(url="https://example.org/a", body=news_page(after=related))
    alone = extract_html(doc, chooser=model_from_dict(blocks))
    chosen = extract_html(doc, chooser=model_from_dict({**blocks, "chooser": chooser}))
    assert isinstance(alone, Article) and isinstance(chosen, Article)
    assert PARAGRAPHS[0] in alone.text and PARAGRAPHS[0] in chosen.text
    assert "lighthouse" not in alone.text
    assert "lighthouse" in chosen.text
