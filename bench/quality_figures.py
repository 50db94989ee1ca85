"""How well the extraction-quality estimates predict the measured F1: correlations, error,
and what a consumer that routes doubtful pages elsewhere would see.

The figures are over the pages the quality model is trained on (WCXB word F1, scrapinghub
shingle F1), each estimate made by the model of the folds that never saw the page's site;
trafilatura-eval's pages (snippet F1, a coarse target) are reported on their own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from bench.wcxb import PAGE_TYPES

Floats = npt.NDArray[np.float64]
ROUTING = (0.5, 0.7, 0.8)
"""Estimates under which a consumer would send the page elsewhere."""
DOUBTFUL = 0.8
"""A page extracted with F1 under this is one a consumer would want to find."""
BASELINE = "kept_score_mean"
"""The one feature that predicts the F1 best alone: what the model adds is measured on it."""


def ranks(values: Floats) -> Floats:
    """Ranks from 1, ties sharing their mean rank."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    out = np.empty(len(values))
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or sorted_values[end] != sorted_values[start]:
            out[order[start:end]] = (start + end + 1) / 2
            start = end
    return out


def pearson(a: Floats, b: Floats) -> float:
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def spearman(a: Floats, b: Floats) -> float:
    return pearson(ranks(a), ranks(b))


def auc(positive: npt.NDArray[np.bool_], score: Floats) -> float:
    """The chance that a positive page scores above a negative one (ties count half)."""
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if not n_pos or not n_neg:
        return 0.5
    r = ranks(score)
    return float((r[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def agreement(f1: Floats, estimate: Floats) -> dict[str, float]:
    return {
        "pages": len(f1),
        "spearman": spearman(estimate, f1),
        "pearson": pearson(estimate, f1),
        "mae": float(np.abs(estimate - f1).mean()) if len(f1) else 0.0,
        "mean_f1": float(f1.mean()) if len(f1) else 0.0,
        "mean_estimate": float(estimate.mean()) if len(f1) else 0.0,
    }


def routing(f1: Floats, estimate: Floats) -> list[dict[str, float]]:
    """For each threshold: the share of pages routed away (estimate under it) and the mean F1
    of the pages kept and of those routed."""
    rows = []
    for t in ROUTING:
        away = estimate < t
        rows.append({
            "threshold": t,
            "routed": float(away.mean()),
            "kept_f1": float(f1[~away].mean()) if (~away).any() else 0.0,
            "routed_f1": float(f1[away].mean()) if away.any() else 0.0,
            "doubtful_found": float(away[f1 < DOUBTFUL].mean()) if (f1 < DOUBTFUL).any() else 0.0,
        })  # fmt: skip
    return rows


def figures(
    records: list[dict[str, Any]], f1: Floats, estimate: Floats, has: npt.NDArray[np.bool_]
) -> dict[str, Any]:
    """Everything the card and the benchmarks show, from the cross-validated estimates."""
    corpus = np.array([r["corpus"] for r in records])
    kind = np.array([r["type"] for r in records])
    known = has & ~np.isnan(f1) & ~np.isnan(estimate)
    main = known & (corpus != "trafilatura")
    out: dict[str, Any] = {"all": agreement(f1[main], estimate[main])}
    out["all"]["auc_doubtful"] = auc(f1[main] < DOUBTFUL, -estimate[main])
    out["all"]["doubtful_share"] = float((f1[main] < DOUBTFUL).mean())
    out["no_estimate"] = int((~has).sum())
    out["routing"] = routing(f1[main], estimate[main])
    for name in ("scrapinghub", "wcxb", "trafilatura"):
        mask = known & (corpus == name)
        out[name] = agreement(f1[mask], estimate[mask])
    for t in PAGE_TYPES:
        mask = main & (corpus == "wcxb") & (kind == t)
        out[f"wcxb {t}"] = agreement(f1[mask], estimate[mask])
    return out


def baseline(f1: Floats, score: Floats) -> dict[str, float]:
    """How well one feature alone ranks the pages (it is no estimate of F1: no error)."""
    score = score.astype(np.float64)
    return {
        "spearman": spearman(score, f1),
        "pearson": pearson(score, f1),
        "auc_doubtful": auc(f1 < DOUBTFUL, -score),
    }
