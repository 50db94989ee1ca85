"""Cross-validation parts for the main-content model: page scores by each corpus's own metric,
and the choice of the decision (smoothing, threshold), one by default and one per page type, on
other folds. (The folds by site are
the page-type model's, `bench.train_page_type.group_folds`.)

Each corpus keeps its metric (../shared/bench/README.md): scrapinghub 4-token shingle F1,
trafilatura-eval snippet F1, WCXB mean word F1 (all pages and per page type).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.scoring import PageScore, ShingleScore, SnippetScore, score_page
from bench.wcxb import PAGE_TYPES
from extractor.class_trees import smooth

Floats = npt.NDArray[np.float64]
SMOOTHING = (0.0, 0.3, 0.5)
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(11))
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PageResult:
    """One page's score parts: WCXB word F1, a scrapinghub shingle score, or snippet counts."""

    value: float = 0.0
    shingles: PageScore | None = None
    snippets: tuple[int, int, int] = (0, 0, 0)


@lru_cache(maxsize=4096)
def _gold_words(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def _word_f1(predicted: str, gold: Counter[str]) -> float:
    """`bench.wcxb.word_f1` with the reference's tokens counted once per page."""
    pred = Counter(_TOKEN.findall(predicted.lower()))
    if not gold or not pred:
        return float(not gold and not pred)
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / pred.total(), overlap / gold.total()
    return 2 * precision * recall / (precision + recall)


def score_text(page: dict[str, Any], text: str) -> PageResult:
    if page["corpus"] == "wcxb":
        return PageResult(value=_word_f1(text, _gold_words(page["gold"] or "")))
    if page["corpus"] == "scrapinghub":
        return PageResult(shingles=score_page(text, page["gold"] or ""))
    score = SnippetScore()
    score.add_body(text, page["with"], page["without"])
    return PageResult(snippets=(score.tp, score.fp, score.fn))


def figures(pages: Sequence[dict[str, Any]], results: Sequence[PageResult]) -> dict[str, float]:
    """Corpus figures: "scrapinghub", "trafilatura", "wcxb" and "wcxb <type>"."""
    sh = ShingleScore()
    te = SnippetScore()
    by_type: dict[str, list[float]] = {}
    for page, result in zip(pages, results, strict=True):
        if page["corpus"] == "wcxb":
            by_type.setdefault("wcxb", []).append(result.value)
            by_type.setdefault(f"wcxb {page['type']}", []).append(result.value)
        elif page["corpus"] == "scrapinghub" and result.shingles is not None:
            sh.pages.append(result.shingles)
        else:
            te.tp += result.snippets[0]
            te.fp += result.snippets[1]
            te.fn += result.snippets[2]
    out = {"scrapinghub": sh.f1, "trafilatura": te.f1} if sh.pages else {"trafilatura": te.f1}
    for name in ["wcxb", *(f"wcxb {t}" for t in PAGE_TYPES)]:
        if by_type.get(name):
            out[name] = sum(by_type[name]) / len(by_type[name])
    return out


def objective(found: dict[str, float]) -> float:
    """What the decision maximises: the three corpora's figures, weighed alike."""
    parts = [found[k] for k in ("scrapinghub", "trafilatura", "wcxb") if k in found]
    return sum(parts) / len(parts) if parts else 0.0


def chosen_text(texts: list[str], p: Floats, smoothing: float, threshold: float) -> str | None:
    """The text of the blocks the decision keeps; None when it keeps none."""
    keep = smooth(p, smoothing) >= threshold
    chosen = [t for t, k in zip(texts, keep, strict=True) if k]
    return "\n".join(chosen) if chosen else None


def decision_grid(
    pages: Sequence[dict[str, Any]], probabilities: Sequence[Floats]
) -> dict[tuple[float, float], list[PageResult]]:
    """Every page's score under every (smoothing, threshold) pair, from block probabilities;
    a page where the decision keeps nothing falls back on the rules' text, as the engine does."""
    grid: dict[tuple[float, float], list[PageResult]] = {}
    for smoothing in SMOOTHING:
        for threshold in THRESHOLDS:
            results = []
            for page, p in zip(pages, probabilities, strict=True):
                text = chosen_text(page["blocks"], p, smoothing, threshold)
                results.append(score_text(page, page["rules_text"] if text is None else text))
            grid[smoothing, threshold] = results
    return grid


def best_decision(
    pages: Sequence[dict[str, Any]],
    grid: dict[tuple[float, float], list[PageResult]],
    among: Iterable[int],
) -> tuple[float, float]:
    """The (smoothing, threshold) with the best objective over the pages `among`."""
    subset = list(among)
    chosen = [pages[i] for i in subset]

    def value(key: tuple[float, float]) -> float:
        return objective(figures(chosen, [grid[key][i] for i in subset]))

    return max(sorted(grid), key=value)


def best_by_type(
    pages: Sequence[dict[str, Any]],
    grid: dict[tuple[float, float], list[PageResult]],
    among: Iterable[int],
    kinds: Sequence[str],
    default: tuple[float, float],
) -> dict[str, tuple[float, float]]:
    """For each page type, the (smoothing, threshold) with the best objective over the pages
    `among` when the pages guessed of that type take it and the others keep `default`: a
    type's choice counts by what it does to the corpus figures, however few its pages."""
    subset = list(among)
    chosen = [pages[i] for i in subset]
    base = {i: grid[default][i] for i in subset}
    out: dict[str, tuple[float, float]] = {}
    for kind in sorted({kinds[i] for i in subset}):
        mine = [i for i in subset if kinds[i] == kind]

        def value(key: tuple[float, float], mine: list[int] = mine) -> float:
            results = dict(base)
            results.update((i, grid[key][i]) for i in mine)
            return objective(figures(chosen, [results[i] for i in subset]))

        out[kind] = max([default, *sorted(grid)], key=value)  # the default wins a tie
    return out
