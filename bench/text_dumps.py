"""Benchmark the plain-text engine on text dumps of the scrapinghub corpus, next to peers.

    python -m bench.text_dumps [--corpus ../shared/bench/scrapinghub] [--no-write]
    python -m bench.text_dumps --pages 20      # a smoke run: 20 pages of each corpus, printed

Each page of the corpus is turned into the text a browser's select-all copy gives
(`bench.dumpmaker.html_to_dump`). Our engine reads the dump; the peers get the same
dump wrapped as HTML, one `<p>` a line: boilerpy3 (ArticleExtractor), trafilatura (default),
and the dump taken whole. One process, one run: F1/P/R per `bench/scoring.py`, ms/page (ours
with the near-duplicate signature its extractor adds to each article's event). The table goes
into docs/benchmarks.md between the `bench:text` markers.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import corpus, report, wcxb
from bench.browser_dumps import load_dumps
from bench.dumpmaker import html_to_dump
from bench.scoring import (
    ShingleScore,
    SnippetScore,
    author_set,
    normalise_field,
    score_scrapinghub,
)
from extractor.decode import decode_bytes
from extractor.model import Article, Document
from extractor.text import extract_text
from shared import dedup

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = corpus.SCRAPINGHUB
DEFAULT_EVAL_CORPUS = corpus.TRAFILATURA
COMMAND = "python -m bench.text_dumps"
MEASURABLE_MS = 0.01

Extractor = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    dump: str
    truth: str


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    score: ShingleScore
    ms_per_page: float


def load_pages(root: Path, limit: int | None = None) -> list[Page]:
    return [
        Page(page.key, page.url, html_to_dump(decode_bytes(page.data)), body)
        for page, body in itertools.islice(corpus.scrapinghub_pages(root), limit)
    ]


def wrap_as_html(dump: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in dump.splitlines() if line)
    return f"<html><head></head><body>\n{paragraphs}</body></html>"


def ours(dump: str, url: str = "") -> str:
    """The text engine and the near-duplicate signature: the extractor computes both for every
    article it publishes, so both are its time."""
    result = extract_text(Document(url=url, body=dump, is_html=False))
    if not isinstance(result, Article):
        return ""
    dedup.encoded_bands(result.text)
    return result.text


def _boilerpy3() -> Extractor | None:
    try:
        from boilerpy3 import extractors  # type: ignore[import-untyped]
    except ImportError:
        return None
    extractor = extractors.ArticleExtractor(raise_on_failure=False)

    def run(dump: str) -> str:
        return str(extractor.get_content(wrap_as_html(dump)) or "")

    return run


def _trafilatura() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(dump: str) -> str:
        return str(trafilatura.extract(wrap_as_html(dump)) or "")

    return run


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def extractors() -> dict[str, Extractor | None]:
    return {
        "pagewire text engine": ours,
        f"boilerpy3 {_version('boilerpy3')} ArticleExtractor": _boilerpy3(),
        f"trafilatura {_version('trafilatura')} default": _trafilatura(),
        "dump taken whole": lambda dump: dump,
    }


def run_one(name: str, extract: Extractor, pages: list[Page]) -> Result:
    predicted, times = [], []
    for page in pages:
        started = time.perf_counter()
        try:
            text = extract(page.dump)
        except Exception:  # a peer's crash is a miss, not the end of the run
            logger.exception("%s failed on %s", name, page.url)
            text = ""
        times.append(time.perf_counter() - started)
        predicted.append(text)
    score = score_scrapinghub(zip(predicted, (p.truth for p in pages), strict=True))
    return Result(name, score, 1000 * statistics.mean(times))


def _timing(result: Result, base: Result) -> str:
    if result.ms_per_page < MEASURABLE_MS:
        return "<0.01 | - | -"
    pages_s = 1000 / result.ms_per_page
    ratio = result.ms_per_page / base.ms_per_page
    return f"{result.ms_per_page:.2f} | {pages_s:.0f} | {ratio:.2f}x"


def render_table(results: list[Result], pages: int) -> str:
    base = results[0]
    rows = [
        "## Plain-text dumps",
        "",
        f"Text dumps of the {pages} scrapinghub pages, made by `bench.dumpmaker`. "
        f"Command: `{COMMAND}`. One process, one run; our engine reads the dump, the peers get "
        "the same dump wrapped as HTML (one `<p>` a line). ms/page is the mean; ours includes "
        "the near-duplicate signature its extractor publishes with each article "
        "(`dedup_signature`). Timings on these shared machines move by up to 30 % between runs.",
        "",
        "| extractor | F1 | P | R | exact | ms/page | pages/s | time vs ours | F1 vs ours |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.score
        rows.append(
            f"| {r.name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} | {s.accuracy:.2f} "
            f"| {_timing(r, base)} | {s.f1 / base.score.f1:.2f} |"
        )
    return "\n".join(rows)


def per_page(pages: list[Page], path: Path) -> None:
    """Our F1 per page, worst first (for looking into misses)."""
    scored = []
    for page in pages:
        score = score_scrapinghub([(ours(page.dump, page.url), page.truth)])
        scored.append((score.f1, score.precision, score.recall, page))
    scored.sort(key=lambda row: row[0])
    rows = [
        {"id": page.id, "url": page.url, "f1": round(f1, 3), "p": round(p, 3), "r": round(r, 3)}
        for f1, p, r, page in scored
    ]
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")


# --- trafilatura-eval: body snippets and metadata on dumps ---------------------------------


@dataclass(frozen=True, slots=True)
class EvalPage:
    url: str
    dump: str
    record: dict[str, Any]


def load_eval_pages(root: Path, limit: int | None = None) -> list[EvalPage]:
    return [
        EvalPage(page.url, html_to_dump(decode_bytes(page.data)), record)
        for page, record in itertools.islice(corpus.trafilatura_pages(root), limit)
    ]


def _meta(score: SnippetScore, article: Article | None, record: dict[str, Any]) -> None:
    if record.get("title"):
        title = article.title if article else ""
        score.add_meta("title", normalise_field(title) == normalise_field(record["title"]))
    if record.get("author"):
        authors = article.authors if article else []
        score.add_meta("author", author_set(authors) == author_set(record["author"]))
    if record.get("date"):
        day = article.published.date().isoformat() if article and article.published else ""
        score.add_meta("date", day == record["date"])


def run_eval(name: str, extract: Extractor, pages: list[EvalPage]) -> str:
    """One table row: snippet F1/P/R, and for our engine title/author/date accuracy."""
    score = SnippetScore()
    for page in pages:
        if extract is ours:
            result = extract_text(Document(url=page.url, body=page.dump, is_html=False))
            article = result if isinstance(result, Article) else None
            text = article.text if article else ""
            _meta(score, article, page.record)
        else:
            text = extract(page.dump)
        score.add_body(text, page.record.get("with", []), page.record.get("without", []))
    meta = " | ".join(
        f"{score.meta(m):.2f}" if score.meta_total[m] else "-" for m in ("title", "author", "date")
    )
    return f"| {name} | {score.f1:.3f} | {score.precision:.3f} | {score.recall:.3f} | {meta} |"


def render_eval(rows: list[str], pages: int) -> str:
    head = [
        "",
        f"Text dumps of the {pages} trafilatura-eval pages (same command and run): body snippets "
        "that must or must not be in the text, and for our engine the share of exact title, "
        "author set and publication day where the gold has one.",
        "",
        "| extractor | snippet F1 | P | R | title | authors | date |",
        "|---|---|---|---|---|---|---|",
    ]
    return "\n".join(head + rows)


# --- browser dumps of the three corpora ----------------------------------------------------


def _article_of(url: str, dump: str) -> Article | None:
    result = extract_text(Document(url=url, body=dump, is_html=False))
    return result if isinstance(result, Article) else None


def _wcxb_meta(score: SnippetScore, article: Article | None, page: wcxb.WcxbPage) -> None:
    if page.title:
        title = article.title if article else ""
        score.add_meta("title", normalise_field(title) == normalise_field(page.title))
    if page.author:
        authors = article.authors if article else []
        score.add_meta("author", author_set(authors) == author_set(page.author))
    if page.publish_date:
        day = article.published.date().isoformat() if article and article.published else ""
        score.add_meta("date", bool(day) and day.startswith(page.publish_date))


def _meta_cells(score: SnippetScore) -> str:
    return " | ".join(
        f"{score.meta(m):.2f}" if score.meta_total[m] else "-" for m in ("title", "author", "date")
    )


def browser_rows(limit: int | None = None) -> list[str]:
    """Ours and the whole dump on the browser dumps of each corpus (`bench.browser_dumps`)."""
    rows = []
    dumps = load_dumps("scrapinghub")
    pages = [
        Page(p.key, p.url, dumps[p.key], body)
        for p, body in itertools.islice(corpus.scrapinghub_pages(), limit)
        if p.key in dumps
    ]
    for name, extract in (("pagewire", ours), ("dump taken whole", _whole)):
        if pages:
            f1 = run_one(name, extract, pages).score.f1
            rows.append(f"| scrapinghub ({len(pages)}) | {name} | {f1:.3f} | - | - | - | - |")
    dumps = load_dumps("trafilatura")
    eval_pages = [
        EvalPage(p.url, dumps[p.key], record)
        for p, record in itertools.islice(corpus.trafilatura_pages(), limit)
        if p.key in dumps
    ]
    for name, extract in (("pagewire", ours), ("dump taken whole", _whole)):
        if eval_pages:
            cells = run_eval(name, extract, eval_pages).split(" | ")
            meta = " | ".join(cells[4:]).rstrip(" |")
            row = f"| trafilatura-eval ({len(eval_pages)}) | {name} | {cells[1]} | - | {meta} |"
            rows.append(row)
    rows += _wcxb_rows(limit)
    return rows


def _whole(dump: str) -> str:
    return dump


def _wcxb_rows(limit: int | None) -> list[str]:
    dumps = load_dumps("wcxb")
    pages = [p for p in itertools.islice(wcxb.wcxb_pages(), limit) if p.key in dumps]
    if not pages:
        return []
    rows = []
    for name in ("pagewire", "dump taken whole"):
        score, f1s = SnippetScore(), []
        for page in pages:
            if name == "pagewire":
                article = _article_of(page.url, dumps[page.key])
                text = article.text if article else ""
                _wcxb_meta(score, article, page)
            else:
                text = dumps[page.key]
            f1s.append((page.page_type, wcxb.word_f1(text, page.main_content)))
        by_type = wcxb.mean_by_type(f1s)
        meta = _meta_cells(score) if name == "pagewire" else "- | - | -"
        rows.append(
            f"| WCXB dev ({len(pages)}) | {name} | {by_type['all']:.3f} "
            f"| {by_type.get('article', 0):.3f} | {meta} |"
        )
    return rows


def render_browser(rows: list[str]) -> str:
    head = [
        "",
        "Real-browser dumps of the three corpora (same command and run): Chromium's "
        "`document.body.innerText`, JavaScript off, no network; WCXB's own dumps for WCXB dev, "
        "`python -m bench.browser_dumps` for the others. Body: scrapinghub shingle F1, "
        "trafilatura-eval snippet F1, WCXB word F1 (all pages, articles); metadata by the "
        "kit's rules (a rejected page counts as wrong).",
        "",
        "| dumps | extractor | body F1 | WCXB articles | title | authors | date |",
        "|---|---|---|---|---|---|---|",
    ]
    return "\n".join(head + rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    parser.add_argument("--ours-only", action="store_true", help="skip the peers")
    parser.add_argument("--eval-corpus", type=Path, default=DEFAULT_EVAL_CORPUS)
    parser.add_argument("--per-page", type=Path, help="write our per-page scores (JSON)")
    parser.add_argument("--pages", type=int, help="the first N pages of each corpus (a smoke run)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    pages = load_pages(args.corpus, args.pages)
    chosen = {
        name: extract
        for name, extract in extractors().items()
        if extract is not None and (not args.ours_only or extract is ours)
    }
    results = [run_one(name, extract, pages) for name, extract in chosen.items()]
    table = render_table(results, len(pages))
    if args.eval_corpus.exists():
        eval_pages = load_eval_pages(args.eval_corpus, args.pages)
        rows = [run_eval(name, extract, eval_pages) for name, extract in chosen.items()]
        table += "\n" + render_eval(rows, len(eval_pages))
    browser = browser_rows(args.pages)
    if browser:
        table += "\n" + render_browser(browser)
    print(table)
    if args.per_page:
        per_page(pages, args.per_page)
    if not args.no_write and not args.ours_only and not args.pages:
        report.write_section("text", table)


if __name__ == "__main__":
    main()
