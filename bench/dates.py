"""Published-date accuracy of both engines on every dated corpus, beside trafilatura.

    python -m bench.dates                       # measure, print, write docs/benchmarks.md
    python -m bench.dates --save .data/dates/after.json --compare .data/dates/before.json
    python -m bench.dates --pages 50 --no-write # a smoke run

A page counts when its gold has a publication date: WCXB dev's `publish_date` (782 of 1,497
pages) and trafilatura-eval's `date`; scrapinghub has no dates. Right means the same calendar
day (a gold `YYYY-MM` only names the month, so the month must match). Measured:
- the HTML engine on the raw pages, as the service publishes (a rejected page has no date),
  and as its date decision stands whatever the rejection (`decided`: the rejection skipped), so
  that a date lost with a rejected page is told apart from a wrong date;
- per source of the decided date (`Article.sources["published"]`: json-ld, og, meta,
  microdata, dom, text, url, with `+day` / `+shown` when a later step moved it): which step
  gives right and wrong dates;
- the text engine on WCXB's Chromium dumps and on the dump maker's dumps of both corpora;
- trafilatura 2.3.1 (`bare_extraction(with_metadata=True)`) on the same HTML, its dates cached
  in `.data/dates/trafilatura.json` (its extraction takes minutes; the cache is keyed by page).

`--save` writes every page's dates (all pages, dated or not); `--compare` counts the outputs
that differ from an earlier save, per engine and corpus.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from bench import corpus, report
from bench.dumpmaker import html_to_dump
from bench.wcxb import WCXB_DEV
from extractor.decode import decode_bytes
from extractor.html import extract_html, main_blocks, rejections
from extractor.model import Article, Document, Extraction
from extractor.text import extract_text

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".data" / "dates"
TRAFILATURA_CACHE = CACHE / "trafilatura.json"
COMMAND = "python -m bench.dates"


@dataclass(frozen=True, slots=True)
class DatedPage:
    corpus: str
    key: str
    url: str
    html: str
    gold: str  # "YYYY-MM-DD", "YYYY-MM", or "" (no date known)
    dump: str | None = None  # the real browser's text, where the corpus has it


def wcxb_dev(limit: int | None = None) -> Iterator[DatedPage]:
    paths = sorted((WCXB_DEV / "ground-truth").glob("*.json"))[:limit]
    for path in paths:
        record = json.loads(path.read_text(encoding="utf-8"))
        html = WCXB_DEV / "html" / f"{path.stem}.html.gz"
        if not html.exists():
            continue
        dump = WCXB_DEV / "dumps-chromium" / f"{path.stem}.txt"
        yield DatedPage(
            "wcxb",
            path.stem,
            record.get("url") or f"https://page-{path.stem}.invalid/",
            decode_bytes(gzip.decompress(html.read_bytes())),
            record["ground_truth"].get("publish_date") or "",
            dump.read_text(encoding="utf-8") if dump.exists() else None,
        )


def trafilatura_eval(limit: int | None = None) -> Iterator[DatedPage]:
    for n, (page, record) in enumerate(corpus.trafilatura_pages()):
        if limit is not None and n >= limit:
            return
        html = decode_bytes(page.data)
        yield DatedPage("trafilatura-eval", page.key, page.url, html, record.get("date") or "")


def right(found: str | None, gold: str) -> bool:
    """The same day (a month-only gold: the same month)."""
    return bool(found) and found is not None and found[: len(gold)] == gold


@dataclass(slots=True)
class Outcome:
    """One engine's dates for one page: as published, and as decided whatever the rejection."""

    published: str | None
    decided: str | None
    source: str
    modified: str | None
    rejected: bool


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _outcome(result: Extraction, rejected: bool) -> Outcome:
    if not isinstance(result, Article):
        return Outcome(None, None, "rejected", None, True)
    found = _day(result.published)
    source = result.sources.get("published", "none") if found else "none"
    return Outcome(None if rejected else found, found, source, _day(result.modified), rejected)


def run_html(page: DatedPage) -> Outcome:
    """The HTML engine with its content rejection recorded but skipped (see the module doc)."""
    verdicts: list[object] = []
    real = rejections.check_page

    def record(*args: Any, **kwargs: Any) -> None:
        verdicts.append(real(*args, **kwargs))

    doc = Document(url=page.url, body=page.html)
    with mock.patch.object(rejections, "check_page", record):
        result = extract_html(doc, chooser=main_blocks.SHIPPED)
    return _outcome(result, any(v is not None for v in verdicts))


def run_text(dump: str, url: str) -> Outcome:
    result = extract_text(Document(url=url, body=dump, is_html=False))
    return _outcome(result, not isinstance(result, Article))


def trafilatura_dates(pages: list[DatedPage]) -> dict[str, str | None]:
    """trafilatura's date of each page ("corpus/key"), from the cache or measured now."""
    cache: dict[str, str | None] = {}
    if TRAFILATURA_CACHE.exists():
        cache = json.loads(TRAFILATURA_CACHE.read_text(encoding="utf-8"))
    missing = [p for p in pages if f"{p.corpus}/{p.key}" not in cache]
    if missing:
        import trafilatura

        for page in missing:
            try:
                doc: Any = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
            except Exception:  # a peer's crash is its missing date
                doc = None
            found = doc.date[:10] if doc is not None and doc.date else None
            cache[f"{page.corpus}/{page.key}"] = found
        CACHE.mkdir(parents=True, exist_ok=True)
        TRAFILATURA_CACHE.write_text(json.dumps(cache, sort_keys=True), encoding="utf-8")
    return cache


@dataclass(slots=True)
class Tally:
    right: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.right += hit
        self.total += 1

    def __str__(self) -> str:
        return f"{self.right / self.total:.3f} ({self.right}/{self.total})" if self.total else "-"


