"""The figures that say how well the quality estimates predict the F1, and the per-page F1
they are trained on."""

from __future__ import annotations

import numpy as np
import pytest

from bench.block_cv import PageResult
from bench.engine_oof import page_f1
from bench.quality_figures import auc, ranks, routing, spearman
from bench.scoring import PageScore


def test_ties_share_their_mean_rank() -> None:
    assert ranks(np.array([0.3, 0.1, 0.3, 0.9])).tolist() == [2.5, 1.0, 2.5, 4.0]


def test_the_auc_counts_pairs_the_score_orders_right() -> None:
    bad = np.array([True, True, False, False])
    assert auc(bad, np.array([0.9, 0.8, 0.2, 0.1])) == 1.0
    assert auc(bad, np.array([0.1, 0.2, 0.8, 0.9])) == 0.0
    assert auc(bad, np.array([0.5, 0.5, 0.5, 0.5])) == 0.5
    assert auc(bad, np.array([0.9, 0.3, 0.5, 0.2])) == 0.75


def test_spearman_reads_order_not_scale() -> None:
    f1 = np.array([0.1, 0.5, 0.9, 0.95])
    assert spearman(f1**3, f1) == pytest.approx(1.0)
    assert spearman(-f1, f1) == pytest.approx(-1.0)


def test_routing_splits_the_pages_at_each_threshold() -> None:
    f1 = np.array([0.2, 0.6, 0.9, 1.0])
    estimate = np.array([0.4, 0.75, 0.85, 0.95])
    by = {r["threshold"]: r for r in routing(f1, estimate)}
    assert by[0.5]["routed"] == 0.25 and by[0.5]["routed_f1"] == pytest.approx(0.2)
    assert by[0.8]["routed"] == 0.5 and by[0.8]["kept_f1"] == pytest.approx(0.95)
    assert by[0.8]["doubtful_found"] == 1.0  # both pages under 0.8 were routed


def test_a_pages_f1_is_its_corpus_metric() -> None:
    assert page_f1("wcxb", PageResult(value=0.7)) == 0.7
    shingles = PageResult(shingles=PageScore(tp=0.5, fp=0.25, fn=0.25, exact=False))
    assert page_f1("scrapinghub", shingles) == pytest.approx(2 * 0.5 / (2 * 0.5 + 0.5))
    assert page_f1("trafilatura", PageResult(snippets=(2, 1, 1))) == pytest.approx(4 / 6)
    assert page_f1("trafilatura", PageResult(snippets=(0, 0, 0))) is None
