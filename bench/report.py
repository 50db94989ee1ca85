"""Writing a benchmark's table into its own section of docs/benchmarks.md.

Every section ends with the stamp of what it measured: the time, the commit (HEAD's short
hash, with "+ uncommitted changes" when tracked Python files outside docs/ differ from it)
and the machine. `tables_outside_sections` finds tables pasted by hand, which no command
would rewrite.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nEvery table here is written by the command named under it.\n"
_START = re.compile(r"<!-- bench:([\w-]+):start -->")
_END = re.compile(r"<!-- bench:([\w-]+):end -->")


def machine() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _changes_code(paths: list[str]) -> bool:
    return any(p.endswith(".py") and not p.startswith("docs/") for p in paths)


def uncommitted_code(porcelain_z: str) -> bool:
    """Whether `git status --porcelain -z --untracked-files=no` lists a tracked Python file
    outside docs/ (a rename counts by either of its names)."""
    entries = porcelain_z.split("\0")
    at, paths = 0, []
    while at < len(entries):
        entry = entries[at]
        at += 1
        if len(entry) < 4:
            continue
        paths.append(entry[3:])
        if entry[0] in "RC" and at < len(entries):  # the entry after a rename is its old name
            paths.append(entries[at])
            at += 1
    return _changes_code(paths)


def revision(root: Path = ROOT) -> str:
    """`commit abc1234`, `commit abc1234 + uncommitted changes`, or `an unknown commit`."""
    head = _git(root, "rev-parse", "--short", "HEAD")
    if not head:
        return "an unknown commit"
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=no") or ""
    dirty = " + uncommitted changes" if uncommitted_code(status) else ""
    return f"commit {head.strip()}{dirty}"


def stamp(root: Path = ROOT) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"_Measured {when} at {revision(root)} on {machine()}._"


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the text between `<!-- bench:NAME:start -->` and `...:end -->`,
    stamped with the time, the commit and the machine it was measured on."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{body.rstrip()}\n\n{stamp()}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def tables_outside_sections(text: str) -> list[int]:
    """Line numbers (from 1) of table rows that no bench section holds."""
    inside: str | None = None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if match := _START.search(line):
            inside = match.group(1)
        elif (match := _END.search(line)) and match.group(1) == inside:
            inside = None
        elif inside is None and line.lstrip().startswith("|"):
            found.append(number)
    return found


def sections(text: str) -> dict[str, str]:
    """Each bench section's text, by name."""
    found = {}
    for match in _START.finditer(text):
        name = match.group(1)
        end = text.find(f"<!-- bench:{name}:end -->", match.end())
        if end != -1:
            found[name] = text[match.end() : end]
    return found
