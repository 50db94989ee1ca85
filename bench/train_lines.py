"""Train the text engine's line model, cross-validate it by site, ship it.

    python -m bench.line_dataset      # first: the dumps' lines, features and labels
    python -m bench.train_lines       # `make train` runs both

1. Folds: every development dump (WCXB dev's Chromium dumps and the dump maker's of the three
   corpora) goes to one of five folds by registrable site (`train_page_type.group_folds`): the
   two dumps of a WCXB page, and every page of a site, share a fold.
2. For each fold, LightGBM (cross-entropy on the n-gram shares) is trained on the other folds'
   lines and predicts this fold's: out-of-fold probabilities for every line.
3. The page-type forest reads statistics of a dump's lines and of those probabilities
   (`line_model.page_rows`); for each fold it is trained on the other folds' pages (WCXB's
   types, scrapinghub's articles).
4. The decision (smoothing, threshold) for a fold is the best, by mean word F1 of the chosen
   lines against the gold, over the other folds' pages; then for each guessed page type, the
   best over the other folds' pages guessed that type. No page's own labels choose its decision.
5. Fold models are saved (`.data/lines/folds/`, with each page's fold) for the benchmark
   (`bench.text_dumps` scores each page with the model that never saw its site). The shipped
   model is trained on all pages, its decision the best over all out-of-fold predictions; it is
   written to `extractor/models/text_lines.json` with its card `text_lines.md`. Deterministic:
   fixed seed, one thread.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from bench import fingerprint
from bench.block_dataset import _TOKEN, page_slices
from bench.line_dataset import FOLDS_DIR, OUT, STAMP
from bench.page_type_data import TRAINED_TYPES
from bench.train_page_type import group_folds
from bench.tree_export import export, flatten, reproducible
from extractor import class_trees
from extractor.class_trees import probability, smooth
from extractor.text.line_features import FEATURES
from extractor.text.line_model import (
    FORMAT,
    MODEL_PATH,
    PAGE_FEATURES,
    model_from_dict,
    page_rows,
)
from extractor.text.lines import split_lines

SEED = 15
FOLDS = 5
ROUNDS = 80
PARAMS: dict[str, Any] = {
    "objective": "cross_entropy",  # labels are shares in [0, 1]
    "learning_rate": 0.1,
    "num_leaves": 31,
    "max_depth": 8,  # bounds the steps the numpy evaluator takes (time a dump)
    "min_data_in_leaf": 100,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.5,
    "max_bin": 63,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    **reproducible(SEED),
}
TYPE_ROUNDS = 80
TYPE_PARAMS: dict[str, Any] = {
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
CORPUS_WEIGHT = {"wcxb-chromium": 1.0, "wcxb": 0.0, "scrapinghub": 2.0, "trafilatura": 1.0}
"""Browser dumps are what arrives. The dump maker's WCXB dumps repeat the pages of the Chromium
ones and are left out of training (weight 0; the benchmark still scores them)."""
_PAGE_CAP = 100  # a page weighs as many labelled lines as it has, up to this many
SMOOTHINGS = (0.0, 0.2, 0.4)
THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(12))
GRID = [(s, t) for s in SMOOTHINGS for t in THRESHOLDS]
MIN_TYPE_PAGES = 30  # a page type gets its own decision only with this many pages to choose on
PARITY_TOLERANCE = 1e-9
FOLDS_INPUTS = ("bench.train_lines",)
"""The fold models' inputs (`bench.fingerprint`), recorded beside them for reuse."""
CARD = MODEL_PATH.with_suffix(".md")

Floats = npt.NDArray[np.float64]


@dataclass(slots=True)
class Dataset:
    x: npt.NDArray[np.float32]
    label: npt.NDArray[np.float32]
    page: npt.NDArray[np.int32]
    words: npt.NDArray[np.int32]
    pages: list[dict[str, Any]]

    def bounds(self) -> list[slice]:
        return page_slices(self.page, len(self.pages))


def load(root: Path = OUT) -> Dataset:
    meta = np.load(root / "lines.npz")
    if tuple(str(f) for f in meta["features"]) != FEATURES:
        raise SystemExit("the dataset has other features: run python -m bench.line_dataset")
    with (root / "pages.jsonl").open(encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines]
    x = np.load(root / "features.npy")
    return Dataset(x, meta["label"], meta["page"], meta["words"], pages)


