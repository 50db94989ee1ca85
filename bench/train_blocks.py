"""Train the main-content block model, cross-validate it by site, ship it.

    python -m bench.block_dataset     # first: the blocks, features and labels (.data/blocks)
    python -m bench.train_blocks      # `make train` runs both

1. Folds: every development page (three corpora at once) goes to one of `--folds` folds by
   site (`train_page_type.group_folds`), so no site is both trained on and scored.
2. For each fold, LightGBM is trained on the other folds' blocks and predicts this fold's.
   With `--second-stage`, a second model reads the block features and the first model's
   probabilities around each block (`block_context`); it learns from first-stage
   probabilities that are out-of-fold within the training folds (an inner cross-validation),
   as they will be on unseen pages.
3. The decision (smoothing, threshold) for a fold is the best on the other folds' pages,
   scored from those out-of-fold predictions: no page's own labels choose its threshold. Then,
   for each page type, the threshold for the pages of that type, as the page-type model
   guesses it (trained, for each fold, on the other folds: `page_type_cv`), chosen the same
   way (the smoothing stays the default's).
4. The cross-validated figure: the whole engine runs on each page with the model of the folds
   that never saw its site, scored by its corpus's metric, beside the rule engine on the same
   pages (in-sample: the rules were written against these pages). Each page's score and the
   fold models are kept (`bench.engine_oof`, `bench.block_folds`) for the extraction-quality
   model.
5. The shipped model is trained on all pages; its decision is the best over all out-of-fold
   predictions. It is exported to `extractor/models/blocks.json` (numpy-evaluated trees, no
   LightGBM at run time), with its card `blocks.md`. Deterministic: fixed seed, one thread.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from bench import block_cv, block_folds, engine_oof, train_chooser
from bench import train_page_type as page_type_training
from bench.block_dataset import OUT, page_slices
from bench.dev_pages import development_pages
from bench.page_type_data import TRAINED_TYPES
from bench.train_page_type import group_folds
from bench.tree_export import export, reproducible
from extractor import class_trees
from extractor.html import extract_html
from extractor.html.block_context import CONTEXT, context_features
from extractor.html.block_features import FEATURES
from extractor.html.main_blocks import FORMAT, MODEL_PATH, BlocksModel, model_from_dict
from extractor.html.page_features import FEATURES as PAGE_FEATURES
from extractor.html.page_type import from_forest
from extractor.model import Article, Document

SEED = 14
ROUNDS = 200
PARAMS: dict[str, Any] = {
    "objective": "cross_entropy",  # labels are shares in [0, 1]
    "learning_rate": 0.08,
    "num_leaves": 63,
    "max_depth": 10,  # bounds the steps the numpy evaluator takes
    "min_data_in_leaf": 40,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    **reproducible(SEED),
}
_PAGE_CAP = 50
"""A page weighs as much as its labelled blocks, up to this many (a page is a unit of every
corpus score; a snippet-labelled page has only a few labelled blocks)."""
CORPUS_WEIGHT = {"scrapinghub": 8.0, "trafilatura": 2.0, "wcxb": 1.0}
"""The two news-and-blog corpora are a sixth of the pages but what a news reader reads most:
their pages weigh more (chosen by the cross-validated figures)."""


Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(slots=True)
class Dataset:
    x: np.ndarray[Any, np.dtype[np.float32]]
    label: np.ndarray[Any, np.dtype[np.float32]]
    page: np.ndarray[Any, np.dtype[np.int32]]
    words: np.ndarray[Any, np.dtype[np.int32]]
    containers: np.ndarray[Any, np.dtype[np.int32]]
    pages: list[dict[str, Any]]
    type_rows: Floats  # the page-type model's features of each page

    def page_rows(self) -> list[slice]:
        return page_slices(self.page, len(self.pages))


def load(root: Path = OUT) -> Dataset:
    meta = np.load(root / "blocks.npz")
    if tuple(str(f) for f in meta["features"]) != FEATURES:
        raise SystemExit("the dataset has other features: run python -m bench.block_dataset")
    with (root / "pages.jsonl").open(encoding="utf-8") as lines:  # (texts hold U+2028)
        pages = [json.loads(line) for line in lines]
    x = np.load(root / "features.npy")
    type_rows = np.load(root / "page_features.npy")
    if type_rows.shape != (len(pages), len(PAGE_FEATURES)):
        raise SystemExit("the dataset has other page features: run python -m bench.block_dataset")
    return Dataset(
        x, meta["label"], meta["page"], meta["words"], meta["containers"], pages, type_rows
    )


def weights(data: Dataset) -> Floats:
    """Within a page, a block weighs the square root of its words; a page weighs as many
    labelled blocks as it has, up to `_PAGE_CAP`, times its corpus's weight. Unlabelled blocks
    weigh 0."""
    labelled = ~np.isnan(data.label)
    root = np.sqrt(np.minimum(data.words, 400).astype(np.float64)) * labelled
    n = len(data.pages)
    total = np.bincount(data.page, weights=root, minlength=n)
    count = np.bincount(data.page, weights=labelled.astype(np.float64), minlength=n)
    share = np.divide(root, total[data.page], out=np.zeros_like(root), where=root > 0)
    corpus = np.array([CORPUS_WEIGHT[p["corpus"]] for p in data.pages])
    out: Floats = share * (np.minimum(count, _PAGE_CAP) * corpus)[data.page]
    return out


Rows = np.ndarray[Any, np.dtype[np.bool_]]
SECOND = (*FEATURES, *CONTEXT)


def train(x: Any, data: Dataset, rows: Rows, w: Floats, names: tuple[str, ...]) -> lgb.Booster:
    use = rows & (w > 0)
    labels = [f.replace(" ", "_") for f in names]
    train_set = lgb.Dataset(x[use], data.label[use], weight=w[use], feature_name=labels)
    return lgb.train(PARAMS, train_set, num_boost_round=ROUNDS)


def with_context(data: Dataset, p: Floats) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The second stage's rows: the block features and their context under probabilities `p`
    (float32, as LightGBM reads them and as `main_blocks` rounds them at run time)."""
    x = data.x.astype(np.float64)
    parts = [
        context_features(x[rows], data.containers[rows].astype(np.int64), p[rows])
        for rows in data.page_rows()
    ]
    context = np.concatenate(parts) if parts else np.zeros((0, len(CONTEXT)))
    return np.hstack((data.x, context.astype(np.float32)))


