"""The exported block model, evaluated with numpy, predicts what LightGBM predicts."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest

from bench.tree_export import UnsupportedModel, export
from extractor.class_trees import ModelFormatError, load, probability, smooth
from extractor.html.block_features import FEATURES
from extractor.html.main_blocks import model_from_dict


def _data(rows: int = 600, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 5))
    x[:, 3] = rng.integers(0, 2, size=rows)  # a binary flag, as many block features are
    score = x[:, 0] - 0.5 * x[:, 1] * x[:, 3] + 0.3 * x[:, 2] ** 2
    return x, 1.0 / (1.0 + np.exp(-score))  # soft labels, as the block shares are


def _booster(x: np.ndarray, y: np.ndarray, objective: str) -> lgb.Booster:
    params = {"objective": objective, "num_leaves": 7, "min_data_in_leaf": 5, "verbose": -1,
              "seed": 1, "deterministic": True, "num_threads": 1}  # fmt: skip
    names = [f"f{i}" for i in range(x.shape[1])]
    return lgb.train(params, lgb.Dataset(x, y, feature_name=names), num_boost_round=25)


def test_exported_trees_predict_like_lightgbm(tmp_path: Path) -> None:
    x, y = _data()
    booster = _booster(x, y, "cross_entropy")
    path = tmp_path / "model.json"
    path.write_text(json.dumps(export(booster.dump_model(), [f"f{i}" for i in range(5)])))
    sample, _ = _data(rows=300, seed=4)
    expected = np.asarray(booster.predict(sample))
    assert np.abs(probability(load(path), sample) - expected).max() < 1e-9
    assert expected.std() > 0.05  # the trees really split: the comparison means something
    assert probability(load(path), np.zeros((0, 5))).shape == (0,)  # a page without blocks


def test_only_a_probability_model_is_exported() -> None:
    x, y = _data()
    with pytest.raises(UnsupportedModel, match="probability"):
        export(_booster(x, y, "regression").dump_model(), [f"f{i}" for i in range(5)])


def test_a_model_for_other_features_is_refused() -> None:
    trees = {"format": "pagewire.class_trees/1", "features": ["a"], "classes": ["main"],
             "trees": []}  # fmt: skip
    model = {"format": "pagewire.blocks/1", "first": trees,
             "decision": {"threshold": 0.5, "smoothing": 0.0}}  # fmt: skip
    with pytest.raises(ModelFormatError, match="retrain"):
        model_from_dict(model)
    read = model_from_dict({**model, "first": {**trees, "features": list(FEATURES)}})
    assert read.threshold == 0.5 and read.second is None


def test_smoothing_pulls_a_lone_block_towards_its_neighbours() -> None:
    p = np.array([0.9, 0.1, 0.9, 0.9])
    out = smooth(p, 0.5)
    assert out[1] == pytest.approx(0.5 * 0.1 + 0.5 * 0.9)
    assert out[0] == pytest.approx(0.5 * 0.9 + 0.25 * 0.9 + 0.25 * 0.1)
    assert smooth(p, 0.0) is p
