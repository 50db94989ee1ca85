"""Reading the development corpora in `../shared/bench` (absent: a clear message, no crash).

`scrapinghub_files`, `trafilatura_files` and `wcxb_files` name the files the readers read
(WCXB's: `bench.wcxb`), and `digest` fingerprints them: the quality gate's floors hold for the
corpus of that digest only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KIT = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
SCRAPINGHUB = KIT / "scrapinghub"
TRAFILATURA = KIT / "trafilatura-eval"
MISSING = f"the development corpora are not at {KIT} (the team kit beside the repo)"


@dataclass(frozen=True, slots=True)
class CorpusPage:
    key: str
    url: str
    data: bytes


def available() -> bool:
    return (SCRAPINGHUB / "ground-truth.json").exists() and (TRAFILATURA / "evaldata.json").exists()


def _scrapinghub_truth(root: Path) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return truth


def _scrapinghub_page(root: Path, key: str) -> Path:
    return root / "html" / f"{key}.html.gz"


def _trafilatura_records(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    return data


def _trafilatura_page(root: Path, record: dict[str, Any]) -> Path | None:
    """The page's file, gzipped or not; None when the corpus lacks it."""
    for path in (root / "html" / f"{record['file']}.gz", root / "html" / str(record["file"])):
        if path.exists():
            return path
    return None


def scrapinghub_pages(root: Path = SCRAPINGHUB) -> Iterator[tuple[CorpusPage, str]]:
    """Pages with their human-written body."""
    truth = _scrapinghub_truth(root)
    for key in sorted(truth):
        data = gzip.decompress(_scrapinghub_page(root, key).read_bytes())
        yield CorpusPage(key, truth[key]["url"], data), truth[key]["articleBody"]


def trafilatura_pages(root: Path = TRAFILATURA) -> Iterator[tuple[CorpusPage, dict[str, Any]]]:
    """Pages with their evaluation record (with/without snippets, metadata)."""
    data = _trafilatura_records(root)
    for url in sorted(data):
        record = data[url]
        path = _trafilatura_page(root, record)
        if path is None:
            continue
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        yield CorpusPage(str(record["file"]), url, raw), record


def all_pages() -> list[CorpusPage]:
    return [p for p, _ in scrapinghub_pages()] + [p for p, _ in trafilatura_pages()]


def scrapinghub_files(root: Path = SCRAPINGHUB) -> list[Path]:
    """The files `scrapinghub_pages` reads."""
    keys = sorted(_scrapinghub_truth(root))
    return [root / "ground-truth.json", *(_scrapinghub_page(root, key) for key in keys)]


def trafilatura_files(root: Path = TRAFILATURA) -> list[Path]:
    """The files `trafilatura_pages` reads."""
    records = _trafilatura_records(root)
    pages = (_trafilatura_page(root, records[url]) for url in sorted(records))
    return [root / "evaldata.json", *(path for path in pages if path is not None)]


def digest(paths: Iterable[Path], root: Path = KIT) -> str:
    """sha256 over the files in the order of their names relative to `root`: for each, its
    name, a NUL, its size as 8 bytes and its content (so no two sets of files collide)."""
    found = hashlib.sha256()
    for name, path in sorted((p.relative_to(root).as_posix(), p) for p in paths):
        data = path.read_bytes()
        found.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        found.update(data)
    return found.hexdigest()


def wcxb_files(root: Path = KIT / "wcxb" / "dev") -> list[Path]:
    """The files `bench.wcxb.wcxb_pages` reads: each ground truth with its page."""
    pairs = ((g, root / "html" / f"{g.stem}.html.gz") for g in root.glob("ground-truth/*.json"))
    return sorted(path for pair in pairs if pair[1].exists() for path in pair)


def scored_files(kit: Path = KIT) -> list[Path]:
    """The files of the three scored corpora (scrapinghub, trafilatura-eval, WCXB dev)."""
    return (
        scrapinghub_files(kit / "scrapinghub")
        + trafilatura_files(kit / "trafilatura-eval")
        + wcxb_files(kit / "wcxb" / "dev")
    )


def scored_digest(kit: Path = KIT) -> str:
    """The digest of the three scored corpora under `kit`."""
    return digest(scored_files(kit), kit)