@dataclass(slots=True)
class Stages:
    first: lgb.Booster
    second: lgb.Booster | None = None


def fit(data: Dataset, rows: Rows, w: Floats, block_fold: Any, inner: list[int]) -> Stages:
    """The first stage on `rows`; with `inner` folds, the second too, on first-stage
    probabilities predicted, fold by fold of `inner`, by a first stage that never saw it."""
    first = train(data.x, data, rows, w, FEATURES)
    if not inner:
        return Stages(first)
    p = np.zeros(len(data.label))
    for j in inner:
        held = rows & (block_fold == j)
        p[held] = train(data.x, data, rows & ~held, w, FEATURES).predict(data.x[held])
    return Stages(first, train(with_context(data, p), data, rows, w, SECOND))


Decision = tuple[float, float]


@dataclass(slots=True)
class Decisions:
    """(smoothing, threshold) by default and for the pages of each (guessed) page type."""

    default: Decision
    by_type: dict[str, Decision]

    def of(self, kind: str) -> Decision:
        return self.by_type.get(kind, self.default)

    def as_dict(self) -> dict[str, Any]:
        def one(d: Decision) -> dict[str, float]:
            return {"smoothing": d[0], "threshold": d[1]}

        return {**one(self.default), "by_type": {k: one(d) for k, d in self.by_type.items()}}


def to_model(stages: Stages, decision: Decisions) -> dict[str, Any]:
    model = {
        "format": FORMAT,
        "first": export(stages.first.dump_model(), FEATURES),
        "decision": decision.as_dict(),
    }
    if stages.second is not None:
        model["second"] = export(stages.second.dump_model(), SECOND)
    return model


