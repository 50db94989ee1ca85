"""Train the decision chooser, cross-validate it by site (nested), ship it.

    python -m bench.train_chooser       # after bench.train_blocks (`make train` runs all)

1. The table: for every development page and every candidate decision (`CANDIDATES`, the 33
   (smoothing, threshold) pairs `bench.block_cv` scores), the chooser's features
   (`extractor.html.decision_chooser.rows`) from the page's out-of-fold block probabilities
   and the page-type probabilities of the fold's page-type model, and the page's F1 under that
   decision by its corpus's metric (`bench.block_cv.decision_grid`, what the blocks kept would
   score; trafilatura-eval pages without snippets weigh 0). The page's default is its fold's
   decision for its guessed type (`bench.train_blocks`).
2. Nested validation: for each fold, the chooser is trained on the other folds' pages and
   picks this fold's decisions; the margin (how much a candidate's estimate must beat the
   default's) is the best, by the objective of `bench.block_cv`, on the other folds' picks.
3. `attach` puts each fold's chooser into its fold's block model (the whole engine's
   cross-validation runs with it); the shipped chooser is trained on every page and written
   to `extractor/models/chooser.json` with its card. Deterministic: fixed seed, one thread.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from bench import block_cv, block_folds
from bench.block_dataset import OUT
from bench.engine_oof import page_f1
from bench.tree_export import export, reproducible
from extractor import class_trees
from extractor.html.decision_chooser import FEATURES, FORMAT
from extractor.html.main_blocks import MODEL_PATH as BLOCKS_PATH
from extractor.html.main_blocks import Decision
from extractor.html.page_type import choose, from_forest
from shared.events import PAGE_TYPES

SEED = 1415
ROUNDS = 300
PARAMS: dict[str, Any] = {
    "objective": "cross_entropy",  # the target is an F1 in [0, 1]
    "learning_rate": 0.05,
    "num_leaves": 15,
    "max_depth": 6,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    **reproducible(SEED),
}
CANDIDATES: tuple[Decision, ...] = tuple(
    (s, t) for s in block_cv.SMOOTHING for t in block_cv.THRESHOLDS
)
MARGINS = (0.0, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05)
CHOOSER_PATH = BLOCKS_PATH.with_name("chooser.json")
_TYPES = tuple(t for t in PAGE_TYPES if t != "other")

Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(slots=True)
class Table:
    x: Floats  # (pages * candidates, features)
    f1: Floats  # (pages, candidates); NaN where a page has no score
    default: list[int]  # each page's default decision, as an index into CANDIDATES
    grid: dict[Decision, list[block_cv.PageResult]]
    kinds: Sequence[str]

    def page_rows(self, pages: Sequence[int]) -> Any:
        c = len(CANDIDATES)
        return (np.asarray(pages)[:, None] * c + np.arange(c)).ravel()


def _grid(pages: list[dict[str, Any]], probabilities: list[Floats], cache: Path | None) -> Any:
    """`block_cv.decision_grid`, cached under `cache` for the probabilities it was made of."""
    key = hashlib.sha256(b"".join(p.tobytes() for p in probabilities)).hexdigest()
    if cache is not None and cache.exists():
        saved = pickle.loads(cache.read_bytes())
        if saved["key"] == key:
            return saved["grid"]
    grid = block_cv.decision_grid(pages, probabilities)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps({"key": key, "grid": grid}))
    return grid


def build_table(
    data: Any, p: Floats, folds: list[int], models: list[dict[str, Any]], cache: Path | None
) -> Table:
    """The chooser's rows and targets for every page, from out-of-fold probabilities `p`
    and each fold's block model (its page-type forest and decisions)."""
    from extractor.html.decision_chooser import rows

    pages, spans = data.pages, data.page_rows()
    readers = [from_forest(class_trees.from_dict(m["page_types"])) for m in models]
    grid = _grid(pages, [p[r] for r in spans], cache)
    table, default, kinds = [], [], []
    for i, span in enumerate(spans):
        model = models[folds[i]]
        types = readers[folds[i]].probabilities(data.type_rows[i].tolist())
        kind = choose(types)
        d = model["decision"]
        by_type = d.get("by_type", {}).get(kind, d)
        decision = (float(by_type["smoothing"]), float(by_type["threshold"]))
        kinds.append(kind)
        default.append(CANDIDATES.index(decision))
        row = [types.get(t, 0.0) for t in _TYPES]
        table.append(rows(data.x[span].astype(np.float64), p[span], row, decision, CANDIDATES))
    f1 = np.array(
        [[page_f1(page["corpus"], grid[c][i]) for c in CANDIDATES] for i, page in enumerate(pages)],
        dtype=np.float64,
    )
    return Table(np.vstack(table), f1, default, grid, kinds)


def corpus_weights(pages: list[dict[str, Any]]) -> dict[str, float]:
    """Each corpus weighs alike: a page weighs the inverse of its corpus's share of the pages
    (WCXB's pages 1). The block model's heavier news weights cost trafilatura-eval here."""
    count: dict[str, int] = {}
    for page in pages:
        count[page["corpus"]] = count.get(page["corpus"], 0) + 1
    most = max(count.values())
    return {corpus: most / n for corpus, n in count.items()}


def train(table: Table, pages: list[dict[str, Any]], among: Sequence[int]) -> lgb.Booster:
    """The chooser trained on the pages `among` (those with a score)."""
    use = [i for i in among if not np.isnan(table.f1[i, 0])]
    weights = corpus_weights(pages)
    weight = np.repeat([weights[pages[i]["corpus"]] for i in use], len(CANDIDATES))
    names = [f.replace(" ", "_") for f in FEATURES]
    x = table.x[table.page_rows(use)].astype(np.float32)
    train_set = lgb.Dataset(x, table.f1[use].ravel(), weight=weight, feature_name=names)
    return lgb.train(PARAMS, train_set, num_boost_round=ROUNDS)