Outputs = dict[str, dict[str, Outcome]]  # engine/corpus -> page key -> outcome


def measure(pages: list[DatedPage], with_peer: bool) -> tuple[Outputs, dict[str, str | None]]:
    outputs: Outputs = {}
    for page in pages:
        outputs.setdefault(f"html/{page.corpus}", {})[page.key] = run_html(page)
        dump = html_to_dump(page.html)
        outputs.setdefault(f"text-dumpmaker/{page.corpus}", {})[page.key] = run_text(dump, page.url)
        if page.dump is not None:
            outputs.setdefault(f"text-chromium/{page.corpus}", {})[page.key] = run_text(
                page.dump, page.url
            )
    peer = trafilatura_dates(pages) if with_peer else {}
    return outputs, peer


def accuracy_table(pages: list[DatedPage], outputs: Outputs, peer: dict[str, str | None]) -> str:
    gold = {(p.corpus, p.key): p.gold for p in pages}
    rows = [
        "| engine | pages | corpus | published | decided | rejected (dated) | trafilatura |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, found in outputs.items():
        engine, corpus_name = name.split("/")
        published, decided, theirs, rejected = Tally(), Tally(), Tally(), 0
        for key, out in found.items():
            day = gold[(corpus_name, key)]
            if not day:
                continue
            published.add(right(out.published, day))
            decided.add(right(out.decided, day))
            rejected += out.rejected
            if engine == "html" and peer:
                theirs.add(right(peer.get(f"{corpus_name}/{key}"), day))
        source = "raw HTML" if engine == "html" else engine.removeprefix("text-") + " dumps"
        cells = [engine, source, corpus_name, str(published), str(decided), str(rejected)]
        rows.append("| " + " | ".join([*cells, str(theirs)]) + " |")
    return "\n".join(rows)


def source_table(pages: list[DatedPage], outputs: Outputs) -> str:
    """Per source of the decided date, on dated pages: right, wrong, and the pages without."""
    gold = {(p.corpus, p.key): p.gold for p in pages}
    rows = ["| engine/corpus | source | right | wrong | share right |", "|---|---|---|---|---|"]
    for name, found in outputs.items():
        corpus_name = name.split("/")[1]
        hits: Counter[str] = Counter()
        misses: Counter[str] = Counter()
        for key, out in found.items():
            day = gold[(corpus_name, key)]
            if day:
                (hits if right(out.decided, day) else misses)[out.source] += 1
        for source in sorted(hits.keys() | misses.keys(), key=lambda s: -(hits[s] + misses[s])):
            total = hits[source] + misses[source]
            cells = [name, source, str(hits[source]), str(misses[source])]
            rows.append("| " + " | ".join([*cells, f"{hits[source] / total:.2f}"]) + " |")
    return "\n".join(rows)


def save(outputs: Outputs, path: Path) -> None:
    data = {
        name: {key: [o.decided, o.modified, o.source, o.rejected] for key, o in found.items()}
        for name, found in outputs.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")


def compare(outputs: Outputs, path: Path, pages: list[DatedPage]) -> str:
    """Outputs (published or modified day) that differ from an earlier save; and on dated
    pages, how many turned right and how many turned wrong."""
    before: dict[str, dict[str, list[Any]]] = json.loads(path.read_text(encoding="utf-8"))
    gold = {(p.corpus, p.key): p.gold for p in pages}
    rows = [
        "| engine/corpus | pages | changed | dated changed | now right | now wrong |",
        "|---|---|---|---|---|---|",
    ]
    for name, found in outputs.items():
        corpus_name = name.split("/")[1]
        changed = dated = fixed = broken = 0
        old_all = before.get(name, {})
        for key, out in found.items():
            old = old_all.get(key)
            if old is None or (old[0], old[1]) == (out.decided, out.modified):
                continue
            changed += 1
            day = gold[(corpus_name, key)]
            if day and right(old[0], day) != right(out.decided, day):
                dated += 1
                fixed += right(out.decided, day)
                broken += right(old[0], day)
            elif day and old[0] != out.decided:
                dated += 1
        rows.append(f"| {name} | {len(found)} | {changed} | {dated} | {fixed} | {broken} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help="the first N pages of each corpus")
    parser.add_argument("--no-peer", action="store_true", help="leave trafilatura out")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md alone")
    parser.add_argument("--save", type=Path, help="write every page's dates (JSON)")
    parser.add_argument("--compare", type=Path, help="count outputs changed since a save")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not corpus.KIT.is_dir():
        print(f"skipped: {corpus.MISSING}")
        return 0
    loaders: tuple[Callable[[int | None], Iterator[DatedPage]], ...] = (
        wcxb_dev,
        trafilatura_eval,
    )
    pages = [page for load in loaders for page in load(args.pages)]
    outputs, peer = measure(pages, not args.no_peer)
    table = accuracy_table(pages, outputs, peer) + "\n\n" + source_table(pages, outputs)
    print(table)
    if args.save:
        save(outputs, args.save)
    if args.compare and args.compare.exists():
        print("\n" + compare(outputs, args.compare, pages))
    if not args.no_write and not args.pages and not args.no_peer:
        report.write_section("dates", _section(table))
    return 0


def _section(table: str) -> str:
    return (
        "### Publication dates\n\n"
        f"Command: `{COMMAND}`. Share of pages whose gold has a publication date where the "
        "engine gives the same day: `published` as the service publishes it (a rejected page "
        "has none), `decided` what the date decision gives whatever the rejection; "
        "trafilatura 2.3.1 (`bare_extraction`, with metadata) on the same HTML. Below, the "
        "decided date by its source (which step gave it).\n\n" + table
    )


if __name__ == "__main__":
    sys.exit(main())
