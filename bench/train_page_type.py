"""Train the page-type model, cross-validate it by site, export it and write its card.

    python -m bench.train_page_type        (or `make train`; needs the `train` extra)

Deterministic: LightGBM with a fixed seed, one thread and `deterministic`; the folds are a
function of the sites' names. Writes `extractor/models/page_type.json` (the trees, read by
`extractor.class_trees`), `page_type.md` (the card) and `page_type.cv.json` (the
cross-validated predictions' summary).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.page_type_card import card
from bench.page_type_data import TRAINED_TYPES, Dataset, build, features_of
from bench.tree_export import flatten, reproducible
from extractor import class_trees
from extractor.html.page_features import FEATURES
from extractor.html.page_type import choose

MODELS = Path(__file__).resolve().parents[1] / "extractor" / "models"
SEED = 20260107
FOLDS = 5
ROUNDS = 150
PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(TRAINED_TYPES),
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    **reproducible(SEED),
}
CLASS_WEIGHT_POWER = 0.5
"""Pages weighted by the inverse square root of their type's count (1 for articles): the
weighted trees confuse fewer listings, collections and service pages with articles
(docs/extraction.md, "The page type", compares the powers across seeds)."""
PARITY_TOLERANCE = 1e-9
FLOORS = (0.2, 0.25, 0.3, 0.35, 0.4)
"""The `extractor.html.page_type.ARTICLE_FLOOR`s the card compares."""
SAMPLE = 40
"""Pages whose features and LightGBM probabilities are kept beside the model, for the test
that the shipped trees reproduce the training library (`tests/unit/test_page_type.py`)."""


def group_folds(groups: Sequence[str], k: int) -> npt.NDArray[np.int64]:
    """A fold for each item, every group in one fold, folds of near-equal size (largest groups
    placed first, ties in a fixed pseudo-random order of the group names)."""
    sizes = Counter(groups)
    load = [0] * k
    fold_of: dict[str, int] = {}
    for group, size in sorted(
        sizes.items(), key=lambda item: (-item[1], hashlib.sha256(item[0].encode()).hexdigest())
    ):
        fold = min(range(k), key=lambda f: (load[f], f))
        fold_of[group] = fold
        load[fold] += size
    return np.array([fold_of[g] for g in groups], dtype=np.int64)


def class_weights(y: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Each page's weight: (pages of the largest type / pages of its type) ** `CLASS_WEIGHT_POWER`,
    so that the rare types (listing, documentation) are not drowned by the articles."""
    counts = np.bincount(y, minlength=len(TRAINED_TYPES)).astype(np.float64)
    per_type = (counts.max() / np.maximum(counts, 1.0)) ** CLASS_WEIGHT_POWER
    return np.asarray(per_type[y], dtype=np.float64)


