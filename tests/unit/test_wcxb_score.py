"""WCXB's page score (word F1 of lower-cased token multisets) and its per-type means."""

from __future__ import annotations

from typing import Any

import pytest

from bench.block_cv import PageResult, figures, score_text
from bench.wcxb import mean_by_type, word_f1


def test_word_f1_counts_tokens_as_a_multiset() -> None:
    assert word_f1("The cat sat", "the CAT sat") == 1.0
    assert word_f1("the the cat", "the cat") == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1))
    assert word_f1("", "") == 1.0 and word_f1("", "words") == 0.0 and word_f1("x", "") == 0.0


def test_corpus_figures_average_pages_per_type() -> None:
    assert mean_by_type([("article", 1.0), ("forum", 0.5), ("article", 0.0)]) == {
        "all": 0.5, "article": 0.5, "forum": 0.5,
    }  # fmt: skip
    pages: list[dict[str, Any]] = [
        {"corpus": "wcxb", "type": "article", "gold": "a b c d"},
        {"corpus": "trafilatura", "with": ["kept line"], "without": ["menu"], "gold": None},
    ]
    results = [score_text(pages[0], "a b c d"), score_text(pages[1], "kept line menu")]
    assert results[1] == PageResult(snippets=(1, 1, 0))
    found = figures(pages, results)
    assert found["wcxb"] == 1.0 and found["wcxb article"] == 1.0
    assert found["trafilatura"] == pytest.approx(2 / 3)
