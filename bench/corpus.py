"""Reading the development corpora in `../shared/bench` (absent: a clear message, no crash)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
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


def scrapinghub_pages(root: Path = SCRAPINGHUB) -> Iterator[tuple[CorpusPage, str]]:
    """Pages with their human-written body."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        page = CorpusPage(key, truth[key]["url"], gzip.decompress(path.read_bytes()))
        yield page, truth[key]["articleBody"]


def trafilatura_pages(root: Path = TRAFILATURA) -> Iterator[tuple[CorpusPage, dict[str, Any]]]:
    """Pages with their evaluation record (with/without snippets, metadata)."""
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url in sorted(data):
        record = data[url]
        path = root / "html" / f"{record['file']}.gz"
        if not path.exists():
            path = root / "html" / str(record["file"])
        if not path.exists():
            continue
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        yield CorpusPage(str(record["file"]), url, raw), record


def all_pages() -> list[CorpusPage]:
    return [p for p, _ in scrapinghub_pages()] + [p for p, _ in trafilatura_pages()]
