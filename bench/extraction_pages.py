"""The extraction benchmark's pages: the three development corpora, decoded, each page with
its gold record in one shape per corpus (`bench.extraction_scores` reads them).

- scrapinghub: `{"url", "articleBody"}`;
- trafilatura-eval: the corpus record (`with`, `without`, `title`, `author`, `date`);
- WCXB dev: `{"main_content", "type", "title", "author", "date"}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from bench import corpus, wcxb
from extractor.decode import decode_bytes


@dataclass(slots=True)
class Page:
    corpus: str
    key: str
    url: str
    html: str
    gold: dict[str, Any]


def scrapinghub(root: Path = corpus.SCRAPINGHUB) -> Iterator[Page]:
    for page, body in corpus.scrapinghub_pages(root):
        yield Page(
            "scrapinghub", page.key, page.url, decode_bytes(page.data), {"articleBody": body}
        )


def trafilatura_eval(root: Path = corpus.TRAFILATURA) -> Iterator[Page]:
    for page, record in corpus.trafilatura_pages(root):
        yield Page("trafilatura", page.key, page.url, decode_bytes(page.data), record)


def wcxb_dev(root: Path = wcxb.WCXB_DEV) -> Iterator[Page]:
    for page in wcxb.wcxb_pages(root):
        gold = {
            "main_content": page.main_content,
            "type": page.page_type,
            "title": page.title,
            "author": page.author,
            "date": page.publish_date,
        }
        yield Page("wcxb", page.key, page.url, decode_bytes(page.data), gold)


def load_scrapinghub(root: Path = corpus.SCRAPINGHUB) -> list[Page]:
    return list(scrapinghub(root))


def load_trafilatura_eval(root: Path = corpus.TRAFILATURA) -> list[Page]:
    return list(trafilatura_eval(root))


def each_corpus(kit: Path = corpus.KIT, limit: int | None = None) -> dict[str, Iterator[Page]]:
    """Each corpus's pages, read as they are asked for (the first `limit`, for a smoke run)."""
    return {
        "scrapinghub": islice(scrapinghub(kit / "scrapinghub"), limit),
        "trafilatura": islice(trafilatura_eval(kit / "trafilatura-eval"), limit),
        "wcxb": islice(wcxb_dev(kit / "wcxb" / "dev"), limit),
    }


def load_all(kit: Path = corpus.KIT, limit: int | None = None) -> dict[str, list[Page]]:
    return {name: list(pages) for name, pages in each_corpus(kit, limit).items()}
