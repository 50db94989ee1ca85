"""The main-content dataset: every development page's blocks, their features and labels.

    python -m bench.block_dataset            # writes .data/blocks/ (a few minutes)

The engine itself runs on each page, with a chooser that records the blocks and features it
is shown (`block_features.page_features`, the same call the learned model makes at run time)
and keeps the rules' choice, so the rule engine's output is recorded in the same pass.

A block's label is the share of its token 4-grams (lower-cased `\\w+`; a shorter block is one
shorter n-gram) found in the page's gold main content (WCXB `main_content`, scrapinghub
`articleBody`), each gold n-gram used once, longest blocks first. trafilatura-eval has only
snippets: a block holding a `with` snippet is 1, one holding a `without` snippet 0, any other
unlabelled (NaN, left out of training).

Files: `features.npy` (float32, one row per block), `blocks.npz` (label, page index, words,
containers), `page_features.npy` (the page-type model's features of each page, zeros for a page
the engine rejected before choosing), `pages.jsonl` (one line per page: corpus, key, url,
site, type, gold, snippets, the rules' text, the blocks' texts).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench import fingerprint
from bench.dev_pages import DevPage, development_pages
from extractor.html import extract_html
from extractor.html.block_features import FEATURES, PageBlocks, page_features
from extractor.html.blocks import Block
from extractor.html.dom import Tree
from extractor.html.page_features import FEATURES as PAGE_FEATURES
from extractor.html.page_metadata import Metadata
from extractor.model import Article, Document

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".data" / "blocks"
_TOKEN = re.compile(r"\w+")
_NGRAM = 4
STAMP = "inputs.json"
INPUTS = ("bench.block_dataset",)
"""The digest of the dataset's inputs (`bench.fingerprint`) is recorded in `STAMP`, so that
a dataset built by other code or from other pages is not reused (`bench.block_folds`)."""


class Recorder:
    """A chooser that keeps the rules' choice and records what the model would be shown."""

    def __init__(self) -> None:
        self.page: PageBlocks | None = None
        self.type_row: list[float] = []

    def choose(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> list[Block]:
        self.page = page_features(tree, rule_blocks, meta, url)
        self.type_row = type_row
        return rule_blocks


def page_slices(page: npt.NDArray[np.int32], pages: int) -> list[slice]:
    """Each page's rows in a dataset whose rows are grouped by page, in page order."""
    edges = np.concatenate(([0], np.cumsum(np.bincount(page, minlength=pages))))
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def _grams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def share_labels(texts: list[str], gold: str) -> list[float]:
    """Each block's share of token n-grams found in the gold text, each gold n-gram used once:
    longer blocks take theirs first, so a teaser that repeats the article's opening above or
    below it finds its words already taken by the article's own paragraph."""
    reference = _TOKEN.findall(gold.lower())
    left = {n: _grams(reference, n) for n in range(1, _NGRAM + 1)}
    tokens = [_TOKEN.findall(text.lower()) for text in texts]
    out = [0.0] * len(texts)
    for i in sorted(range(len(texts)), key=lambda i: -len(tokens[i])):
        if not tokens[i]:
            continue
        n = min(_NGRAM, len(tokens[i]))
        windows = [tuple(tokens[i][k : k + n]) for k in range(len(tokens[i]) - n + 1)]
        found = 0
        for window in windows:
            if left[n][window] > 0:
                left[n][window] -= 1
                found += 1
        out[i] = found / len(windows)
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def snippet_labels(texts: list[str], with_: list[str], without: list[str]) -> list[float]:
    """1 for a block holding a `with` snippet, 0 for one holding a `without`, else NaN."""
    flat = [_flat(t) for t in texts]
    out = [float("nan")] * len(texts)
    for value, snippets in ((0.0, without), (1.0, with_)):
        for snippet in snippets:
            key = _flat(snippet)
            if not key:
                continue
            for i, text in enumerate(flat):
                if key in text:
                    out[i] = value
    return out


def labels(page: DevPage, texts: list[str]) -> list[float]:
    if page.gold is not None:
        return share_labels(texts, page.gold)
    return snippet_labels(texts, page.with_, page.without)


def record(page: DevPage) -> tuple[Recorder, str, float]:
    """What the engine shows a chooser, the rules' text, and the seconds it took."""
    recorder = Recorder()
    start = time.perf_counter()
    result = extract_html(Document(url=page.url, body=page.html), chooser=recorder)
    seconds = time.perf_counter() - start
    text = result.text if isinstance(result, Article) else ""
    return recorder, text, seconds


def _page_line(page: DevPage, texts: list[str], rules_text: str) -> dict[str, Any]:
    return {
        "corpus": page.corpus,
        "key": page.key,
        "url": page.url,
        "site": page.site,
        "type": page.page_type,
        "gold": page.gold,
        "with": page.with_,
        "without": page.without,
        "rules_text": rules_text,
        "blocks": texts,
    }


def build(out: Path, limit: int = 0) -> int:
    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP).unlink(missing_ok=True)
    inputs = fingerprint.digest(INPUTS, {"limit": limit})
    rows: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    label: list[float] = []
    page_of: list[int] = []
    words: list[int] = []
    containers: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    type_rows: list[list[float]] = []
    count = 0
    with (out / "pages.jsonl").open("w", encoding="utf-8") as lines:
        for index, page in enumerate(development_pages()):
            if limit and index >= limit:
                break
            recorder, rules_text, _ = record(page)
            blocks = recorder.page
            type_rows.append(recorder.type_row or [0.0] * len(PAGE_FEATURES))
            texts = [b.text for b in blocks.blocks] if blocks else []
            if blocks is not None and texts:
                rows.append(blocks.features.astype(np.float32))
                containers.append(blocks.containers)
                label += labels(page, texts)
                page_of += [index] * len(texts)
                words += [len(t.split()) for t in texts]
            lines.write(json.dumps(_page_line(page, texts, rules_text), ensure_ascii=False) + "\n")
            count += 1
            if count % 200 == 0:
                print(f"  {count} pages, {len(label)} blocks", file=sys.stderr)
    x = np.concatenate(rows) if rows else np.zeros((0, len(FEATURES)), np.float32)
    np.save(out / "features.npy", x)
    np.save(
        out / "page_features.npy", np.array(type_rows, np.float64).reshape(-1, len(PAGE_FEATURES))
    )
    np.savez(
        out / "blocks.npz",
        label=np.array(label, np.float32),
        page=np.array(page_of, np.int32),
        words=np.array(words, np.int32),
        containers=np.concatenate(containers).astype(np.int32),
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
