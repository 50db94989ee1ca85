"""Write the shipped main-content model and its card (`extractor/models/blocks.md`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.wcxb import PAGE_TYPES
from extractor.class_trees import from_dict, probability
from extractor.html.block_context import CONTEXT
from extractor.html.block_features import FEATURES

if TYPE_CHECKING:
    import lightgbm as lgb

    from bench.train_blocks import Dataset, Stages

_PARITY_ROWS = 20_000
# The kit README's trafilatura 2.3.1 figures (default settings, same metrics, same pages).
TRAFILATURA = {
    "scrapinghub": 0.960, "trafilatura": 0.926, "wcxb": 0.823, "wcxb article": 0.937,
    "wcxb documentation": 0.917, "wcxb service": 0.765, "wcxb forum": 0.704,
    "wcxb collection": 0.574, "wcxb listing": 0.577, "wcxb product": 0.637,
}  # fmt: skip
ROWS = ["scrapinghub", "trafilatura", "wcxb", *(f"wcxb {t}" for t in PAGE_TYPES)]


def parity(model: dict[str, Any], booster: lgb.Booster, x: np.ndarray[Any, Any]) -> float:
    """The largest difference between LightGBM's and the exported forest's probabilities."""
    rows = x[np.linspace(0, len(x) - 1, min(_PARITY_ROWS, len(x))).astype(int)]
    expected = booster.predict(rows)
    found = probability(from_dict(model), rows.astype(np.float64))
    return float(np.abs(found - expected).max())


def both_parities(model: dict[str, Any], stages: Stages, data: Dataset, second_rows: Any) -> float:
    found = parity(model["first"], stages.first, data.x)
    if stages.second is not None:
        found = max(found, parity(model["second"], stages.second, second_rows))
    return found


def _by_type(decision: dict[str, Any]) -> str:
    parts = [
        f"{kind} ({d['smoothing']}, {d['threshold']})"
        for kind, d in decision.get("by_type", {}).items()
    ]
    return ", ".join(parts) or "none"


def figures_table(report: dict[str, Any]) -> str:
    columns = [
        ("model, cross-validated (engine)", "cv_engine"),
        ("rules (in-sample)", "rules_engine"),
        ("model, cross-validated (blocks only)", "cv_blocks"),
        ("one decision for every type (blocks only)", "cv_blocks_one_decision"),
        ("first stage alone, cross-validated (blocks only)", "cv_blocks_first_stage"),
    ]
    columns = [(title, key) for title, key in columns if key in report]
    lines = [
        "| corpus | " + " | ".join(t for t, _ in columns) + " | trafilatura (kit README) |",
        "|---|" + "---|" * (len(columns) + 1),
    ]
    for row in ROWS:
        cells = [f"{report[key][row]:.3f}" if row in report[key] else "-" for _, key in columns]
        lines.append(f"| {row} | " + " | ".join(cells) + f" | {TRAFILATURA.get(row, 0):.3f} |")
    return "\n".join(lines)


def write_model(  # noqa: PLR0917
    model: dict[str, Any],
    stages: Stages,
    data: Dataset,
    second_rows: Any,
    report: dict[str, Any],
    path: Path,
) -> None:
    """The model file, checked against LightGBM, and its card beside it."""
    from bench.train_blocks import PARAMS, ROUNDS, SEED

    difference = both_parities(model, stages, data, second_rows)
    if difference > 1e-9:
        raise SystemExit(f"the exported trees differ from LightGBM by {difference}")
    stages_line = (
        "two (the second reads the first's probabilities around each block, "
        f"`extractor.html.block_context`: {', '.join(CONTEXT)})."
        if "second" in model
        else "one (the block features alone; `--second-stage` adds the context stage)."
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    corpora = Counter(p["corpus"] for p in data.pages)
    labelled = int((~np.isnan(data.label)).sum())
    speed = report.get("ms_per_page", {})
    card = f"""# Main-content block model (`blocks.json`)

Written by `make train` (`python -m bench.block_dataset && python -m bench.train_blocks`);
do not edit by hand. The method is in docs/extraction.md ("Learned main content").

- **Decides**: for each text block of a page, the probability that it is main content; a block
  is kept when its probability, blended with its neighbours' (smoothing
  {model["decision"]["smoothing"]}), is at least {model["decision"]["threshold"]}; for a page
  whose guessed type (`page_type`) is listed here, with that type's (smoothing, threshold):
  {_by_type(model["decision"])}.
- **Stages**: {stages_line}
- **Trees**: each stage LightGBM {ROUNDS} rounds, objective `{PARAMS["objective"]}`, {
        PARAMS["num_leaves"]
    }
  leaves, depth at most {PARAMS["max_depth"]}, learning rate {PARAMS["learning_rate"]}, seed
  {SEED}, one thread (deterministic); evaluated at run time by `extractor.class_trees`
  (numpy); largest difference from LightGBM on {min(_PARITY_ROWS, len(data.x))} blocks:
  {difference:.1e}.
- **Features** ({len(FEATURES)}, `extractor.html.block_features`): {", ".join(FEATURES)}.
- **Data**: {len(data.pages)} development pages ({
        ", ".join(f"{k} {v}" for k, v in sorted(corpora.items()))
    }), {len(data.label)} blocks, {labelled} labelled (label: share of
  the block's token 4-grams in the gold main content; trafilatura-eval: blocks holding a
  `with` / `without` snippet).
- **Validation**: {report["folds"]}-fold cross-validation grouped by site across the three
  corpora; per-fold default decisions {report["decisions"]}, and per type, each chosen on
  the other folds (the page type guessed by a page-type model trained on the other folds).
- **Size**: {path.stat().st_size // 1024} KiB.
- **Speed** (whole engine, ms per page, mean over the pages): rules alone
  {speed.get("rules", 0):.1f}, with the model {speed.get("model", 0):.1f}.

Figures (each corpus's own metric: scrapinghub shingle F1, trafilatura-eval snippet F1, WCXB
mean word F1; rejected pages count as empty):

{figures_table(report)}
"""
    path.with_suffix(".md").write_text(card, encoding="utf-8")
