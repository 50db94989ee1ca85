"""Check the shipped decision chooser against LightGBM and write its card
(`extractor/models/chooser.md`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.model_card import ROWS
from extractor.html.decision_chooser import FEATURES, from_dict

if TYPE_CHECKING:
    import lightgbm as lgb

    from bench.train_chooser import Table

_PARITY_ROWS = 20_000


def parity(model: dict[str, Any], booster: lgb.Booster, x: np.ndarray[Any, Any]) -> float:
    """The largest difference between LightGBM's estimates and the exported chooser's."""
    rows = x[np.linspace(0, len(x) - 1, min(_PARITY_ROWS, len(x))).astype(int)]
    expected = booster.predict(rows.astype(np.float32))
    return float(np.abs(from_dict(model).estimates(rows) - expected).max())


def _table(report: dict[str, Any]) -> str:
    columns = [("type's decision", "default"), ("chooser", "chooser"), ("best per page", "oracle")]
    lines = ["| corpus | " + " | ".join(t for t, _ in columns) + " |", "|---|---|---|---|"]
    for row in ROWS:
        cells = [f"{report[key][row]:.4f}" if row in report[key] else "-" for _, key in columns]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_card(
    model: dict[str, Any], booster: lgb.Booster, table: Table, report: dict[str, Any], path: Path
) -> None:
    from bench.train_chooser import PARAMS, ROUNDS, SEED

    difference = parity(model, booster, table.x)
    if difference > 1e-9:
        raise SystemExit(f"the exported chooser differs from LightGBM by {difference}")
    card = f"""# Decision chooser (`chooser.json`)

Written by `make train` (`python -m bench.train_chooser`, after `bench.train_blocks`); do not
edit by hand. The method is in docs/extraction.md ("Learned main content", "The decision").

- **Decides**: for each page, which (smoothing, threshold) decision turns the block model's
  probabilities into the body: among {len(model["candidates"])} candidates, the one whose
  estimated F1 is highest, when it beats the page type's decision by at least
  {model["margin"]} (else the type's decision stands).
- **Target**: each development page's F1 (its corpus's metric) under each candidate, from
  its out-of-fold block probabilities; pages weigh so that each corpus counts alike.
- **Trees**: LightGBM {ROUNDS} rounds, objective `{PARAMS["objective"]}`, {
        PARAMS["num_leaves"]
    } leaves, depth
  at most {PARAMS["max_depth"]}, learning rate {PARAMS["learning_rate"]}, seed {SEED}, one thread
  (deterministic); evaluated by `extractor.class_trees` (numpy); largest difference from
  LightGBM on {min(_PARITY_ROWS, len(table.x))} rows: {difference:.1e}.
- **Features** ({len(FEATURES)}, `extractor.html.decision_chooser`): {", ".join(FEATURES)}.
- **Data**: {report["pages"]} development pages, {len(model["candidates"])} rows each.
- **Validation**: nested, 5 folds grouped by site (the block model's): each fold's chooser is
  trained on the other folds' pages, its margin chosen on their picks (per fold
  {report["margins"]}); it changed the decision of {report["changed"]} pages.
- **Size**: {len(path.read_bytes()) // 1024} KiB.

Cross-validated figures of the blocks kept (each corpus's metric, before the engine's later
steps; the whole engine's are in docs/extraction.md and docs/benchmarks.md):

{_table(report)}
"""
    path.with_suffix(".md").write_text(card, encoding="utf-8")
