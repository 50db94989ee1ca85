"""Write the shipped extraction-quality model and its card (`extractor/models/quality.md`)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.quality_figures import BASELINE, DOUBTFUL
from bench.wcxb import PAGE_TYPES
from extractor.class_trees import from_dict, probability
from extractor.html.extraction_quality import FEATURES

if TYPE_CHECKING:
    import lightgbm as lgb

_ROWS = ["all", "scrapinghub", "wcxb", *(f"wcxb {t}" for t in PAGE_TYPES)]


def agreement_table(report: dict[str, Any]) -> str:
    lines = [
        "| pages | n | Spearman | Pearson | MAE | mean F1 | mean estimate |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in [*_ROWS, "trafilatura"]:
        a = report[row]
        name = "trafilatura-eval (snippet F1, not trained on)" if row == "trafilatura" else row
        lines.append(
            f"| {name} | {a['pages']} | {a['spearman']:.3f} | {a['pearson']:.3f} | "
            f"{a['mae']:.3f} | {a['mean_f1']:.3f} | {a['mean_estimate']:.3f} |"
        )
    return "\n".join(lines)


def routing_table(report: dict[str, Any]) -> str:
    lines = [
        "| route away when the estimate is under | pages routed | mean F1 kept | "
        f"mean F1 routed | pages with F1 < {DOUBTFUL} routed |",
        "|---|---|---|---|---|",
    ]
    for r in report["routing"]:
        lines.append(
            f"| {r['threshold']} | {r['routed']:.1%} | {r['kept_f1']:.3f} | "
            f"{r['routed_f1']:.3f} | {r['doubtful_found']:.1%} |"
        )
    return "\n".join(lines)


def tables(report: dict[str, Any]) -> str:
    """The cross-validated figures, as the card and docs/extraction.md show them."""
    a, b = report["all"], report["baseline"]
    return f"""{agreement_table(report)}

Finding the pages extracted with F1 under {DOUBTFUL} ({a["doubtful_share"]:.1%} of them): AUC
**{a["auc_doubtful"]:.3f}**. The block model's mean score of the kept blocks alone
(`{BASELINE}`) ranks the pages almost as well (Spearman {b["spearman"]:.3f}, Pearson
{b["pearson"]:.3f}, AUC {b["auc_doubtful"]:.3f}); the model adds the other evidence and puts
the estimate on the F1's scale. Routing (WCXB and scrapinghub pages, each estimate
cross-validated):

{routing_table(report)}"""


def ms_trees(model: dict[str, Any], x: np.ndarray[Any, Any]) -> float:
    """Mean cost of the trees on one page's row, as the engine calls them."""
    forest, rows = from_dict(model["forest"]), x[:: max(1, len(x) // 200)].astype(np.float64)
    start = time.perf_counter()
    for row in rows:
        probability(forest, row[None, :])
    return 1000 * (time.perf_counter() - start) / len(rows)


def write_model(
    model: dict[str, Any],
    booster: lgb.Booster,
    x: np.ndarray[Any, Any],
    report: dict[str, Any],
    path: Path,
) -> None:
    """The model file, checked against LightGBM, and its card beside it."""
    from bench.train_quality import PARAMS, ROUNDS, SEED, TARGET_CORPORA

    found = probability(from_dict(model["forest"]), x.astype(np.float64))
    difference = float(np.abs(found - booster.predict(x)).max())
    if difference > 1e-9:
        raise SystemExit(f"the exported trees differ from LightGBM by {difference}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    card = f"""# Extraction-quality model (`quality.json`)

Written by `make train` (`python -m bench.train_quality`, after `bench.train_blocks`); do not
edit by hand. The method is in docs/extraction.md ("How well the body was extracted").

- **Decides**: `extraction_quality` of a page the HTML engine publishes with the learned body:
  the expected F1 of its body against the page's main content, in [0, 1], two decimals.
- **Target**: the F1 of the whole engine's body on each development page, the block model
  trained on the folds without the page's site ({", ".join(TARGET_CORPORA)}: WCXB word F1,
  scrapinghub shingle F1; trafilatura-eval's per-page snippet F1 is too coarse to train on
  and is reported apart). {report["trained_pages"]} pages; the {report["no_estimate"]} pages
  the engine rejects get no estimate.
- **Trees**: LightGBM {ROUNDS} rounds, objective `{PARAMS["objective"]}`, {
        PARAMS["num_leaves"]
    } leaves, depth at
  most {PARAMS["max_depth"]}, learning rate {PARAMS["learning_rate"]}, seed {SEED}, one
  thread (deterministic); evaluated by `extractor.class_trees` (numpy); largest difference
  from LightGBM on the training pages: {difference:.1e}.
- **Features** ({len(FEATURES)}, `extractor.html.extraction_quality`): {", ".join(FEATURES)}.
  The page-type probabilities come, in training, from a page-type model of the other folds.
- **Block model**: its features are the scores of `blocks.json` (sha256
  {model["blocks_sha256"][:16]}...); a new block model needs a new quality model (`make train`
  trains both, in order; a unit test checks the hash).
- **Validation**: {report["folds"]}-fold cross-validation grouped by site, the block model's
  folds; each page's estimate by the quality model trained on the other folds' pages.
- **Size**: {path.stat().st_size // 1024} KiB.
- **Speed** (mean per page): the features {report["ms_features"]:.2f} ms, the trees
  {ms_trees(model, x):.2f} ms.

Cross-validated agreement with the measured F1:

{tables(report)}
"""
    path.with_suffix(".md").write_text(card, encoding="utf-8")