def train(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> Any:
    import lightgbm as lgb

    weights = class_weights(y)
    data = lgb.Dataset(x, y, weight=weights, feature_name=list(FEATURES), free_raw_data=False)
    return lgb.train(PARAMS, data, ROUNDS)


def cross_validate(data: Dataset) -> npt.NDArray[np.float64]:
    """Each page's type probabilities by the model trained on the folds without its site."""
    folds = group_folds(data.groups, FOLDS)
    probabilities = np.zeros((len(data.y), len(TRAINED_TYPES)), dtype=np.float64)
    for k in range(FOLDS):
        held = folds == k
        booster = train(data.x[~held], data.y[~held])
        probabilities[held] = booster.predict(data.x[held])
    return probabilities


def shipped_types(p: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Each row's type (a column of `p`) by the engine's decision (`page_type.choose`)."""
    chosen = [choose(dict(zip(TRAINED_TYPES, map(float, row), strict=True))) for row in p]
    return np.array([TRAINED_TYPES.index(t) for t in chosen], dtype=np.int64)


def article_floors(data: Dataset, p: npt.NDArray[np.float64]) -> dict[str, dict[str, float]]:
    """Typed-article recall, precision and F2 on WCXB dev under several `ARTICLE_FLOOR`s
    ("argmax": none), from the cross-validated probabilities."""
    article = TRAINED_TYPES.index("article")
    wcxb = np.array([page.corpus == "wcxb" for page in data.pages])
    truth = data.y[wcxb] == article
    out = {}
    for floor in (None, *FLOORS):
        typed = p[wcxb].argmax(axis=1) == article
        if floor is not None:
            typed |= p[wcxb, article] >= floor
        recall, precision = (typed & truth).sum() / truth.sum(), (typed & truth).sum() / typed.sum()
        f2 = 5 * precision * recall / (4 * precision + recall)
        out["argmax" if floor is None else f"{floor:.2f}"] = {
            "recall": float(recall),
            "precision": float(precision),
            "f2": float(f2),
        }
    return out


def summary(data: Dataset, predicted: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Accuracy and the confusion matrix (rows: the true type), on WCXB and on all pages."""
    out: dict[str, Any] = {"types": list(TRAINED_TYPES)}
    corpora = np.array([p.corpus for p in data.pages])
    for name, mask in (("wcxb", corpora == "wcxb"), ("all", np.ones(len(corpora), bool))):
        matrix = np.zeros((len(TRAINED_TYPES), len(TRAINED_TYPES)), dtype=np.int64)
        np.add.at(matrix, (data.y[mask], predicted[mask]), 1)
        out[name] = {
            "pages": int(mask.sum()),
            "accuracy": float((data.y[mask] == predicted[mask]).mean()),
            "confusion": matrix.tolist(),
        }
    return out


def export(booster: Any) -> dict[str, Any]:
    """The `pagewire.class_trees/1` model of a trained booster."""
    dump = booster.dump_model()
    return {
        "format": class_trees.FORMAT,
        "features": list(FEATURES),
        "classes": list(TRAINED_TYPES),
        "trees": [flatten(info["tree_structure"]) for info in dump["tree_info"]],
    }


def parity(model: dict[str, Any], booster: Any, x: npt.NDArray[np.float64]) -> float:
    """The largest difference between LightGBM's and the exported forest's probabilities."""
    mine = class_trees.from_dict(model).probabilities(x)
    return float(np.abs(mine - booster.predict(x)).max())


def ms_per_page(data: Dataset, model: dict[str, Any]) -> dict[str, float]:
    """Mean cost per page of the features (parse excluded) and of the trees."""
    from extractor.html import dom
    from extractor.html.page_features import page_features

    forest = class_trees.from_dict(model)
    pages = data.pages[::5]
    parsed = [(p, dom.parse(p.html)) for p in pages]
    trees = [(p, parser, dom.flatten(parser.body)) for p, parser in parsed]
    start = time.perf_counter()
    rows = [page_features(p.url, p.html, parser, tree) for p, parser, tree in trees]
    middle = time.perf_counter()
    for row in rows:
        forest.probabilities(np.array([row], dtype=np.float64))
    end = time.perf_counter()
    return {"features": 1000 * (middle - start) / len(pages),
            "trees": 1000 * (end - middle) / len(pages)}  # fmt: skip


def main() -> None:
    data = build()
    probabilities = cross_validate(data)
    report = summary(data, shipped_types(probabilities))
    report["argmax_accuracy"] = summary(data, probabilities.argmax(axis=1))["wcxb"]["accuracy"]
    report["article_floors"] = article_floors(data, probabilities)
    booster = train(data.x, data.y)
    model = export(booster)
    difference = parity(model, booster, data.x)
    if difference > PARITY_TOLERANCE:
        raise SystemExit(f"the exported trees differ from LightGBM by {difference}")
    report.update(parity=difference, ms_per_page=ms_per_page(data, model))
    report["class_weight_power"] = CLASS_WEIGHT_POWER
    rows = data.x[np.linspace(0, len(data.x) - 1, SAMPLE).astype(int)]
    report["sample"] = {"x": rows.tolist(), "probabilities": booster.predict(rows).tolist()}
    sample = data.pages[0]
    assert features_of(sample.url, sample.html) == data.x[0].tolist()
    MODELS.mkdir(parents=True, exist_ok=True)
    path = MODELS / "page_type.json"
    path.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    report["size_bytes"] = path.stat().st_size
    (MODELS / "page_type.cv.json").write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    (MODELS / "page_type.md").write_text(card(data, report, PARAMS, ROUNDS, FOLDS), "utf-8")
    print(f"WCXB cross-validated accuracy {report['wcxb']['accuracy']:.3f}, "
          f"all {report['all']['accuracy']:.3f}; {report['size_bytes'] // 1024} KiB")  # fmt: skip


if __name__ == "__main__":
    main()
