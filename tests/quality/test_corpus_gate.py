"""Quality gate: the HTML engine on both development corpora must stay above pinned floors.

The floors live in `tests/quality/baseline.json`, a little below the last measured scores
(`python -m bench.extraction --only pagewire` prints them). Raise them when the engine gets
better; never lower them to make a change pass. Skips where ../shared/bench is absent.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from bench.extraction import (
    SHARED,
    load_scrapinghub,
    load_trafilatura_eval,
    run_pagewire,
    score_eval,
    timed,
)
from bench.scoring import score_scrapinghub

pytestmark = pytest.mark.corpus

BASELINE = Path(__file__).with_name("baseline.json")


@pytest.fixture(scope="module")
def floors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BASELINE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"corpus directory {SHARED} is absent (../shared/bench); gate not run")
    return SHARED


def test_scrapinghub_floor(corpus_dir: Path, floors: dict[str, Any]) -> None:
    pages = load_scrapinghub(corpus_dir / "scrapinghub")
    start = time.perf_counter()
    run = timed(run_pagewire, pages)
    assert time.perf_counter() - start < 60
    gold = [p.gold.get("articleBody", "") for p in pages]
    score = score_scrapinghub((o.text, g) for o, g in zip(run.outputs, gold, strict=True))
    floor = floors["scrapinghub"]
    assert score.f1 >= floor["f1"], f"F1 {score.f1:.4f} < {floor['f1']}"
    assert score.precision >= floor["precision"], f"P {score.precision:.4f}"
    assert score.recall >= floor["recall"], f"R {score.recall:.4f}"


def test_trafilatura_eval_floor(corpus_dir: Path, floors: dict[str, Any]) -> None:
    pages = load_trafilatura_eval(corpus_dir / "trafilatura-eval")
    run = timed(run_pagewire, pages)
    score = score_eval(pages, run.outputs)
    floor = floors["trafilatura_eval"]
    assert score.f1 >= floor["f1"], f"snippet F1 {score.f1:.4f} < {floor['f1']}"
    for field in ("title", "authors", "date"):
        assert score.meta(field) >= floor[field], f"{field} {score.meta(field):.3f}"