def weights(data: Dataset) -> Floats:
    """Within a page a line weighs the square root of its words; a page weighs its labelled
    lines, up to `_PAGE_CAP`, times its corpus's weight. Unlabelled lines weigh 0."""
    labelled = ~np.isnan(data.label)
    root = np.sqrt(np.minimum(data.words, 400).astype(np.float64)) * labelled
    n = len(data.pages)
    total = np.bincount(data.page, weights=root, minlength=n)
    count = np.bincount(data.page, weights=labelled.astype(np.float64), minlength=n)
    share = np.divide(root, total[data.page], out=np.zeros_like(root), where=root > 0)
    corpus = np.array([CORPUS_WEIGHT[p["corpus"]] for p in data.pages])
    out: Floats = share * (np.minimum(count, _PAGE_CAP) * corpus)[data.page]
    return out


def train_lines(data: Dataset, rows: npt.NDArray[np.bool_], w: Floats) -> lgb.Booster:
    use = rows & (w > 0)
    names = [f.replace(" ", "_") for f in FEATURES]
    train_set = lgb.Dataset(data.x[use], data.label[use], weight=w[use], feature_name=names)
    return lgb.train(PARAMS, train_set, num_boost_round=ROUNDS)


# --- page types --------------------------------------------------------------------------


def type_rows(data: Dataset, p: Floats) -> Floats:
    x = data.x.astype(np.float64)
    words = data.words.astype(np.float64)
    out = np.zeros((len(data.pages), len(PAGE_FEATURES)))
    for i, s in enumerate(data.bounds()):
        if s.stop > s.start:
            out[i] = page_rows(x[s], p[s], words[s])[0]
    return out


def type_labels(data: Dataset) -> npt.NDArray[np.int64]:
    """Each page's type as an index into TRAINED_TYPES, -1 where the corpus has none."""
    return np.array(
        [TRAINED_TYPES.index(p["type"]) if p["type"] in TRAINED_TYPES else -1 for p in data.pages]
    )


def train_types(x: Floats, y: npt.NDArray[np.int64], rows: npt.NDArray[np.bool_]) -> lgb.Booster:
    use = rows & (y >= 0)
    train_set = lgb.Dataset(x[use], y[use], feature_name=list(PAGE_FEATURES))
    return lgb.train(TYPE_PARAMS, train_set, num_boost_round=TYPE_ROUNDS)


def export_types(booster: lgb.Booster) -> dict[str, Any]:
    return {
        "format": class_trees.FORMAT,
        "features": list(PAGE_FEATURES),
        "classes": list(TRAINED_TYPES),
        "trees": [flatten(info["tree_structure"]) for info in booster.dump_model()["tree_info"]],
    }


# --- the decision: word F1 of the chosen lines, for every (smoothing, threshold) ----------


def _page_grid(tokens: list[Counter[str]], gold: Counter[str], p: Floats, fallback: Any) -> Floats:
    """A page's word F1 under each decision of GRID (the rules' run when nothing is chosen)."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    for i, counts in enumerate(tokens):
        for token, k in counts.items():
            rows.append(i)
            cols.append(vocab.setdefault(token, len(vocab)))
            vals.append(k)
    g = np.zeros(len(vocab) + 1)  # gold tokens no line has all land in the last column
    for token, k in gold.items():
        g[vocab.get(token, len(vocab))] += k
    line_of, column, count = np.array(rows), np.array(cols, dtype=np.int64), np.array(vals)
    total = g.sum()
    out = np.zeros(len(GRID))
    for j, (s, t) in enumerate(GRID):
        mask = smooth(p, s) >= t
        if not mask.any():
            mask = fallback
        taken = mask[line_of] if len(line_of) else np.zeros(0, dtype=bool)
        chosen = np.bincount(column[taken], weights=count[taken], minlength=len(g))
        overlap, size = np.minimum(chosen, g).sum(), chosen.sum()
        if not total:
            out[j] = 1.0 if not size else 0.0
        elif overlap:
            precision, recall = overlap / size, overlap / total
            out[j] = 2 * precision * recall / (precision + recall)
    return out


def grid_scores(data: Dataset, p: Floats) -> Floats:
    """Each gold-labelled page's F1 under each decision (NaN rows for snippet pages)."""
    in_region = data.x[:, FEATURES.index("in_region")] > 0
    out = np.full((len(data.pages), len(GRID)), np.nan)
    for i, (page, s) in enumerate(zip(data.pages, data.bounds(), strict=True)):
        if page["gold"] is None or s.stop == s.start or not CORPUS_WEIGHT[page["corpus"]]:
            continue
        lines = split_lines(page["dump"])
        if len(lines) != s.stop - s.start:
            raise SystemExit("the dataset's lines differ from split_lines: rebuild it")
        tokens = [Counter(_TOKEN.findall(line.text.lower())) for line in lines]
        gold = Counter(_TOKEN.findall(page["gold"].lower()))
        out[i] = _page_grid(tokens, gold, p[s], in_region[s])
    return out


