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
from urllib.parse import urlsplit

from bench import corpus, wcxb
from extractor.decode import decode_bytes

CORPORA = ("scrapinghub", "trafilatura", "wcxb")
# Second-level labels under which a country's registrable names sit ("bbc.co.uk").
_SECOND_LEVEL = frozenset(
    ["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "gv", "nic", "mil"]
)


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


def site_of(url: str) -> str:
    """The registrable host: the last two labels, three under a country's "co.", "com."..."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [label for label in host.split(".") if label]
    if labels[:1] == ["www"]:
        labels = labels[1:]
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:]) or url


def development_pages() -> Iterator[DevPage]:
    """All three corpora, scrapinghub first, then trafilatura-eval, then WCXB dev."""
    for page, body in corpus.scrapinghub_pages():
        html = decode_bytes(page.data)
        yield DevPage("scrapinghub", page.key, page.url, html, site_of(page.url), "article", body)
    for page, record in corpus.trafilatura_pages():
        yield DevPage(
            "trafilatura",
            page.key,
            page.url,
            decode_bytes(page.data),
            site_of(page.url),
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
            site_of(wpage.url),
            wpage.page_type,
            wpage.main_content,
        )
