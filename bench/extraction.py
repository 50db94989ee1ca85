"""Article extraction benchmark: pagewire against trafilatura and readability-lxml.

    python -m bench.extraction                 # every extractor, writes docs/benchmarks.md
    python -m bench.extraction --only pagewire # quick iteration, prints only
    python -m bench.extraction --only pagewire --worst 15   # and the worst pages

    python -m bench.extraction --pages 20 --no-write   # a smoke run on 20 pages of each

All extractors run on the same decoded pages in one process, interleaved page by page (so
load from other jobs falls on all of them alike), after the same warm-up (`WARMUP` pages,
untimed, each extractor); each page's time covers the extractor call only, and for pagewire
the near-duplicate signature the extractor adds to each article's event (`dedup_signature`).
pagewire's peak memory is measured in a process of its own, so that its pass over the pages
warms no cache of the timed run. Scores follow ../shared/bench/README.md (see
`bench.scoring`). A run on part of the corpora (`--pages`) leaves docs/benchmarks.md alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import corpus, report
from bench.local import timed
from bench.scoring import SnippetScore, author_set, normalise_field, score_scrapinghub
from extractor.decode import decode_bytes
from extractor.html import extract_html, extraction_quality, main_blocks
from extractor.model import Article, Document
from shared import dedup

ROOT = Path(__file__).resolve().parent.parent
SHARED = corpus.KIT
WARMUP = 10
"""Pages each extractor reads once before the timed run (imports and lazy set-up left out)."""


@dataclass(slots=True)
class Output:
    text: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: date | None = None
    signature: str | None = None


Extractor = Callable[[str, str], Output]
_NO_META = {"readability-lxml": ("authors", "date")}  # fields an extractor does not return


@dataclass(slots=True)
class Page:
    key: str
    url: str
    html: str
    gold: dict[str, Any]


def load_scrapinghub(root: Path = corpus.SCRAPINGHUB) -> list[Page]:
    return [
        Page(page.key, page.url, decode_bytes(page.data), {"url": page.url, "articleBody": body})
        for page, body in corpus.scrapinghub_pages(root)
    ]


def load_trafilatura_eval(root: Path = corpus.TRAFILATURA) -> list[Page]:
    return [
        Page(page.key, page.url, decode_bytes(page.data), record)
        for page, record in corpus.trafilatura_pages(root)
    ]


def run_pagewire(html: str, url: str) -> Output:
    """The HTML engine (its quality estimate too) and the near-duplicate signature: the
    extractor computes both for every article it publishes (`extractor.core.to_event`), so
    both are its time."""
    result = extract_html(
        Document(url=url, body=html),
        chooser=main_blocks.SHIPPED,
        quality=extraction_quality.SHIPPED,
    )
    if not isinstance(result, Article):
        return Output("")
    day = result.published.date() if result.published else None
    signature = dedup.encoded_bands(result.text)
    return Output(result.text, result.title, result.authors, day, signature)


def _trafilatura(fast: bool) -> Extractor:
    import trafilatura

    def run(html: str, url: str) -> Output:
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, fast=fast)
        if doc is None:
            return Output("")
        day = None
        if doc.date:
            try:
                day = datetime.strptime(doc.date[:10], "%Y-%m-%d").date()
            except ValueError:
                day = None
        return Output(doc.text or "", doc.title or "", [doc.author] if doc.author else [], day)

    return run


def _readability() -> Extractor:
    import lxml.html  # type: ignore[import-untyped]
    from readability import Document as ReadabilityDocument

    def run(html: str, url: str) -> Output:
        doc = ReadabilityDocument(html, url=url)
        summary = doc.summary(html_partial=True)
        tree = lxml.html.fromstring(summary) if summary.strip() else None
        if tree is None:
            return Output("", doc.short_title())
        for node in tree.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div"):
            node.tail = "\n" + (node.tail or "")
        return Output(tree.text_content(), doc.short_title())

    return run


def extractors(only: str | None) -> dict[str, Extractor]:
    found: dict[str, Extractor] = {"pagewire": run_pagewire}
    if only and only != "all":
        return {k: v for k, v in found.items() if k == only}
    try:
        found["trafilatura default"] = _trafilatura(fast=False)
        found["trafilatura fast"] = _trafilatura(fast=True)
        found["readability-lxml"] = _readability()
    except ImportError as exc:
        print(f"peer extractors missing ({exc}); pip install -e '.[bench]'", file=sys.stderr)
    return found


@dataclass(slots=True)
class Run:
    outputs: list[Output]
    times: list[float]


def extract_all(extract: Extractor, pages: list[Page], tolerate: bool = False) -> Run:
    """One extractor over the pages, each timed; a crash is an empty result only when
    `tolerate`."""
    run = Run([], [])
    for page in pages:
        out, seconds = timed(partial(_extract_one, extract, page, tolerate))
        run.outputs.append(out)
        run.times.append(seconds)
    return run


def _extract_one(extract: Extractor, page: Page, tolerate: bool) -> Output:
    try:
        return extract(page.html, page.url)
    except Exception as exc:
        if not tolerate:
            raise
        print(f"  {page.key}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return Output("")


def interleaved(found: dict[str, Extractor], pages: list[Page]) -> dict[str, Run]:
    """Every extractor on page 1, then every extractor on page 2...: the machine's load
    changes over a run, and interleaving spreads it evenly over the extractors compared."""
    runs = {name: Run([], []) for name in found}
    for page in pages:
        for name, extract in found.items():
            one = extract_all(extract, [page], tolerate=name != "pagewire")
            runs[name].outputs.extend(one.outputs)
            runs[name].times.extend(one.times)
    return runs


def score_eval(pages: list[Page], outputs: list[Output]) -> SnippetScore:
    score = SnippetScore()
    for page, out in zip(pages, outputs, strict=True):
        gold = page.gold
        score.add_body(out.text, gold.get("with", []), gold.get("without", []))
        if gold.get("title"):
            score.add_meta("title", normalise_field(out.title) == normalise_field(gold["title"]))
        if gold.get("author"):
            score.add_meta("authors", author_set(out.authors) == author_set(gold["author"]))
        if gold.get("date"):
            score.add_meta("date", out.date is not None and out.date.isoformat() == gold["date"])
    return score


def _ms(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def _row(name: str, cells: list[str]) -> str:
    return "| " + " | ".join([name, *cells]) + " |"


def worst(pages: list[Page], outputs: list[Output], count: int) -> None:
    scored = score_scrapinghub([])
    rows = []
    for page, out in zip(pages, outputs, strict=True):
        s = scored.add(out.text, page.gold.get("articleBody", ""))
        f1 = 2 * s.tp / (2 * s.tp + s.fp + s.fn) if s.tp else 0.0
        rows.append((f1, s.fp, s.fn, page.key, page.url))
    for row in sorted(rows)[:count]:
        print(f"  F1 {row[0]:.3f} fp {row[1]:.2f} fn {row[2]:.2f}  {row[3][:16]}  {row[4][:90]}")


def memory(pages: int | None) -> str:
    """pagewire's peak memory over the pages, measured in a process of its own."""
    command = [sys.executable, "-m", "bench.extraction", "--memory"]
    command += ["--pages", str(pages)] if pages else []
    done = subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
    kib = json.loads(done.stdout)
    return f"peak RSS {kib['peak'] / 1024:.0f} MiB (before the run: {kib['before'] / 1024:.0f} MiB)"


