"""Benchmark the site memory: F1 as pages of one site flow through, and on first-seen sites.

    python -m bench.site_memory [--pages 20] [--no-write]
    python -m bench.site_memory --pages 5 --corpus-pages 40 --no-write   # a smoke run

(a) Same-template sites (`bench/site_pages.py`: three sites, three languages, three layouts,
    the scrapinghub corpus bodies as their articles), each page in order through both engines
    (HTML, and its text dump by `bench.dumpmaker`), with and without an
    `InMemorySiteMemory` (the Redis adapter's semantics, default policy). F1 by position:
    the first page, pages 2-5, pages 6-N.
(b) Real multi-page sites: the corpora's pages grouped by host; hosts with 3 pages or more.
(c) First-seen sites: every corpus page through one memory in corpus order, against no memory.
Scores per `bench/scoring.py`. The table goes into docs/benchmarks.md (`bench:site-memory`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bench import corpus, report
from bench.dumpmaker import html_to_dump
from bench.scoring import ShingleScore, SnippetScore
from bench.site_pages import SITES, Story, builtin_stories, site_pages
from extractor.boilerplate import InMemorySiteMemory, PagePass, Policy, SiteCounts
from extractor.decode import decode_bytes
from extractor.html import extract_html, extraction_quality, main_blocks
from extractor.model import Article, Document
from extractor.text import extract_text
from shared.hosts import site_of

COMMAND = "python -m bench.site_memory"
DEFAULT_PAGES = 20
MIN_SITE_PAGES = 3
Engine = Callable[[Document, PagePass | None], str]


def _html(doc: Document, known: PagePass | None) -> str:
    result = extract_html(
        doc, boilerplate=known, chooser=main_blocks.SHIPPED, quality=extraction_quality.SHIPPED
    )
    return result.text if isinstance(result, Article) else ""


def _text(doc: Document, known: PagePass | None) -> str:
    result = extract_text(doc, boilerplate=known)
    return result.text if isinstance(result, Article) else ""


@dataclass(frozen=True, slots=True)
class Item:
    """A page as it flows: its URL, the document each engine reads, its gold body."""

    url: str
    html: Document
    dump: Document
    truth: str


def run(items: Iterable[Item], engine: str, memory: InMemorySiteMemory | None) -> list[str]:
    """Each item through one engine in order; with a memory, read before and record after."""
    fn, out = (_html, "html") if engine == "html" else (_text, "dump"), []
    extract, field = fn
    for item in items:
        doc: Document = getattr(item, field)
        if memory is None:
            out.append(extract(doc, None))
            continue
        host = site_of(item.url)
        known = PagePass(memory.counts_now(host), memory.policy)
        out.append(extract(doc, known))
        if host and known.fingerprints:
            memory.record_now(host, item.url, known.fingerprints)
    return out


def corpus_stories(count: int) -> list[Story]:
    """Articles from the scrapinghub gold bodies (3 paragraphs or more), in corpus order."""
    stories = []
    for _page, body in corpus.scrapinghub_pages():
        paragraphs = tuple(p.strip() for p in body.split("\n") if len(p.strip()) > 40)
        if len(paragraphs) >= MIN_SITE_PAGES:
            stories.append(Story(paragraphs[0][:70].rsplit(" ", 1)[0], paragraphs[1:]))
        if len(stories) >= count:
            break
    return stories


def _item(url: str, html: str, truth: str, language: str | None = None) -> Item:
    return Item(
        url,
        Document(url, html),
        Document(url, html_to_dump(html), is_html=False, declared_language=language),
        truth,
    )


def same_template(pages: int) -> list[list[Item]]:
    use_corpus = corpus.available()
    stories = corpus_stories(pages * len(SITES)) if use_corpus else []
    sites = []
    for k, site in enumerate(SITES):
        mine = stories[k * pages : (k + 1) * pages] if use_corpus else []
        if len(mine) < pages:
            mine = builtin_stories(site.language, pages)
        sites.append([_item(p.url, p.html, p.truth) for p in site_pages(site, mine)])
    return sites


@dataclass(slots=True)
class Positions:
    """F1 by position of the page in its site's sequence."""

    first: ShingleScore
    early: ShingleScore
    later: ShingleScore
    total: ShingleScore

    @classmethod
    def new(cls) -> Positions:
        return cls(ShingleScore(), ShingleScore(), ShingleScore(), ShingleScore())

    def add(self, position: int, predicted: str, truth: str) -> None:
        bucket = self.first if position == 0 else self.early if position < 5 else self.later
        bucket.add(predicted, truth)
        self.total.add(predicted, truth)


