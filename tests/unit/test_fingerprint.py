"""The digest of a training's inputs follows every first-party import, however written."""

from __future__ import annotations

from pathlib import Path

from bench import fingerprint


def _write(root: Path, name: str, text: str) -> None:
    path = root.joinpath(*name.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.parents:
        if parent == root:
            break
        (parent / "__init__.py").touch()
    path.write_text(text, encoding="utf-8")


def test_imports_are_followed_at_any_depth_and_in_any_form(tmp_path: Path) -> None:
    _write(tmp_path, "app.entry", "import os\nfrom app import near\nfrom .sub import deep\n")
    _write(tmp_path, "app.near", "def f():\n    from app.lazy import g\n    return g\n")
    _write(tmp_path, "app.lazy", "g = 1\n")
    _write(tmp_path, "app.sub.deep", "from .. import leaf\n")
    _write(tmp_path, "app.leaf", "")
    _write(tmp_path, "app.unused", "")
    found = fingerprint.sources(["app.entry"], tmp_path, ("app",))
    assert sorted(found) == [
        "app", "app.entry", "app.lazy", "app.leaf", "app.near", "app.sub", "app.sub.deep"
    ]  # fmt: skip


def test_the_dataset_does_not_depend_on_the_training_code() -> None:
    found = fingerprint.sources(["bench.block_dataset"])
    assert "extractor.html.block_features" in found
    assert "extractor.html.engine" in found
    assert "bench.train_blocks" not in found
    assert "bench.train_blocks" in fingerprint.sources(["bench.block_folds"])
