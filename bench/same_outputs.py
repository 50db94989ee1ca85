"""Check that a refactor of the HTML engine changed nothing it decides: every development page's
result and every input of the learned models, before and after.

    python -m bench.same_outputs save .data/outputs/before.pkl
    python -m bench.same_outputs compare .data/outputs/before.pkl

For each page of `bench.dev_pages` it records what `extract_html` returns with the shipped
models (the article with its page type and quality, or the rejection), the near-duplicate
signature the extractor publishes, and the models' inputs, bit for bit: the page-type features,
the block features and containers the block model reads, and its probabilities. `compare` runs
the engine again and names the pages and fields that differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from bench.dev_pages import development_pages
from extractor.html import extract_html, extraction_quality, main_blocks
from extractor.html.block_features import PageBlocks
from extractor.model import Article, Document
from shared import dedup

Record = dict[str, Any]


@contextmanager
def _recording(record: Record) -> Iterator[None]:
    """The block model's and the page-type model's inputs written into `record`."""
    model = main_blocks.BlocksModel
    probabilities, page_decision = model.probabilities, model.page_decision

    def seen_probabilities(self: main_blocks.BlocksModel, page: PageBlocks) -> Any:
        out = probabilities(self, page)
        record["block_features"] = page.features.tobytes(), page.features.shape
        record["containers"] = repr(page.containers)
        record["probabilities"] = np.asarray(out).tobytes()
        return out

    def seen_decision(
        self: main_blocks.BlocksModel, page: PageBlocks, p: Any, type_row: list[float]
    ) -> Any:  # every page's decision passes here, the chooser's or its type's
        record["type_row"] = np.asarray(type_row, dtype=np.float64).tobytes()
        return page_decision(self, page, p, type_row)

    model.probabilities = seen_probabilities  # type: ignore[method-assign]
    model.page_decision = seen_decision  # type: ignore[method-assign]
    try:
        yield
    finally:
        model.probabilities = probabilities  # type: ignore[method-assign]
        model.page_decision = page_decision  # type: ignore[method-assign]


def page_record(html: str, url: str) -> Record:
    record: Record = {}
    with _recording(record):
        result = extract_html(
            Document(url=url, body=html),
            chooser=main_blocks.SHIPPED,
            quality=extraction_quality.SHIPPED,
        )
    record["result"] = repr(dataclasses.asdict(result))
    if isinstance(result, Article):
        record["signature"] = dedup.encoded_bands(result.text)
    return record


def records() -> dict[str, Record]:
    return {f"{p.corpus}/{p.key}": page_record(p.html, p.url) for p in development_pages()}


def compare(before: dict[str, Record], after: dict[str, Record]) -> list[str]:
    """One line per page and field that differs (a page missing on either side counts)."""
    lines = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            lines.append(f"{key}: only {'after' if old is None else 'before'}")
            continue
        for name in sorted(old.keys() | new.keys()):
            if old.get(name) != new.get(name):
                lines.append(f"{key}: {name}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    current = records()
    if args.action == "save":
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_bytes(pickle.dumps(current))
        print(f"{len(current)} pages saved to {args.path}")
        return 0
    differences = compare(pickle.loads(args.path.read_bytes()), current)
    for line in differences[:50]:
        print(line)
    print(f"{len(current)} pages, {len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