def bench_templates(pages: int) -> dict[tuple[str, bool], Positions]:
    sites = same_template(pages)
    out: dict[tuple[str, bool], Positions] = {}
    for engine in ("html", "dump"):
        for with_memory in (False, True):
            scores = Positions.new()
            for items in sites:
                memory = InMemorySiteMemory() if with_memory else None
                for position, (item, text) in enumerate(
                    zip(items, run(items, engine, memory), strict=True)
                ):
                    scores.add(position, text, item.truth)
            out[engine, with_memory] = scores
    return out


def corpus_items(
    limit: int | None = None,
) -> tuple[list[Item], list[tuple[Item, dict[str, object]]]]:
    """The corpus pages (the first `limit` of each corpus)."""
    shub = [
        _item(p.url, decode_bytes(p.data), body)
        for p, body in itertools.islice(corpus.scrapinghub_pages(), limit)
    ]
    traf = [
        (_item(p.url, decode_bytes(p.data), ""), record)
        for p, record in itertools.islice(corpus.trafilatura_pages(), limit)
    ]
    return shub, traf


def multi_page_hosts(items: Iterable[Item]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[site_of(item.url) or "(no host)"] += 1
    return {h: n for h, n in sorted(counts.items()) if n >= 2}


def real_sites(
    shub: list[Item], traf: list[tuple[Item, dict[str, object]]]
) -> list[tuple[str, str, list[float], list[float], list[float]]]:
    """Hosts with 3 pages or more across both corpora (scrapinghub first, then trafilatura-eval,
    each in corpus order): every page's score without and with memory, per engine. A page's
    score is its shingle F1 (scrapinghub) or its snippet F1 (trafilatura-eval)."""
    pages: dict[str, list[tuple[Item, dict[str, object] | None]]] = defaultdict(list)
    for item in shub:
        pages[site_of(item.url)].append((item, None))
    for item, record in traf:
        pages[site_of(item.url)].append((item, record))
    out = []
    for host, group in sorted(pages.items()):
        if not host or len(group) < MIN_SITE_PAGES:
            continue
        items = [item for item, _ in group]
        for engine in ("html", "dump"):
            row: list[list[float]] = []
            memories = (None, InMemorySiteMemory(), InMemorySiteMemory(Policy(min_pages=2)))
            for memory in memories:
                row.append(
                    [
                        _page_score(text, item, record)
                        for (item, record), text in zip(
                            group, run(items, engine, memory), strict=True
                        )
                    ]
                )
            out.append((host, engine, row[0], row[1], row[2]))
    return out


def _page_score(text: str, item: Item, record: dict[str, object] | None) -> float:
    if record is None:
        shingles = ShingleScore()
        shingles.add(text, item.truth)
        return shingles.f1
    return _snippets([(item, record)], [text]).f1


def _snippets(items: list[tuple[Item, dict[str, object]]], texts: list[str]) -> SnippetScore:
    score = SnippetScore()
    for (_, record), text in zip(items, texts, strict=True):
        score.add_body(text, record.get("with") or [], record.get("without") or [])  # type: ignore[arg-type]
    return score


def overhead(items: list[Item], engine: str, rounds: int = 3) -> tuple[float, float]:
    """Median ms/page without and with a memory that knows nothing yet (fingerprinting only),
    the two runs interleaved page by page so that a busy machine slows both alike."""
    extract, field = (_html, "html") if engine == "html" else (_text, "dump")
    off: list[float] = []
    on: list[float] = []
    for _ in range(rounds):
        for item in items:
            doc: Document = getattr(item, field)
            for known, out in ((None, off), (PagePass(SiteCounts(), Policy()), on)):
                start = time.perf_counter()
                extract(doc, known)
                out.append((time.perf_counter() - start) * 1000)
    return statistics.median(off), statistics.median(on)


def first_seen(
    shub: list[Item], traf: list[tuple[Item, dict[str, object]]]
) -> dict[str, tuple[float, float, float, float]]:
    """F1 without and with one memory over all corpus pages, in corpus order, and ms/page."""
    out = {}
    for engine in ("html", "dump"):
        row = []
        for memory in (None, InMemorySiteMemory()):
            texts = run(shub, engine, memory)
            score = ShingleScore()
            for item, text in zip(shub, texts, strict=True):
                score.add(text, item.truth)
            row.append(score.f1)
        out[f"scrapinghub, {engine}"] = (row[0], row[1], *overhead(shub, engine))
        with_, without = (
            _snippets(traf, run([i for i, _ in traf], engine, m))
            for m in (InMemorySiteMemory(), None)
        )
        out[f"trafilatura-eval, {engine} (snippet F1)"] = (without.f1, with_.f1, 0.0, 0.0)
    return out


def render(
    templates: dict[tuple[str, bool], Positions],
    pages: int,
    hosts: dict[str, int],
    seen: dict[str, tuple[float, float, float, float]] | None,
    real: list[tuple[str, str, list[float], list[float], list[float]]] | None = None,
) -> str:
    lines = [
        "## Site memory: boilerplate learned across a site's pages",
        "",
        f"(a) Three same-template sites (`bench/site_pages.py`: English, German, Spanish; three "
        f"layouts with hashed class names; scrapinghub bodies as articles), {pages} pages each, "
        "in order. Shingle F1 by the page's position in its site; default policy (a block is "
        "learned once seen on 3 pages).",
        "",
        "| engine | memory | page 1 | pages 2-5 | pages 6-" + str(pages) + " | all |",
        "|---|---|---|---|---|---|",
    ]
    for (engine, with_memory), s in templates.items():
        name = "HTML" if engine == "html" else "text dump"
        cells = [s.first.f1, s.early.f1, s.later.f1, s.total.f1]
        lines.append(
            f"| {name} | {'on' if with_memory else 'off'} | "
            + " | ".join(f"{v:.3f}" for v in cells)
            + " |"
        )
    lines += [
        "",
        "(b) Real multi-page sites: the hosts with 3 pages or more across both corpora, their "
        "pages in corpus order (web.archive.org: archives of 11 different sites under one host, "
        "a check that unrelated pages teach nothing harmful). Per page: shingle F1 "
        "(scrapinghub) or snippet F1 (trafilatura-eval).",
        "",
        "| host | engine | memory off, page by page | on (default) | on, `min_pages` 2 |",
        "|---|---|---|---|---|",
    ]
    for host, engine, *runs in real or []:
        name = "HTML" if engine == "html" else "text dump"
        runs_text = [" ".join(f"{v:.3f}" for v in scores) for scores in runs]
        lines.append(f"| {host} | {name} | " + " | ".join(runs_text) + " |")
    pairs = sum(1 for h, n in hosts.items() if n == 2 and h != "(no host)")
    lines.append(f"\nAll other hosts have one page, {pairs} have two: too few to learn from.")
    if seen is not None:
        lines += [
            "",
            "(c) Every corpus page through one memory, in corpus order (first-seen sites), "
            "against no memory (times: the engine alone, without the near-duplicate signature "
            "the extractor adds to each event; the extraction table counts it):",
            "",
            "| corpus, engine | F1 without | F1 with | median ms/page without | with (hashing) |",
            "|---|---|---|---|---|",
        ]
        for name, (f1_off, f1_on, ms_off, ms_on) in seen.items():
            timing = f"{ms_off:.1f} | {ms_on:.1f}" if ms_off else "- | -"
            lines.append(f"| {name} | {f1_off:.3f} | {f1_on:.3f} | {timing} |")
    shown = COMMAND + ("" if pages == DEFAULT_PAGES else f" --pages {pages}")
    lines += ["", f"Command: `{shown}`"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--pages", type=int, default=DEFAULT_PAGES, help="pages per same-template site"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--corpus-pages", type=int, help="the first N pages of each corpus (a smoke run, printed)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    templates = bench_templates(args.pages)
    hosts: dict[str, int] = {}
    seen = None
    real = None
    if corpus.available():
        shub, traf = corpus_items(args.corpus_pages)
        hosts = multi_page_hosts([*shub, *(i for i, _ in traf)])
        seen = first_seen(shub, traf)
        real = real_sites(shub, traf)
    text = render(templates, args.pages, hosts, seen, real)
    if args.json:
        figures = {f"{e}/{'on' if m else 'off'}": s.total.f1 for (e, m), s in templates.items()}
        print(json.dumps(figures, indent=2))
    print(text)
    if not args.no_write and not args.corpus_pages:
        report.write_section("site-memory", text)


if __name__ == "__main__":
    main()
