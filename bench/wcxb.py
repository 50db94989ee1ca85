"""The WCXB development split (`../shared/bench/wcxb/dev`) and WCXB's own word F1.

Score (the kit's README): tokens are `\\w+` on the lower-cased text; per page, precision and
recall of the token multisets; an empty reference with an empty prediction is 1, a non-empty
reference with an empty prediction 0. The corpus figure is the mean page F1, over all pages and
per page type (`category` counts as `collection`).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import KIT

WCXB_DEV = KIT / "wcxb" / "dev"
PAGE_TYPES = ("article", "documentation", "service", "forum", "collection", "listing", "product")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class WcxbPage:
    key: str
    url: str
    data: bytes
    page_type: str
    main_content: str
    with_: tuple[str, ...]
    without: tuple[str, ...]
    title: str | None = None  # the gold metadata, where the page has it
    author: str | None = None
    publish_date: str | None = None  # YYYY-MM-DD (two pages: YYYY-MM)


def wcxb_pages(root: Path = WCXB_DEV) -> Iterator[WcxbPage]:
    """The pages with a ground truth, in file order."""
    for path in sorted((root / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        html = root / "html" / f"{path.stem}.html.gz"
        if not html.exists():
            continue
        gold = record["ground_truth"]
        kind = record.get("_internal", {}).get("page_type", {}).get("primary") or "other"
        yield WcxbPage(
            key=path.stem,
            url=record.get("url") or f"https://page-{path.stem}.invalid/",  # one page has none
            data=gzip.decompress(html.read_bytes()),
            page_type="collection" if kind == "category" else kind,
            main_content=gold.get("main_content") or "",
            with_=tuple(gold.get("with") or ()),
            without=tuple(gold.get("without") or ()),
            title=gold.get("title") or None,
            author=gold.get("author") or None,
            publish_date=gold.get("publish_date") or None,
        )


def word_f1(predicted: str, reference: str) -> float:
    """WCXB's page score: F1 of the lower-cased `\\w+` token multisets."""
    pred = Counter(_TOKEN.findall(predicted.lower()))
    gold = Counter(_TOKEN.findall(reference.lower()))
    if not gold:
        return 1.0 if not pred else 0.0
    if not pred:
        return 0.0
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def mean_by_type(scores: list[tuple[str, float]]) -> dict[str, float]:
    """The mean page F1 over all pages ("all") and per page type."""
    out: dict[str, float] = {}
    if scores:
        out["all"] = sum(s for _, s in scores) / len(scores)
    for kind in PAGE_TYPES:
        mine = [s for k, s in scores if k == kind]
        if mine:
            out[kind] = sum(mine) / len(mine)
    return out
