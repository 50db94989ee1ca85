"""Train the extraction-quality model, cross-validate it by site, ship it.

    python -m bench.train_quality     # after bench.train_blocks (`make train` runs all)

1. The target: each development page's score of the whole engine's body when the block model
   never saw the page's site, as `bench.train_blocks` measured it (`bench.engine_oof`: WCXB
   word F1, scrapinghub shingle F1; `TARGET_CORPORA` says why trafilatura-eval is left out).
2. The features: the engine runs again on every page with its fold's block model and an
   estimator that records the page's `Evidence` (`extractor.html.extraction_quality`). The
   page-type probabilities in it are replaced by those of a page-type model trained on the
   other folds, as they are on an unseen page (the shipped page-type model saw these pages).
3. Validation: the same folds by site; for each, the quality model is trained on the other
   folds' pages and predicts this fold's (nested: no page's own score trains its estimate).
   `bench.quality_figures` says how well the estimates predict the measured F1; the tables go
   to the card and to docs/benchmarks.md.
4. The shipped model is trained on every page and exported to `extractor/models/quality.json`
   (numpy-evaluated trees, and the hash of the block model it reads the scores of: a test
   fails when the block model changes without it) with its card `quality.md`.
   Deterministic: fixed seed, one thread.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from bench import engine_oof, train_page_type
from bench.block_dataset import OUT
from bench.dev_pages import development_pages
from bench.page_type_data import TRAINED_TYPES, features_of
from bench.quality_card import tables, write_model
from bench.quality_figures import BASELINE, baseline, figures
from bench.report import write_section
from bench.tree_export import export, reproducible
from extractor.html import extract_html
from extractor.html.extraction_quality import FEATURES as QUALITY_FEATURES
from extractor.html.extraction_quality import FORMAT, MODEL_PATH, Evidence, features
from extractor.html.main_blocks import MODEL_PATH as BLOCKS_PATH
from extractor.html.main_blocks import model_from_dict
from extractor.model import Article, Document
from shared.events import PageType

SEED = 1414
ROUNDS = 300
PARAMS: dict[str, Any] = {
    "objective": "cross_entropy",  # the target is an F1 in [0, 1]
    "learning_rate": 0.03,
    "num_leaves": 15,
    "max_depth": 6,
    "min_data_in_leaf": 30,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    **reproducible(SEED),
}
TARGET_CORPORA = ("scrapinghub", "wcxb")
"""Corpora whose page score is an F1 of the whole body. trafilatura-eval's per-page score is
the F1 of two to ten snippets: a page is 0, 0.5 or 1 more often than not, a coarse target
that says little of how much of the body was found; its pages are scored, not trained on."""

SECTION = """### Extraction quality: how well `extraction_quality` predicts the measured F1

Command: `python -m bench.train_quality` (run by `make train` after the block model). Each
page's estimate is made by the quality model of the folds that never saw its site, from the
engine run with the block model of those folds; the F1 is the page's score by its corpus's
metric (WCXB word F1, scrapinghub shingle F1, trafilatura-eval snippet F1). Rejected pages
have no estimate and are left out.

"""

Matrix = np.ndarray[Any, np.dtype[np.float32]]


class Recorder:
    """An estimator that keeps the page's features, with the page-type probabilities given."""

    def __init__(self, types: dict[PageType, float]) -> None:
        self.types = types
        self.row: list[float] | None = None
        self.seconds = 0.0  # computing the features, as the engine does

    def estimate(self, evidence: Evidence) -> float:
        start = time.perf_counter()
        self.row = features(dataclasses.replace(evidence, types=self.types))
        self.seconds = time.perf_counter() - start
        return 0.0


def page_type_oof(records: list[dict[str, Any]], rows: Matrix) -> Matrix:
    """Every page's page-type probabilities from a model trained on the other folds' typed
    pages (WCXB's and scrapinghub's, as `bench.train_page_type` trains it)."""
    kinds = np.array([r["type"] for r in records])
    folds = np.array([r["fold"] for r in records])
    typed = np.isin(kinds, TRAINED_TYPES)
    y = np.array([TRAINED_TYPES.index(k) if k in TRAINED_TYPES else -1 for k in kinds])
    out = np.zeros((len(records), len(TRAINED_TYPES)), dtype=np.float32)
    for k in sorted(set(folds.tolist())):
        held = folds == k
        booster = train_page_type.train(rows[typed & ~held].astype(np.float64), y[typed & ~held])
        out[held] = booster.predict(rows[held].astype(np.float64))
    return out