def estimates(booster: lgb.Booster, table: Table, among: Sequence[int]) -> Floats:
    """(pages, candidates) estimated F1s."""
    x = table.x[table.page_rows(among)].astype(np.float32)
    out: Floats = np.asarray(booster.predict(x)).reshape(len(among), len(CANDIDATES))
    return out


def picks(value: Floats, default: Sequence[int], margin: float) -> list[int]:
    """Each page's candidate: the best estimate when it beats the default's by `margin`."""
    best = value.argmax(axis=1)
    own = value[np.arange(len(value)), default]
    return [
        int(b) if value[k, b] > own[k] + margin else int(d)
        for k, (b, d) in enumerate(zip(best, default, strict=True))
    ]


def _objective(
    table: Table, pages: list[dict[str, Any]], among: Sequence[int], chosen: list[int]
) -> float:
    results = [table.grid[CANDIDATES[c]][i] for i, c in zip(among, chosen, strict=True)]
    return block_cv.objective(block_cv.figures([pages[i] for i in among], results))


@dataclass(slots=True)
class Nested:
    boosters: list[lgb.Booster]
    margins: list[float]
    chosen: list[int]  # each page's pick under its fold's chooser and margin
    value: Floats  # each page's estimates by its fold's chooser


def nested(table: Table, pages: list[dict[str, Any]], folds: list[int]) -> Nested:
    """Each fold's chooser trained on the other folds; its margin chosen on their picks."""
    k = max(folds) + 1
    value = np.zeros((len(pages), len(CANDIDATES)))
    boosters = []
    for fold in range(k):
        held = [i for i in range(len(pages)) if folds[i] == fold]
        booster = train(table, pages, [i for i in range(len(pages)) if folds[i] != fold])
        value[held] = estimates(booster, table, held)
        boosters.append(booster)
        print(f"  chooser fold {fold}: trained", file=sys.stderr)
    margins, chosen = [], [0] * len(pages)
    for fold in range(k):
        others = [i for i in range(len(pages)) if folds[i] != fold]
        defaults = [table.default[i] for i in others]

        def score(m: float, others: list[int] = others, defaults: list[int] = defaults) -> float:
            return _objective(table, pages, others, picks(value[others], defaults, m))

        margin = max(MARGINS, key=score)
        margins.append(margin)
        held = [i for i in range(len(pages)) if folds[i] == fold]
        for i, c in zip(
            held, picks(value[held], [table.default[i] for i in held], margin), strict=True
        ):
            chosen[i] = c
    return Nested(boosters, margins, chosen, value)


def to_model(booster: lgb.Booster, margin: float) -> dict[str, Any]:
    forest = export(booster.dump_model(), FEATURES)
    return {"format": FORMAT, "forest": forest, "candidates": [list(c) for c in CANDIDATES],
            "margin": margin}  # fmt: skip


def attach(
    data: Any, folds: list[int], p: Floats, models: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each fold's block model with the chooser trained on the other folds' pages (and the
    margin chosen on their picks): what the engine's cross-validation runs with."""
    run = nested(build_table(data, p, folds, models, None), data.pages, folds)
    return [
        {**model, "chooser": to_model(booster, margin)}
        for model, booster, margin in zip(models, run.boosters, run.margins, strict=True)
    ]


def figures(table: Table, pages: list[dict[str, Any]], chosen: Sequence[int]) -> dict[str, float]:
    results = [table.grid[CANDIDATES[c]][i] for i, c in enumerate(chosen)]
    return block_cv.figures(pages, results)


def oracle(table: Table) -> list[int]:
    """Each page's best candidate by its own labels (its default where it has no score)."""
    return [
        table.default[i] if np.isnan(row[0]) else int(np.argmax(row))
        for i, row in enumerate(table.f1)
    ]


def main(argv: list[str] | None = None) -> int:
    from bench import train_blocks
    from bench.chooser_card import write_card
    from bench.train_page_type import group_folds

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=OUT)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = train_blocks.load(args.data)
    pages = data.pages
    folds = group_folds([p["site"] for p in pages], block_folds.FOLDS).tolist()
    p = np.load(args.data / "oof.npy")[1]
    models = block_folds.saved_models(args.data)
    table = build_table(data, p, folds, models, args.data / "chooser_grid.pkl")
    run = nested(table, pages, folds)
    everyone = list(range(len(pages)))
    margin = max(MARGINS, key=lambda m: _objective(
        table, pages, everyone, picks(run.value, table.default, m)))  # fmt: skip
    report: dict[str, Any] = {
        "default": figures(table, pages, table.default),
        "chooser": figures(table, pages, run.chosen),
        "oracle": figures(table, pages, oracle(table)),
        "margins": run.margins,
        "margin": margin,
        "changed": sum(c != d for c, d in zip(run.chosen, table.default, strict=True)),
        "pages": len(pages),
        "seed": SEED,
    }
    print(json.dumps(report, indent=1))
    (args.data / "chooser_cv.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    if not args.no_export:
        final = train(table, pages, everyone)
        model = {
            **to_model(final, margin),
            "blocks_sha256": hashlib.sha256(BLOCKS_PATH.read_bytes()).hexdigest(),
        }
        CHOOSER_PATH.write_text(json.dumps(model), encoding="utf-8")
        write_card(model, final, table, report, CHOOSER_PATH)
    print(f"done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
