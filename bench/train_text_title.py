"""Train the text engine's headline model, cross-validate it by site, ship it with its card.

    python -m bench.train_text_title      (`make train` runs it; needs the `train` extra)

1. Pages: every development page with a gold title and a browser dump (WCXB dev: WCXB's
   Chromium dumps; trafilatura-eval: `bench.browser_dumps`'s, else the dump maker's).
   scrapinghub has no gold title.
2. Rows: the engine's lines and body start on the dump, and each headline candidate
   (`extractor.text.headline.candidates`) with its features; a candidate is right when it is
   the gold title by the kit's rule (case-folded, NFKC, whitespace collapsed, edge
   punctuation stripped).
3. Validation: five folds grouped by site (`train_page_type.group_folds`); a page's title is
   chosen by the model of the folds that never saw its site. The figure is the share of pages
   whose chosen line is the gold title, per corpus, beside the share where any candidate is
   (the most a choice among lines can reach).
4. The shipped model is trained on every page: `extractor/models/text_title.json` (trees
   evaluated with numpy) and its card `text_title.md`. Deterministic: fixed seed, one thread.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np

from bench import wcxb
from bench.browser_dumps import load_dumps
from bench.corpus import trafilatura_pages
from bench.dumpmaker import html_to_dump
from bench.page_type_data import registrable_site
from bench.scoring import normalise_field
from bench.train_page_type import group_folds
from bench.tree_export import export, reproducible
from extractor.class_trees import from_dict
from extractor.decode import decode_bytes
from extractor.model import Article, Document
from extractor.text import extract_text
from extractor.text.header import body_start_of
from extractor.text.headline import FEATURES, MODEL_PATH, candidates, features
from extractor.text.lines import split_lines
from extractor.text.region import choose_region, line_score

SEED = 1515
FOLDS = 5
ROUNDS = 200
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    **reproducible(SEED),
}
CARD = MODEL_PATH.with_suffix(".md")


@dataclass(slots=True)
class PageRows:
    corpus: str
    key: str
    site: str
    x: np.ndarray[Any, Any]
    y: np.ndarray[Any, Any]
    accepted: bool  # the engine returns an article (a rejected dump carries no title)


def labelled_dumps() -> list[tuple[str, str, str, str, str]]:
    """(corpus, key, url, dump, gold title) of every page with both."""
    out = []
    wcxb_dumps = load_dumps("wcxb")
    for page in wcxb.wcxb_pages():
        if page.title and page.key in wcxb_dumps:
            out.append(("wcxb", page.key, page.url, wcxb_dumps[page.key], page.title))
    browser = load_dumps("trafilatura")
    for cpage, record in trafilatura_pages():
        if record.get("title"):
            dump = browser.get(cpage.key) or html_to_dump(decode_bytes(cpage.data))
            out.append(("trafilatura", cpage.key, cpage.url, dump, record["title"]))
    return out


def page_rows(corpus: str, key: str, url: str, dump: str, title: str) -> PageRows | None:
    lines = split_lines(dump)
    region = choose_region(lines, [line_score(line) for line in lines])
    if region is None:
        return None
    start = body_start_of(lines, region.start, region.end)
    chosen = candidates(lines, start)
    if not chosen:
        return None
    gold = normalise_field(title)
    y = np.array([normalise_field(lines[i].text) == gold for i in chosen], dtype=np.float64)
    x = features(lines, start, url, chosen)
    accepted = isinstance(extract_text(Document(url=url, body=dump, is_html=False)), Article)
    return PageRows(corpus, key, registrable_site(url), x, y, accepted)


def _fit(pages: list[PageRows]) -> lgb.Booster:
    x = np.vstack([p.x for p in pages])
    y = np.concatenate([p.y for p in pages])
    data = lgb.Dataset(x, y, feature_name=list(FEATURES), free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def cross_validate(pages: list[PageRows], labelled: Counter[str]) -> dict[str, dict[str, float]]:
    """Per corpus: the share of pages (with a run of prose) whose title the model of the
    other folds chose right, and the engine's share over every labelled page (rejected
    dumps and dumps without prose count as wrong)."""
    folds = group_folds([p.site for p in pages], FOLDS)
    right: Counter[str] = Counter()
    engine: Counter[str] = Counter()
    for k in range(FOLDS):
        booster = _fit([p for p, f in zip(pages, folds, strict=True) if f != k])
        for page, fold in zip(pages, folds, strict=True):
            if fold == k:
                hit = bool(page.y[int(np.argmax(booster.predict(page.x)))])
                right[page.corpus] += hit
                engine[page.corpus] += hit and page.accepted
    out = {}
    for corpus in sorted({p.corpus for p in pages}):
        mine = [p for p in pages if p.corpus == corpus]
        out[corpus] = {
            "pages": len(mine),
            "right": right[corpus] / len(mine),
            "reachable": sum(bool(p.y.any()) for p in mine) / len(mine),
            "labelled": labelled[corpus],
            "engine": engine[corpus] / labelled[corpus],
        }
    return out


def card(figures: dict[str, dict[str, float]], rows: int, pages: int) -> str:
    table = [
        "| corpus | pages | right | a candidate is the title | engine: pages | engine: right |",
        "|---|---|---|---|---|---|",
    ]
    for corpus, f in figures.items():
        table.append(
            f"| {corpus} | {f['pages']:.0f} | {f['right']:.3f} | {f['reachable']:.3f} "
            f"| {f['labelled']:.0f} | {f['engine']:.3f} |"
        )
    return "\n".join(
        [
            "# Text headline model (`text_title.json`)",
            "",
            "Scores each line around a dump's body start as the page's headline; the engine",
            "takes the best (`extractor/text/headline.py`). Trained by",
            "`python -m bench.train_text_title` (LightGBM, binary, "
            f"{ROUNDS} rounds, seed {SEED}, one thread, deterministic).",
            "",
            f"Data: {pages} development pages with a gold title and a browser dump "
            f"(WCXB dev Chromium dumps; trafilatura-eval), {rows} candidate lines. A candidate "
            "is right when it equals the gold title by the kit's rule.",
            "",
            f"Features: {', '.join(f'`{name}`' for name in FEATURES)}.",
            "",
            f"Cross-validated, {FOLDS} folds grouped by site (a page's title chosen by the "
            "model that never saw its site): `right` over the pages whose dump has a run of "
            "prose; `engine: right` over every labelled page, a rejected dump counting as wrong "
            "(the title the event carries).",
            "",
            *table,
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args(argv)
    items = labelled_dumps()
    pages = [rows for item in items if (rows := page_rows(*item)) is not None]
    figures = cross_validate(pages, Counter(item[0] for item in items))
    print(json.dumps(figures, indent=1))
    if args.no_write:
        return
    booster = _fit(pages)
    model = export(booster.dump_model(), FEATURES)
    forest = from_dict(model)
    sample = np.vstack([p.x for p in pages[:50]])
    ours = 1 / (1 + np.exp(-forest.scores(sample)[:, 0]))
    parity = float(np.max(np.abs(ours - booster.predict(sample))))
    if parity > 1e-6:
        raise SystemExit(f"the exported trees differ from LightGBM's by {parity}")
    MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    candidates_seen = sum(len(p.y) for p in pages)
    CARD.write_text(card(figures, candidates_seen, len(pages)), encoding="utf-8")


if __name__ == "__main__":
    main()