def engine_rows(
    records: list[dict[str, Any]], fold_models: list[dict[str, Any]], types: Matrix
) -> tuple[Matrix, Any, Any]:
    """Each page's quality features under its fold's block model (zeros for a page the
    engine rejects: it gets no estimate), whether it has them, and the seconds they took."""
    models = [model_from_dict(m) for m in fold_models]
    x = np.zeros((len(records), len(QUALITY_FEATURES)), dtype=np.float32)
    has = np.zeros(len(records), dtype=bool)
    seconds = np.zeros(len(records))
    for i, (record, dev) in enumerate(zip(records, development_pages(), strict=True)):
        if (record["corpus"], record["key"]) != (dev.corpus, dev.key):
            raise SystemExit("engine_oof.json is from other pages: run bench.train_blocks")
        recorder = Recorder(dict(zip(TRAINED_TYPES, map(float, types[i]), strict=True)))
        doc = Document(url=dev.url, body=dev.html)
        result = extract_html(doc, chooser=models[record["fold"]], quality=recorder)
        if isinstance(result, Article) and recorder.row is not None:
            x[i], has[i], seconds[i] = recorder.row, True, recorder.seconds
    return x, has, seconds


def train(x: Matrix, y: Any) -> lgb.Booster:
    names = [f.replace(" ", "_") for f in QUALITY_FEATURES]
    return lgb.train(PARAMS, lgb.Dataset(x, y, feature_name=names), num_boost_round=ROUNDS)


def cross_validate(x: Matrix, y: Any, folds: Any, target: Any, scored: Any) -> Any:
    """Each `scored` page's estimate by the quality model trained on the `target` pages of
    the other folds (NaN for the others)."""
    out = np.full(len(y), np.nan)
    for k in sorted(set(folds[scored].tolist())):
        held = folds == k
        out[held & scored] = train(x[target & ~held], y[target & ~held]).predict(x[held & scored])
    return out


def features_table(data: Path, reuse: bool) -> tuple[Matrix, Any, Any]:
    """The quality features of every page (kept in `data`/quality_rows.npz; `reuse` reads
    them back instead of running the engine again)."""
    records, fold_models = engine_oof.read(data)
    cache = data / "quality_rows.npz"
    if reuse and cache.exists():
        saved = np.load(cache)
        return saved["x"], saved["has"], saved["seconds"]
    started = time.perf_counter()
    type_rows = np.array(
        [features_of(d.url, d.html) for d in development_pages()], dtype=np.float32
    )
    print(f"  page-type features ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    x, has, seconds = engine_rows(records, fold_models, page_type_oof(records, type_rows))
    print(f"  quality features ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    np.savez(cache, x=x, has=has, seconds=seconds)
    return x, has, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=OUT)
    parser.add_argument("--no-export", action="store_true", help="do not write the model")
    parser.add_argument("--reuse", action="store_true", help="reuse the last run's features")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    records, _ = engine_oof.read(args.data)
    x, has, seconds = features_table(args.data, args.reuse)
    f1 = np.array([np.nan if r["f1"] is None else r["f1"] for r in records])
    corpus = np.array([r["corpus"] for r in records])
    folds = np.array([r["fold"] for r in records])
    scored = has & ~np.isnan(f1)
    target = scored & np.isin(corpus, TARGET_CORPORA)
    estimate = cross_validate(x, np.nan_to_num(f1), folds, target, scored)
    report = figures(records, f1, estimate, has)
    main = target & ~np.isnan(estimate)
    report["baseline"] = baseline(f1[main], x[main, QUALITY_FEATURES.index(BASELINE)])
    report["ms_features"] = 1000 * float(seconds[has].mean())
    report.update(folds=int(folds.max()) + 1, seed=SEED, trained_pages=int(target.sum()))
    (args.data / "quality_cv.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(report, indent=1))
    if not args.no_export:
        booster = train(x[target], f1[target])
        model = {
            "format": FORMAT,
            "blocks_sha256": hashlib.sha256(BLOCKS_PATH.read_bytes()).hexdigest(),
            "forest": export(booster.dump_model(), QUALITY_FEATURES),
        }
        write_model(model, booster, x[target], report, MODEL_PATH)
        write_section("extraction-quality", SECTION + tables(report))
    print(f"done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
