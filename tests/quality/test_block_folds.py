"""Saved fold models are used only while their inputs are unchanged (`bench.block_folds`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import block_dataset, block_folds, corpus, fingerprint
from extractor.html import main_blocks

pytestmark = pytest.mark.corpus


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A dataset directory stamped as built from the current inputs, with two fold models."""
    if not corpus.available():
        pytest.skip(f"{corpus.MISSING}; gate not run")
    fingerprint.record(tmp_path / block_dataset.STAMP, block_folds.dataset_digest())
    folds, second_stage = block_folds.shipped_settings()
    model = json.loads(main_blocks.MODEL_PATH.read_text(encoding="utf-8"))
    pages = [{"corpus": "wcxb", "key": str(i)} for i in range(folds)]
    digest = block_folds.digest_of(tmp_path, folds, second_stage)
    block_folds.save(tmp_path, pages, list(range(folds)), [model] * folds, digest)
    return tmp_path


def test_fresh_fold_models_are_loaded_with_each_page_fold(data: Path) -> None:
    found = block_folds.load(data)
    assert found is not None
    assert found.fold_of == {f"wcxb/{i}": i for i in range(len(found.models))}
    assert found.model("wcxb", "1") is found.models[1]


def test_a_dataset_from_other_inputs_makes_them_stale(data: Path) -> None:
    fingerprint.record(data / block_dataset.STAMP, "another dataset")
    assert block_folds.load(data) is None


def test_models_trained_with_other_settings_are_stale(data: Path) -> None:
    folds, second_stage = block_folds.shipped_settings()
    other = block_folds.digest_of(data, folds, not second_stage)
    manifest = data / "folds" / "manifest.json"
    found = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**found, "digest": other}), encoding="utf-8")
    assert block_folds.load(data) is None
