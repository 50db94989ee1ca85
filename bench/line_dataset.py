"""The text engine's line dataset: every development dump's lines, features and labels.

    python -m bench.line_dataset            # writes .data/lines/ (a few minutes)

The dumps: WCXB dev's real-Chromium dumps (`wcxb/dev/dumps-chromium/`, corpus `wcxb-chromium`)
and the dump maker's dumps (`bench.dumpmaker`) of all three development corpora (`scrapinghub`,
`trafilatura`, `wcxb`). A line's features are the ones the engine computes at run time
(`extractor.text.line_features.line_rows`); its label is the share of its token n-grams found in
the page's gold main content (`bench.block_dataset.share_labels`, the HTML blocks' labels), or
for trafilatura-eval's snippets 1 / 0 / unlabelled (`snippet_labels`).

Files: `features.npy` (float32, one row per line), `lines.npz` (label, page index, words),
`pages.jsonl` (one line per page: corpus, key, url, site, type, gold, snippets, dump).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bench import fingerprint, wcxb
from bench.block_dataset import labels
from bench.dev_pages import DevPage, development_pages
from bench.dumpmaker import html_to_dump
from bench.page_type_data import registrable_site
from extractor.text.line_features import FEATURES, line_rows
from extractor.text.lines import split_lines
from extractor.text.region import choose_region, line_score

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".data" / "lines"
CHROMIUM = wcxb.WCXB_DEV / "dumps-chromium"
STAMP = "inputs.json"
FOLDS_DIR = OUT / "folds"  # where `bench.train_lines` saves the fold models
INPUTS = ("bench.line_dataset",)


def dumps() -> Iterator[tuple[DevPage, str]]:
    """WCXB dev's Chromium dumps first, then the dump maker's of the three corpora."""
    for wpage in wcxb.wcxb_pages():
        path = CHROMIUM / f"{wpage.key}.txt"
        if path.exists():
            dev = DevPage(
                "wcxb-chromium", wpage.key, wpage.url, "", registrable_site(wpage.url),
                wpage.page_type, wpage.main_content,
            )  # fmt: skip
            yield dev, path.read_text(encoding="utf-8")
    for page in development_pages():
        yield page, html_to_dump(page.html)


def saved_dumps(out: Path = OUT) -> Iterator[tuple[DevPage, str]]:
    """The dumps of a built dataset, in `dumps()` order (built first if there is none)."""
    if not (out / "pages.jsonl").exists():
        build(out)
    with (out / "pages.jsonl").open(encoding="utf-8") as pages:
        for line in pages:
            p = json.loads(line)
            page = DevPage(p["corpus"], p["key"], p["url"], "", p["site"], p["type"], p["gold"])
            page.with_, page.without = p["with"], p["without"]
            yield page, p["dump"]


def _page_line(page: DevPage, dump: str) -> dict[str, Any]:
    return {
        "corpus": page.corpus,
        "key": page.key,
        "url": page.url,
        "site": page.site,
        "type": page.page_type,
        "gold": page.gold,
        "with": page.with_,
        "without": page.without,
        "dump": dump,
    }


def build(out: Path, limit: int = 0) -> int:
    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP).unlink(missing_ok=True)
    inputs = fingerprint.digest(INPUTS, {"limit": limit})
    rows, label, page_of, words = [], [], [], []
    count = 0
    with (out / "pages.jsonl").open("w", encoding="utf-8") as pages:
        for index, (page, dump) in enumerate(dumps()):
            if limit and index >= limit:
                break
            lines = split_lines(dump)
            if lines:
                region = choose_region(lines, [line_score(line) for line in lines])
                rows.append(line_rows(lines, region).astype(np.float32))
                label += labels(page, [line.text for line in lines])
                page_of += [index] * len(lines)
                words += [line.words for line in lines]
            pages.write(json.dumps(_page_line(page, dump), ensure_ascii=False) + "\n")
            count += 1
            if count % 500 == 0:
                print(f"  {count} pages, {len(label)} lines", file=sys.stderr)
    x = np.concatenate(rows) if rows else np.zeros((0, len(FEATURES)), np.float32)
    np.save(out / "features.npy", x)
    np.savez(
        out / "lines.npz",
        label=np.array(label, np.float32),
        page=np.array(page_of, np.int32),
        words=np.array(words, np.int32),
        features=np.array(FEATURES),
    )
    fingerprint.record(out / STAMP, inputs)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count = build(args.out, args.limit)
    print(f"{count} pages in {time.perf_counter() - start:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
