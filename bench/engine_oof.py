"""The whole engine's cross-validated score on each development page: what
`bench.train_blocks` measured, kept for the models trained after it (the extraction-quality
model learns to predict these scores, `bench.train_quality`). The fold models that made them
are `bench.block_folds`' (.data/blocks/folds/).

    .data/blocks/engine_oof.json   {"folds": k, "pages": [{corpus, key, url, site, type, fold,
                                    f1}]}

A page's `f1` is its own corpus's page score (WCXB word F1, scrapinghub shingle F1,
trafilatura-eval snippet F1 over its few snippets; null when the page has no snippet).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import block_folds
from bench.block_cv import PageResult

ENGINE_OOF = "engine_oof.json"


def page_f1(corpus: str, result: PageResult) -> float | None:
    """One page's F1 by its corpus's metric."""
    if corpus == "wcxb":
        return result.value
    if corpus == "scrapinghub":
        s = result.shingles
        if s is None or not s.tp + s.fp + s.fn:
            return 0.0
        return 2 * s.tp / (2 * s.tp + s.fp + s.fn)
    tp, fp, fn = result.snippets
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None


def write(
    root: Path,
    pages: list[dict[str, Any]],
    folds: list[int],
    results: list[PageResult],
) -> None:
    records = [
        {
            "corpus": page["corpus"],
            "key": page["key"],
            "url": page["url"],
            "site": page["site"],
            "type": page["type"],
            "fold": fold,
            "f1": page_f1(page["corpus"], result),
        }
        for page, fold, result in zip(pages, folds, results, strict=True)
    ]
    out = {"folds": len(set(folds)), "pages": records}
    (root / ENGINE_OOF).write_text(json.dumps(out, indent=0), encoding="utf-8")


def read(root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The per-page records and the fold models; a missing file says what to run."""
    if not (root / ENGINE_OOF).exists():
        raise SystemExit(f"no {root / ENGINE_OOF}: run python -m bench.train_blocks first")
    oof = json.loads((root / ENGINE_OOF).read_text(encoding="utf-8"))
    return oof["pages"], block_folds.saved_models(root)
