"""The page-type model's data: every typed development page, its features and its site.

- WCXB dev (`../shared/bench/wcxb/dev`): 1,497 pages of seven types, the type in
  `_internal.page_type.primary` (`category` counts as `collection`);
- scrapinghub: 181 news and blog pages, all articles.
trafilatura-eval has no page types and is left out.

A page's group is its registrable site, so that cross-validation never scores a page with a
model trained on a page of the same site.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from bench import wcxb
from bench.corpus import scrapinghub_pages
from extractor.decode import decode_bytes
from extractor.html import dom
from extractor.html.page_features import FEATURES, page_features
from extractor.html.rejections import MIN_TEXT
from shared.events import PAGE_TYPES

TRAINED_TYPES = tuple(t for t in PAGE_TYPES if t != "other")
"""The types the corpora label: every wire type but `other`, which no page is labelled with."""
# Second-level labels under which a country's registrable names sit ("bbc.co.uk").
_SECOND_LEVEL = frozenset(
    ["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "gv", "nic", "mil"]
)


@dataclass(frozen=True, slots=True)
class TypedPage:
    corpus: str
    key: str
    url: str
    html: str
    page_type: str


@dataclass(frozen=True, slots=True)
class Dataset:
    pages: list[TypedPage]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.int64]  # index into TRAINED_TYPES
    groups: list[str]


def registrable_site(url: str) -> str:
    """The last two labels of the host, three under a country's "co.", "com."..."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [label for label in host.split(".") if label]
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:]) or url


def wcxb_typed_pages() -> Iterator[TypedPage]:
    """WCXB dev's pages that have a type, in file order."""
    for page in wcxb.wcxb_pages():
        if page.page_type != "other":
            yield TypedPage("wcxb", page.key, page.url, decode_bytes(page.data), page.page_type)


def typed_pages() -> Iterator[TypedPage]:
    """WCXB dev, then scrapinghub."""
    yield from wcxb_typed_pages()
    for page, _ in scrapinghub_pages():
        yield TypedPage("scrapinghub", page.key, page.url, decode_bytes(page.data), "article")


def features_of(url: str, html: str) -> list[float]:
    """The features the engine computes for a page (same parse, same tree)."""
    parser = dom.parse(html)
    tree = dom.flatten(parser.body)
    if sum(map(len, tree.text)) < MIN_TEXT and parser.css_first("noscript") is not None:
        tree = dom.flatten(parser.body, dom.SKIP_TAGS_BUT_NOSCRIPT)
    return page_features(url, html, parser, tree)


def build() -> Dataset:
    pages = list(typed_pages())
    x = np.array([features_of(p.url, p.html) for p in pages], dtype=np.float64)
    y = np.array([TRAINED_TYPES.index(p.page_type) for p in pages], dtype=np.int64)
    return Dataset(pages, x.reshape(len(pages), len(FEATURES)), y, [
        registrable_site(p.url) for p in pages
    ])  # fmt: skip
