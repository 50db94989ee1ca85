"""Every labelled development page of the three corpora, in one shape, with its site.

- scrapinghub: the whole article body (`articleBody`), scored by 4-token shingle F1;
- trafilatura-eval: `with` / `without` snippets, scored by snippet F1;
- WCXB dev: the whole main content (`main_content`), scored by word F1, with a page type.

A page's group is its site (registrable host), so that cross-validation never trains on a
page of the site it is scored on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bench import corpus, wcxb
from bench.page_type_data import registrable_site
from extractor.decode import decode_bytes

CORPORA = ("scrapinghub", "trafilatura", "wcxb")


@dataclass(slots=True)
class DevPage:
    corpus: str
    key: str
    url: str
    html: str
    site: str
    page_type: str  # the WCXB type; "article" for scrapinghub, "" for trafilatura-eval
    gold: str | None = None  # the whole main content, where the corpus has it
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)


def development_pages() -> Iterator[DevPage]:
    """All three corpora, scrapinghub first, then trafilatura-eval, then WCXB dev."""
    for page, body in corpus.scrapinghub_pages():
        html = decode_bytes(page.data)
        yield DevPage(
            "scrapinghub", page.key, page.url, html, registrable_site(page.url), "article", body
        )
    for page, record in corpus.trafilatura_pages():
        yield DevPage(
            "trafilatura",
            page.key,
            page.url,
            decode_bytes(page.data),
            registrable_site(page.url),
            "",
            with_=list(record.get("with") or []),
            without=list(record.get("without") or []),
        )
    for wpage in wcxb.wcxb_pages():
        yield DevPage(
            "wcxb",
            wpage.key,
            wpage.url,
            decode_bytes(wpage.data),
            registrable_site(wpage.url),
            wpage.page_type,
            wpage.main_content,
        )
