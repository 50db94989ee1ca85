"""The text engine's cross-validated figures on WCXB dev's Chromium dumps, for the quality gate
and the benchmark: each dump read by the engine with the fold model that never saw its site.

The line dataset (`bench.line_dataset`) and the fold models (`bench.train_lines`) are rebuilt
unless `reuse` and the saved ones were made from the same inputs (`bench.fingerprint`: sources,
corpora, libraries, settings).
"""

from __future__ import annotations

import json

from bench import fingerprint, line_dataset, train_lines
from bench.wcxb import mean_by_type, wcxb_pages, word_f1
from extractor.model import Article, Document
from extractor.text import extract_text
from extractor.text.line_model import LinesModel, load

CORPUS = "wcxb-chromium"


def _fresh(stamp_dir: str, entries: tuple[str, ...]) -> tuple[bool, str]:
    digest = fingerprint.digest(entries, {"limit": 0})
    return fingerprint.recorded(line_dataset.OUT / stamp_dir) == digest, digest


def ensure(reuse: bool = True) -> tuple[dict[str, int], list[LinesModel]]:
    """Each page's fold ("corpus/key") and the fold models, rebuilt where stale."""
    fresh, _ = _fresh(line_dataset.STAMP, line_dataset.INPUTS)
    if not (reuse and fresh):
        line_dataset.build(line_dataset.OUT)
    fresh, _ = _fresh(f"folds/{line_dataset.STAMP}", train_lines.FOLDS_INPUTS)
    if not (reuse and fresh):
        train_lines.run(train_lines.load(), write=False)
    folds = json.loads((line_dataset.FOLDS_DIR / "pages.json").read_text(encoding="utf-8"))
    models = [load(line_dataset.FOLDS_DIR / f"fold{k}.json") for k in range(train_lines.FOLDS)]
    return folds, models


def figures(folds: dict[str, int], models: list[LinesModel]) -> dict[str, float]:
    """Mean word F1 over WCXB dev's Chromium dumps, all pages ("wcxb-chromium") and per type
    ("wcxb-chromium article", ...), and the share of returned pages typed as WCXB types them."""
    scores = []
    typed = []
    for page in wcxb_pages():
        path = line_dataset.CHROMIUM / f"{page.key}.txt"
        if not path.exists():
            continue
        model = models[folds[f"{CORPUS}/{page.key}"]]
        doc = Document(url=page.url, body=path.read_text(encoding="utf-8"), is_html=False)
        result = extract_text(doc, model=model)
        text = result.text if isinstance(result, Article) else ""
        scores.append((page.page_type, word_f1(text, page.main_content)))
        if isinstance(result, Article) and page.page_type != "other":
            typed.append(result.page_type == page.page_type)
    found = {
        (CORPUS if kind == "all" else f"{CORPUS} {kind}"): value
        for kind, value in mean_by_type(scores).items()
    }
    found[f"{CORPUS} page-type accuracy"] = sum(typed) / len(typed) if typed else 0.0
    return found
