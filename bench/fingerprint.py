"""A digest of everything a learned model's training read, so that a saved result (the block
dataset, the fold models) is reused only while it is what a fresh run would produce.

The inputs: the source of every first-party module the entry modules import, directly or not
(found by reading their `import` statements, function-level ones included, so the digest does
not depend on what else a process imported), the corpus files (`corpus.digest`), the versions of
the libraries that parse pages or fit trees, and the run's settings. Deterministic training
(seeded, one thread) makes these inputs decide the output.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import corpus

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = ("bench", "extractor", "shared", "runtime")
LIBRARIES = ("numpy", "selectolax", "charset-normalizer", "python-dateutil", "lightgbm")


def _module_file(name: str, root: Path, first_party: tuple[str, ...]) -> Path | None:
    parts = name.split(".")
    if parts[0] not in first_party:
        return None
    base = root.joinpath(*parts)
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path, name: str) -> set[str]:
    """The modules `path` (module `name`) imports, each with its parent packages."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # submodules
    parents = {".".join(m.split(".")[:i]) for m in found for i in range(1, m.count(".") + 1)}
    return found | parents


def sources(
    entries: Iterable[str], root: Path = ROOT, first_party: tuple[str, ...] = FIRST_PARTY
) -> dict[str, Path]:
    """Every first-party module reachable from the `entries` by imports, with its file."""
    seen: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        path = _module_file(name, root, first_party)
        if name in seen or path is None:
            continue
        seen[name] = path
        todo.extend(_imports(path, name))
    return seen


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def digest(entries: Iterable[str], settings: dict[str, Any], kit: Path = corpus.KIT) -> str:
    """sha256 of the entries' sources, the corpora, the libraries' versions and `settings`."""
    found = hashlib.sha256()
    for name, path in sorted(sources(entries).items()):
        found.update(f"{name}\0".encode() + path.read_bytes() + b"\0")
    found.update(corpus.scored_digest(kit).encode())
    versions = {lib: _version(lib) for lib in LIBRARIES}
    versions["python"] = ".".join(map(str, sys.version_info[:2]))
    found.update(json.dumps([versions, settings], sort_keys=True).encode())
    return found.hexdigest()


def record(path: Path, value: str) -> None:
    """Record at `path` the digest of the inputs a result was made from (taken before making
    it, so that a source edited meanwhile makes the result stale rather than mislabelled)."""
    path.write_text(json.dumps({"digest": value}), encoding="utf-8")


def recorded(path: Path) -> str:
    """The digest recorded at `path`, or "none"."""
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["digest"])
    except (OSError, ValueError, KeyError):
        return "none"
