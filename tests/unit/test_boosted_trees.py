"""The exported trees, evaluated with numpy, predict what LightGBM predicts."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest

from bench.tree_export import export
from extractor.boosted_trees import ModelFormatError, from_dict, load
from extractor.html.block_features import FEATURES
from extractor.html.main_blocks import model_from_dict, smooth


def _data(rows: int = 600, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 5))
    x[:, 3] = rng.integers(0, 2, size=rows)  # a binary flag, as many block features are
    score = x[:, 0] - 0.5 * x[:, 1] * x[:, 3] + 0.3 * x[:, 2] ** 2
    soft = 1.0 / (1.0 + np.exp(-score))
    return x, soft


def _booster(x: np.ndarray, y: np.ndarray, objective: str) -> lgb.Booster:
    params = {"objective": objective, "num_leaves": 7, "min_data_in_leaf": 5, "verbose": -1,
              "seed": 1, "deterministic": True, "num_threads": 1}  # fmt: skip
    names = [f"f{i}" for i in range(x.shape[1])]
    return lgb.train(params, lgb.Dataset(x, y, feature_name=names), num_boost_round=25)


@pytest.mark.parametrize("objective", ["cross_entropy", "regression"])
def test_exported_forest_predicts_like_lightgbm(tmp_path: Path, objective: str) -> None:
    x, y = _data()
    booster = _booster(x, y, objective)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(export(booster.dump_model(), [f"f{i}" for i in range(5)])))
    forest = load(path)
    sample, _ = _data(rows=300, seed=4)
    expected = np.asarray(booster.predict(sample))
    assert np.abs(forest.predict(sample) - expected).max() < 1e-9
    assert forest.sigmoid == (objective == "cross_entropy")
    assert expected.std() > 0.05  # the trees really split: the comparison means something


def test_a_stump_forest_and_wrong_width_rows() -> None:
    model = {"format": "pagewire.trees/1", "features": ["a", "b"], "base_score": 0.5,
             "link": "identity", "trees": [
                 {"feature": [1], "threshold": [2.0], "left": [-1], "right": [-2],
                  "leaf_value": [1.0, -1.0]},
                 {"feature": [], "threshold": [], "left": [], "right": [], "leaf_value": [0.25]},
             ]}  # fmt: skip
    forest = from_dict(model)
    got = forest.predict(np.array([[0.0, 2.0], [0.0, 2.5]]))
    assert got.tolist() == [1.75, -0.25]
    with pytest.raises(ValueError, match="2 features"):
        forest.predict(np.zeros((1, 3)))
    with pytest.raises(ModelFormatError):
        from_dict({**model, "format": "other/1"})


def test_a_model_for_other_features_is_refused() -> None:
    trees = {"format": "pagewire.trees/1", "features": ["a"], "trees": []}
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