Decision = tuple[float, float]


def best(scores: Floats, rows: npt.NDArray[np.bool_]) -> Decision:
    mean = np.nanmean(scores[rows], axis=0) if rows.any() else np.zeros(len(GRID))
    return GRID[int(np.nanargmax(mean))]


def decisions(scores: Floats, kinds: list[str], rows: npt.NDArray[np.bool_]) -> dict[str, Any]:
    """The default decision and one per guessed type, chosen on `rows`' pages."""
    labelled = rows & ~np.isnan(scores[:, 0])
    default = best(scores, labelled)
    by_type = {}
    for kind in sorted(set(kinds)):
        mine = labelled & np.array([k == kind for k in kinds])
        if mine.sum() >= MIN_TYPE_PAGES:
            by_type[kind] = best(scores, mine)

    def one(d: Decision) -> dict[str, float]:
        return {"smoothing": d[0], "threshold": d[1]}

    return {**one(default), "by_type": {k: one(d) for k, d in by_type.items()}}


# --- the whole run -----------------------------------------------------------------------


def model_dict(lines: lgb.Booster, types: lgb.Booster, decision: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "lines": export(lines.dump_model(), FEATURES),
        "page_type": export_types(types),
        "decision": decision,
    }


def parity(model: dict[str, Any], booster: lgb.Booster, x: npt.NDArray[np.float32]) -> float:
    sample = x[:: max(1, len(x) // 20_000)]
    mine = probability(class_trees.from_dict(model["lines"]), sample.astype(np.float64))
    return float(np.abs(mine - booster.predict(sample)).max())


def kinds_of(types: list[lgb.Booster | None], folds: Any, x: Floats) -> list[str]:
    out: list[str] = []
    for i, fold in enumerate(folds):
        booster = types[fold]
        probs = booster.predict(x[i : i + 1])[0] if booster is not None else None
        out.append(TRAINED_TYPES[int(np.argmax(probs))] if probs is not None else "")
    return out


@dataclass(slots=True)
class OutOfFold:
    """What cross-validation leaves: each page's fold, the fold models, and the out-of-fold
    page-type rows, guessed types and decision scores the shipped decision is chosen from."""

    page_fold: npt.NDArray[np.int64]
    boosters: list[lgb.Booster]
    types: list[lgb.Booster]
    type_x: Floats
    type_y: npt.NDArray[np.int64]
    kinds: list[str]
    scores: Floats


def cross_validate(data: Dataset, w: Floats) -> OutOfFold:
    page_fold = group_folds([p["site"] for p in data.pages], FOLDS)
    line_fold = page_fold[data.page]
    p = np.zeros(len(data.label))
    boosters = []
    for k in range(FOLDS):
        started = time.perf_counter()
        booster = train_lines(data, line_fold != k, w)
        held = line_fold == k
        p[held] = booster.predict(data.x[held])
        boosters.append(booster)
        print(f"  fold {k}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    tx, ty = type_rows(data, p), type_labels(data)
    types = [train_types(tx, ty, page_fold != k) for k in range(FOLDS)]
    kinds = kinds_of(list(types), page_fold, tx)
    return OutOfFold(page_fold, boosters, types, tx, ty, kinds, grid_scores(data, p))


def save_folds(data: Dataset, oof: OutOfFold) -> None:
    """The fold models and each page's fold, for the benchmark and the gate."""
    FOLDS_DIR.mkdir(parents=True, exist_ok=True)
    for k in range(FOLDS):
        decision = decisions(oof.scores, oof.kinds, oof.page_fold != k)
        model = model_dict(oof.boosters[k], oof.types[k], decision)
        model_from_dict(model)
        (FOLDS_DIR / f"fold{k}.json").write_text(json.dumps(model), encoding="utf-8")
    folds_of = {
        f"{p['corpus']}/{p['key']}": int(f) for p, f in zip(data.pages, oof.page_fold, strict=True)
    }
    (FOLDS_DIR / "pages.json").write_text(json.dumps(folds_of), encoding="utf-8")


def summary(data: Dataset, oof: OutOfFold) -> dict[str, Any]:
    typed = oof.type_y >= 0
    guessed = np.array(oof.kinds)[typed]
    truth = np.array(TRAINED_TYPES)[oof.type_y[typed]]
    labelled = ~np.isnan(oof.scores[:, 0])
    return {
        "lines": len(data.label),
        "pages": len(data.pages),
        "oof_type_accuracy": float(np.mean(guessed == truth)),
        "oof_decision_f1": float(np.nanmean(oof.scores[:, GRID.index(best(oof.scores, labelled))])),
    }


def ship(data: Dataset, w: Floats, oof: OutOfFold) -> dict[str, Any]:
    """Train on every page, check the export, write the model file; its decision."""
    final = train_lines(data, np.ones(len(data.label), dtype=bool), w)
    final_types = train_types(oof.type_x, oof.type_y, np.ones(len(data.pages), dtype=bool))
    decision = decisions(oof.scores, oof.kinds, np.ones(len(data.pages), dtype=bool))
    model = model_dict(final, final_types, decision)
    gap = parity(model, final, data.x)
    if gap > PARITY_TOLERANCE:
        raise SystemExit(f"the exported trees differ from LightGBM by {gap:g}")
    model_from_dict(model)
    MODEL_PATH.write_text(json.dumps(model), encoding="utf-8")
    return {"decision": decision, "parity": gap}


def run(data: Dataset, write: bool) -> dict[str, Any]:
    """Cross-validate (fold models saved); with `write`, ship the model trained on all."""
    inputs = fingerprint.digest(FOLDS_INPUTS, {"limit": 0})
    w = weights(data)
    oof = cross_validate(data, w)
    save_folds(data, oof)
    fingerprint.record(FOLDS_DIR / STAMP, inputs)
    found = summary(data, oof)
    if write:
        found |= ship(data, w, oof)
    return found


def _oof_line(found: dict[str, Any]) -> str:
    if "oof_type_accuracy" not in found:
        return ""
    return (
        "- **Out of fold** (five folds grouped by site): page-type accuracy of the type forest "
        f"{found['oof_type_accuracy']:.3f}; mean word F1 of the chosen lines "
        f"{found['oof_decision_f1']:.3f}.\n"
    )


def write_card(found: dict[str, Any], cv: dict[str, float]) -> None:
    """The model card beside the model: what it reads, its data, settings and figures."""
    decision = found.get("decision", {})
    by_type = ", ".join(
        f"{kind} {d['smoothing']}/{d['threshold']}"
        for kind, d in decision.get("by_type", {}).items()
    )
    figures = "\n".join(f"| {name} | {value:.3f} |" for name, value in cv.items())
    CARD.write_text(
        f"""# Text line model (`text_lines.json`)

Written by `python -m bench.train_lines` (after `python -m bench.line_dataset`); method in
docs/extraction.md, "Plain-text dumps".

- **Reads**: {len(FEATURES)} features a line (`extractor.text.line_features.FEATURES`); the
  page-type forest {len(PAGE_FEATURES)} features a dump (`line_model.PAGE_FEATURES`).
- **Data**: {found["pages"]} development dumps, {found["lines"]} lines: WCXB dev's real-Chromium
  dumps and the dump maker's dumps of scrapinghub, trafilatura-eval and WCXB dev (the last
  scored, not trained on). Labels: each line's share of token n-grams in the gold main content.
- **Training**: LightGBM cross-entropy, {ROUNDS} rounds, {PARAMS["num_leaves"]} leaves, depth
  {PARAMS["max_depth"]}, seed {SEED}, one thread, deterministic; page types: multiclass,
  {TYPE_ROUNDS} rounds. The exported trees reproduce LightGBM's probabilities
  within {PARITY_TOLERANCE:g} (the command stops otherwise).
- **Decision**: smoothing {decision.get("smoothing")}, threshold {decision.get("threshold")};
  per guessed page type (smoothing/threshold): {by_type or "none"}.
{_oof_line(found)}
Cross-validated, the whole engine on WCXB dev's Chromium dumps (each dump read with the fold
model that never saw its site; WCXB word F1; the last row is the share of dumps typed as WCXB
types them):

| pages | F1 |
|---|---|
{figures}
""",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    parser.add_argument("--data", type=Path, default=OUT, help="the dataset's directory")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    found = run(load(args.data), not args.no_write)
    from bench import text_cv

    cv = text_cv.figures(*text_cv.ensure(reuse=True))
    found["cross_validated"] = cv
    if not args.no_write:
        write_card(found, cv)
    found["seconds"] = round(time.perf_counter() - started)
    print(json.dumps(found, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
