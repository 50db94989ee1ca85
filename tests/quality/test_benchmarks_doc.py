"""docs/benchmarks.md holds only tables a command writes, each stamped with what it measured."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bench import report

BENCH = Path(report.__file__).parent
_COMMAND = re.compile(r"python -m bench\.(\w+)")


def test_every_table_is_in_a_bench_section() -> None:
    text = report.DOC.read_text(encoding="utf-8")
    outside = report.tables_outside_sections(text)
    assert not outside, f"table rows no benchmark writes, at lines {outside} of {report.DOC.name}"


def test_every_section_names_the_benchmark_that_writes_it() -> None:
    for name, body in report.sections(report.DOC.read_text(encoding="utf-8")).items():
        modules = _COMMAND.findall(body)
        assert modules, f"section {name} names no `python -m bench.<module>` command"
        for module in modules:
            assert (BENCH / f"{module}.py").exists(), f"section {name}: no bench/{module}.py"


def test_tables_outside_sections_are_found() -> None:
    text = "intro\n| a |\n<!-- bench:x:start -->\n| b |\n<!-- bench:x:end -->\n| c |\n"
    assert report.tables_outside_sections(text) == [2, 6]


@pytest.mark.parametrize(
    ("porcelain", "dirty"),
    [
        ("", False),
        (" M docs/conf.py\0M  README.md\0 M tests/data.json\0", False),
        (" M bench/report.py\0", True),
        ("R  shared/new.txt\0extractor/old.py\0", True),
        ("A  docs/x.md\0MM indexer/store.py\0", True),
    ],
)
def test_uncommitted_python_outside_docs_is_noticed(porcelain: str, dirty: bool) -> None:
    assert report.uncommitted_code(porcelain) is dirty


def test_a_section_is_stamped_with_its_commit(tmp_path: Path) -> None:
    command = ["git", "rev-parse", "--short", "HEAD"]
    head = subprocess.run(command, cwd=BENCH, capture_output=True, text=True, check=False)
    if head.returncode:
        pytest.skip("no git here")
    doc = tmp_path / "benchmarks.md"
    report.write_section("demo", "| a |\n|---|\n| 1 |", doc)
    report.write_section("demo", "| a |\n|---|\n| 2 |", doc)
    text = doc.read_text(encoding="utf-8")
    assert text.count("<!-- bench:demo:start -->") == 1
    assert "| 2 |" in text and "| 1 |" not in text
    stamp = re.search(r"_Measured .+ UTC at commit (\w+)( \+ uncommitted changes)? on .+_", text)
    assert stamp is not None and stamp.group(1) == head.stdout.strip()
