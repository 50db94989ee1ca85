"""Quality gate of the text engine: cross-validated by site on WCXB dev's real-Chromium dumps,
the engine must stay above the floors pinned in `tests/quality/text_baseline.json`.

The gate builds the line dataset and trains the five fold models of the line model (LightGBM,
the shipped settings; `bench.text_cv`), then reads every dump with the model that never saw its
site. Under CI nothing is reused; elsewhere the dataset and fold models saved by an earlier run
are reused while their inputs' digest is unchanged. `-m "not cv"` leaves it out of a local run.
Floors only rise (`test_text_floors_never_fall`); they hold for the corpus whose digest they
record. Skips where ../shared/bench is absent (under CI that skip fails: tests/skips.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import corpus, floors
from tests.skips import under_ci

BASELINE = Path(__file__).resolve().parent / "text_baseline.json"


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    return floors.load(BASELINE)


def test_text_floors_never_fall() -> None:
    versions = floors.history(BASELINE)
    if versions is None:
        pytest.skip("no git history here")
    fell = floors.falls(versions)
    assert not fell, "a text floor was lowered: " + "; ".join(fell)


@pytest.mark.corpus
@pytest.mark.cv
@pytest.mark.timeout(2400)
def test_text_cross_validated_floors(baseline: dict[str, Any]) -> None:
    if not corpus.available():
        pytest.skip(f"{corpus.MISSING}; gate not run")
    mismatch = floors.corpus_mismatch(baseline, corpus.KIT)
    if mismatch:
        pytest.fail(mismatch, pytrace=False)
    from bench import text_cv

    found = text_cv.figures(*text_cv.ensure(reuse=not under_ci()))
    wanted = floors.floors_of(baseline)
    missed = floors.shortfalls(wanted, {"cross_validated": found})
    assert not missed, "; ".join(missed)