def _memory_child(pages: list[Page]) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    extract_all(run_pagewire, pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before": before, "peak": peak}))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run one extractor (e.g. pagewire)")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst scrapinghub pages")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--pages", type=int, help="the first N pages of each corpus (a smoke run)")
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: corpus directory {SHARED} is absent (../shared/bench)")
        return 0
    sh_pages = load_scrapinghub(SHARED / "scrapinghub")[: args.pages]
    ev_pages = load_trafilatura_eval(SHARED / "trafilatura-eval")[: args.pages]
    if args.memory:
        _memory_child(sh_pages + ev_pages)
        return 0
    found = extractors(args.only)
    for extract in found.values():  # the same warm-up for each, untimed
        extract_all(extract, (sh_pages + ev_pages)[:WARMUP], tolerate=True)
    runs = interleaved(found, sh_pages + ev_pages)
    lines = [
        "| extractor | SH F1 | SH P | SH R | SH acc | TE F1 | title | authors | date "
        "| median ms | p99 ms | pages/s | speed vs trafilatura |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    rates: dict[str, float] = {}
    for name, run in runs.items():
        lines.append(_row(name, _cells(name, run, sh_pages, ev_pages)))
        rates[name] = len(run.times) / sum(run.times)
        if name == "pagewire" and args.worst:
            worst(sh_pages, run.outputs[: len(sh_pages)], args.worst)
    _fix_ratios(lines, rates)
    used = "not measured (--only)" if args.only else memory(args.pages)
    command = "python -m bench.extraction" + (f" --only {args.only}" if args.only else "")
    table = "\n".join(lines)
    print(f"\n{table}\n{used}")
    if not args.only and not args.no_write and not args.pages:
        write_section(table, command, used, len(sh_pages), len(ev_pages))
    return 0


def _cells(name: str, run: Run, sh_pages: list[Page], ev_pages: list[Page]) -> list[str]:
    sh_outputs, ev_outputs = run.outputs[: len(sh_pages)], run.outputs[len(sh_pages) :]
    s1 = score_scrapinghub(
        (o.text, p.gold.get("articleBody", "")) for o, p in zip(sh_outputs, sh_pages, strict=True)
    )
    s2 = score_eval(ev_pages, ev_outputs)
    median, p99 = _ms(run.times)
    cells = [f"{v:.3f}" for v in (s1.f1, s1.precision, s1.recall, s1.accuracy, s2.f1)]
    cells += [
        "n/a" if k in _NO_META.get(name, ()) else f"{s2.meta(k):.2f}"
        for k in ("title", "authors", "date")
    ]
    return [*cells, f"{median:.1f}", f"{p99:.1f}", f"{len(run.times) / sum(run.times):.0f}", "-"]


def _fix_ratios(lines: list[str], rates: dict[str, float]) -> None:
    """Each row's pages/s against trafilatura default's, in the last column."""
    base = rates.get("trafilatura default")
    if not base:
        return
    for i, line in enumerate(lines[2:], start=2):
        name = line.split("|")[1].strip()
        if name in rates:
            cells = line.rstrip(" |").split(" | ")
            cells[-1] = f"{rates[name] / base:.1f}x"
            lines[i] = " | ".join(cells) + " |"


def write_section(table: str, command: str, memory: str, n_sh: int, n_ev: int) -> None:
    body = (
        "### Article extraction\n\n"
        f"Command: `{command}` (one process, same pages for every extractor, interleaved page "
        f"by page after the same warm-up of {WARMUP} untimed pages each; "
        f"SH = scrapinghub, {n_sh} pages, 4-token shingles; TE = trafilatura-eval, {n_ev} pages, "
        "snippets and metadata exact match; times over both corpora). pagewire's time includes "
        "the near-duplicate signature its extractor publishes with each article "
        "(`dedup_signature`); the search benchmark's indexing does not count it again.\n\n"
        f"{table}\n\npagewire memory, measured in a process of its own: {memory}; that process "
        "holds both corpora in memory (decoded pages), which is most of the figure before the "
        "run.\nTimings move with the machine's load (other jobs share its 2 cores); compare "
        "rows of one run, not runs."
    )
    report.write_section("extraction", body)


if __name__ == "__main__":
    sys.exit(main())
