"""The import-linter contracts of pyproject.toml ([tool.importlinter]) hold; `lint-imports` runs
the same check. A second test proves the check can fail: a toy tree of the same shape whose
lower layer imports the higher one is reported broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

TOY_CONFIG = """
[tool.importlinter]
root_packages = ["{root}"]
include_external_packages = true

[[tool.importlinter.contracts]]
name = "toy layers"
type = "layers"
layers = ["{root}.high", "{root}.low"]

[[tool.importlinter.contracts]]
name = "toy engines"
type = "independence"
modules = ["{root}.engine_a", "{root}.engine_b"]
"""


def _lint(config: Path, path: Path | None = None) -> tuple[int, str]:
    """`lint-imports`' exit code and its report (which names each contract, KEPT or BROKEN),
    run in a process of its own: import-linter reads every attribute of its contract classes,
    which zope.interface (imported by Twisted, under Scrapy, in another test) breaks for
    subclasses of `abc.ABC`; and it sets logging up for its run, which would disable the
    loggers of this process."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
         "--no-cache", str(config)],
        capture_output=True, text=True, env=env, cwd=config.parent, timeout=240, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_the_contracts_in_pyproject_hold() -> None:
    code, report = _lint(PYPROJECT)
    assert code == 0, f"import-linter contracts broken:\n{report}"


def _toy(root: Path, name: str, lower_imports_higher: bool) -> Path:
    """A package `name` under `root` (high imports low; engines a and b apart) and its config."""
    package = root / name
    package.mkdir()
    low = f"import {name}.high\n" if lower_imports_higher else ""
    for module, text in {
        "__init__": "",
        "high": f"import {name}.low\nimport {name}.engine_a\n",
        "low": low,
        "engine_a": "import json\n",
        "engine_b": "",
    }.items():
        (package / f"{module}.py").write_text(text)
    config = root / "pyproject.toml"
    config.write_text(TOY_CONFIG.format(root=name))
    return config


def test_a_lower_layer_importing_a_higher_one_is_reported_broken(
    tmp_path: Path,
) -> None:
    code, report = _lint(_toy(tmp_path, "toy_broken", lower_imports_higher=True), tmp_path)
    assert code == 1, report
    assert "toy layers BROKEN" in report
    assert "toy engines KEPT" in report
    assert "toy_broken.low -> toy_broken.high" in report


def test_the_same_tree_without_that_import_keeps_its_contracts(
    tmp_path: Path,
) -> None:
    code, report = _lint(_toy(tmp_path, "toy_kept", lower_imports_higher=False), tmp_path)
    assert code == 0, report
    assert "toy layers KEPT" in report and "toy engines KEPT" in report
