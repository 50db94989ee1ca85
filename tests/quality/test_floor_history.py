"""The gate's floors only rise: every committed version of `tests/quality/baseline.json` (and
the working tree's), compared with every earlier one scored on the same corpus.

Versions from before the corpus digest was recorded are not compared; a shallow clone with a
single version passes. Needs git, not the corpus.
"""

from __future__ import annotations

from typing import Any

import pytest

from bench import floors

DIGEST = floors.DIGEST


def _version(digest: str | None, f1: float, title: float = 0.8) -> dict[str, Any]:
    found: dict[str, Any] = {"scrapinghub": {"f1": f1}, "trafilatura_eval": {"title": title}}
    if digest:
        found[DIGEST] = digest
    return found


def test_committed_floors_never_fall() -> None:
    versions = floors.history()
    if versions is None:
        pytest.skip("no git history here")
    fell = floors.falls(versions)
    assert not fell, "a floor was lowered: " + "; ".join(fell)


def test_a_lowered_floor_is_found() -> None:
    versions = [
        ("a", _version("x", 0.97)),
        ("b", _version("x", 0.975)),
        ("c", _version("x", 0.974)),
    ]
    assert floors.falls(versions) == ["scrapinghub f1: 0.975 in b, 0.974 in c"]


def test_a_dropped_floor_is_found() -> None:
    late = _version("x", 0.97)
    del late["trafilatura_eval"]
    assert floors.falls([("a", _version("x", 0.97)), ("b", late)]) == [
        "trafilatura_eval title: 0.8 in a, None in b"
    ]


def test_versions_before_the_digest_and_of_other_corpora_are_not_compared() -> None:
    versions = [
        ("old", _version(None, 0.99)),
        ("a", _version("x", 0.97)),
        ("other corpus", _version("y", 0.90)),
        ("b", _version("x", 0.97, title=0.81)),
    ]
    assert floors.falls(versions) == []


def test_raising_never_lowers_and_keeps_a_margin() -> None:
    current = {"scrapinghub": {"f1": 0.975, "recall": 0.98}}
    scores = {"scrapinghub": {"f1": 0.9901, "recall": 0.9811, "precision": 0.9}}
    assert floors.raised(current, scores, margin=0.003) == {
        "scrapinghub": {"f1": 0.987, "recall": 0.98, "precision": 0.897}
    }


def test_a_score_under_its_floor_is_reported() -> None:
    found = floors.shortfalls({"scrapinghub": {"f1": 0.975}}, {"scrapinghub": {"f1": 0.9749}})
    assert found == ["scrapinghub f1: 0.9749 < floor 0.975"]