@dataclass(slots=True)
class OutOfFold:
    """Cross-validated probabilities of every block, and the models that made them."""

    fitted: list[Stages]
    first: Floats
    final: Floats  # the second stage's where there is one, else the first's
    second_rows: Any = None


def cross_validate(data: Dataset, block_fold: Any, folds: int, second_stage: bool) -> OutOfFold:
    w = weights(data)
    started = time.perf_counter()
    first = np.zeros(len(data.label))
    fitted = []
    for k in range(folds):
        held = block_fold == k
        inner = [j for j in range(folds) if j != k] if second_stage else []
        stages = fit(data, ~held, w, block_fold, inner)
        first[held] = stages.first.predict(data.x[held])
        fitted.append(stages)
        print(f"  fold {k}: trained ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if not second_stage:
        return OutOfFold(fitted, first, first)
    second_rows, final = with_context(data, first), np.zeros(len(data.label))
    for k, stages in enumerate(fitted):
        held = block_fold == k
        final[held] = stages.second.predict(second_rows[held]) if stages.second else 0.0
    return OutOfFold(fitted, first, final, second_rows)


@dataclass(slots=True)
class EngineRun:
    rules: list[block_cv.PageResult]
    model: list[block_cv.PageResult]
    rules_seconds: float = 0.0
    model_seconds: float = 0.0


def page_type_cv(data: Dataset, folds: list[int]) -> tuple[list[str], list[dict[str, Any]]]:
    """Each page's type as guessed by a page-type model trained on the other folds' typed
    pages (WCXB, scrapinghub), and those models (each fold's block model carries its own, for
    the whole engine's run and the models trained after it)."""
    known = {t: i for i, t in enumerate(TRAINED_TYPES)}
    y = np.array([known.get(p["type"], -1) for p in data.pages])
    guessed: list[str] = [""] * len(data.pages)
    models = []
    for k in range(max(folds) + 1):
        use = (np.array(folds) != k) & (y >= 0)
        model = page_type_training.export(page_type_training.train(data.type_rows[use], y[use]))
        reader = from_forest(class_trees.from_dict(model))
        for i in np.flatnonzero(np.array(folds) == k):
            guessed[i] = reader.predict(data.type_rows[i].tolist())
        models.append(model)
    return guessed, models


def engine_cv(
    pages: list[dict[str, Any]], folds: list[int], models: list[BlocksModel]
) -> EngineRun:
    """The whole engine on every page, with the model of the folds that never saw its site,
    and the rules alone (both timed, interleaved page by page)."""
    run = EngineRun([], [])
    for index, dev in enumerate(development_pages()):
        doc = Document(url=dev.url, body=dev.html)
        for name in ("rules", "model"):
            chooser = models[folds[index]] if name == "model" else None
            start = time.perf_counter()
            result = extract_html(doc, chooser=chooser)
            seconds = time.perf_counter() - start
            text = result.text if isinstance(result, Article) else ""
            getattr(run, name).append(block_cv.score_text(pages[index], text))
            setattr(run, f"{name}_seconds", getattr(run, f"{name}_seconds") + seconds)
    return run


@dataclass(slots=True)
class Decided:
    """Each fold's decisions (chosen on the other folds), the page scores under them, with
    the default decision alone too, and the decisions chosen on every page (shipped)."""

    folds: list[Decisions]
    results: list[block_cv.PageResult]
    default_results: list[block_cv.PageResult]
    final: Decisions


def decide_folds(
    data: Dataset, folds: list[int], oof: OutOfFold
) -> tuple[list[str], Decided, list[dict[str, Any]]]:
    """The pages' out-of-fold page types, the decisions, and each fold's exported model (with
    its fold's page-type forest and decision chooser, `bench.train_chooser`): what the engine
    runs with on the pages of that fold."""
    kinds, type_models = page_type_cv(data, folds)
    decided = decide(data.pages, folds, oof.final, data.page_rows(), kinds)
    models = [
        {**to_model(f, d), "page_types": types}
        for f, d, types in zip(oof.fitted, decided.folds, type_models, strict=True)
    ]
    return kinds, decided, train_chooser.attach(data, folds, oof.final, models)


def decide(
    pages: list[dict[str, Any]], folds: list[int], p: Floats, rows: list[slice], kinds: list[str]
) -> Decided:
    grid = block_cv.decision_grid(pages, [p[r] for r in rows])

    def chosen(among: list[int]) -> Decisions:
        default = block_cv.best_decision(pages, grid, among)
        # a type moves only its threshold: choosing its smoothing too flattered the other
        # folds and cost the held-out ones (product pages most)
        same = {key: results for key, results in grid.items() if key[0] == default[0]}
        return Decisions(default, block_cv.best_by_type(pages, same, among, kinds, default))

    everyone = list(range(len(pages)))
    decisions = [chosen([i for i in everyone if folds[i] != k]) for k in range(max(folds) + 1)]
    return Decided(
        decisions,
        [grid[decisions[folds[i]].of(kinds[i])][i] for i in everyone],
        [grid[decisions[folds[i]].default][i] for i in everyone],
        chosen(everyone),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=OUT)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--second-stage", action="store_true", help="train the context stage")
    parser.add_argument("--no-engine", action="store_true", help="skip the whole-engine pass")
    parser.add_argument("--no-export", action="store_true", help="do not write the model")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    digest = block_folds.digest_of(args.data, args.folds, args.second_stage)
    data = load(args.data)
    pages, rows = data.pages, data.page_rows()
    folds = group_folds([p["site"] for p in pages], args.folds).tolist()
    block_fold = np.array(folds)[data.page]
    oof = cross_validate(data, block_fold, args.folds, args.second_stage)
    np.save(args.data / "oof.npy", np.stack((oof.first, oof.final)))
    kinds, decided, fold_models = decide_folds(data, folds, oof)
    (args.data / "page_types.json").write_text(json.dumps(kinds), encoding="utf-8")
    report: dict[str, Any] = {
        "decisions": [d.default for d in decided.folds],
        "decisions_by_type": [d.by_type for d in decided.folds],
        "folds": args.folds,
        "seed": SEED,
    }
    report["cv_blocks"] = block_cv.figures(pages, decided.results)
    report["cv_blocks_one_decision"] = block_cv.figures(pages, decided.default_results)
    block_folds.save(args.data, pages, folds, fold_models, digest)  # for bench.extraction
    if args.second_stage:
        report["cv_blocks_first_stage"] = block_cv.figures(
            pages, decide(pages, folds, oof.first, rows, kinds).results
        )
    rules = [block_cv.score_text(p, p["rules_text"]) for p in pages]
    report["rules_recorded"] = block_cv.figures(pages, rules)
    if not args.no_engine:
        run = engine_cv(pages, folds, [model_from_dict(m) for m in fold_models])
        engine_oof.write(args.data, pages, folds, run.model)
        report["cv_engine"] = block_cv.figures(pages, run.model)
        report["rules_engine"] = block_cv.figures(pages, run.rules)
        report["ms_per_page"] = {
            "rules": 1000 * run.rules_seconds / len(pages),
            "model": 1000 * run.model_seconds / len(pages),
        }
    report["final_decision"] = decided.final.default
    report["final_decision_by_type"] = decided.final.by_type
    print(json.dumps(report, indent=1))
    (args.data / "cv.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    if not args.no_export:
        export_final(data, oof, decided.final, report)
    print(f"done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


def export_final(
    data: Dataset, oof: OutOfFold, decision: Decisions, report: dict[str, Any]
) -> None:
    """The shipped model: trained on every page, its second stage (if any) on the out-of-fold
    first-stage probabilities; written with its card."""
    from bench.model_card import write_model

    w, everything = weights(data), np.ones(len(data.label), bool)
    final = Stages(train(data.x, data, everything, w, FEATURES))
    if oof.second_rows is not None:
        final.second = train(oof.second_rows, data, everything, w, SECOND)
    write_model(to_model(final, decision), final, data, oof.second_rows, report, MODEL_PATH)


if __name__ == "__main__":
    sys.exit(main())
