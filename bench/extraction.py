"""Extraction benchmark: pagewire against trafilatura and readability-lxml, on the three
development corpora (scrapinghub, trafilatura-eval, WCXB dev), in-sample and cross-validated.

    python -m bench.extraction                 # every extractor, writes docs/benchmarks.md
    python -m bench.extraction --only pagewire # quick iteration, prints only
    python -m bench.extraction --only pagewire --worst 15   # and the worst scrapinghub pages
    python -m bench.extraction --pages 20 --no-write        # a smoke run on 20 pages of each

All extractors run on the same decoded pages in one process, interleaved page by page (so
load from other jobs falls on all of them alike), after the same warm-up (`WARMUP` pages,
untimed, each extractor); each page's time covers the extractor call only, and for pagewire
the near-duplicate signature the extractor adds to each article's event (`dedup_signature`).

pagewire's learned models were trained on these very pages, so its shipped figures are
in-sample. The cross-validated row runs the same engine with, for each page, the main-content
model of the folds that never saw its site (`bench.block_folds`; the fold models must be fresh:
`python -m bench.block_folds` makes them), and the page-type accuracy beside it is
cross-validated the same way. Figures: `bench.extraction_scores`. pagewire's peak memory is
measured in a process of its own. A run on part of the corpora (`--pages`) leaves
docs/benchmarks.md alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path

from bench import block_folds, corpus, report
from bench.dev_pages import CORPORA
from bench.extraction_pages import Page, each_corpus, load_all
from bench.extraction_scores import figures, page_type_accuracy
from bench.extractors import NO_META, Extractor, Output, extractors, run_pagewire
from bench.local import timed
from bench.scoring import score_scrapinghub
from bench.wcxb import PAGE_TYPES

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 10
"""Pages each extractor reads once before the timed run (imports and lazy set-up left out)."""
CV_ROW, SHIPPED_ROW = "pagewire, cross-validated", "pagewire, in-sample"
BODY = ["SH F1", "SH P", "SH R", "TE F1", "WCXB all", *(f"WCXB {t}" for t in PAGE_TYPES)]
META = [f"{c} {m}" for c in ("TE", "WCXB") for m in ("title", "authors", "date")]


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
    for index, page in enumerate(pages, 1):
        for name, extract in found.items():
            one = extract_all(extract, [page], tolerate=name != "pagewire")
            runs[name].outputs.extend(one.outputs)
            runs[name].times.extend(one.times)
        if index % 500 == 0:
            print(f"  {index} of {len(pages)} pages", file=sys.stderr)
    return runs


def cross_validated(folds: block_folds.FoldModels, pages: list[Page]) -> list[Output]:
    """pagewire on each page with the main-content model that never saw its site."""
    return [run_pagewire(p.html, p.url, folds.model(p.corpus, p.key)) for p in pages]


def by_corpus(pages: list[Page], outputs: list[Output]) -> dict[str, list[Output]]:
    split: dict[str, list[Output]] = {name: [] for name in CORPORA}
    for page, out in zip(pages, outputs, strict=True):
        split[page.corpus].append(out)
    return split


def _ms(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def _row(name: str, cells: list[str]) -> str:
    return "| " + " | ".join([name, *cells]) + " |"


def _table(columns: list[str], rows: list[str]) -> str:
    head = [_row("extractor", columns), "|" + "---|" * (len(columns) + 1)]
    return "\n".join(head + rows)


def quality_tables(
    scores: dict[str, dict[str, float]], page_types: dict[str, float]
) -> tuple[str, str]:
    """The body table and the metadata table (page type: pagewire's rows only)."""
    body, meta = [], []
    for name, found in scores.items():
        body.append(_row(name, [f"{found[c]:.3f}" if c in found else "-" for c in BODY]))
        cells = [
            "n/a"
            if c.split()[1] in NO_META.get(name, ())
            else f"{found[c]:.2f}"
            if c in found
            else "-"
            for c in META
        ]
        kind = {CV_ROW: "cv", SHIPPED_ROW: "in-sample"}.get(name)
        cells.append(f"{page_types[kind]:.3f}" if kind in page_types else "n/a")
        meta.append(_row(name, cells))
    return _table(BODY, body), _table([*META, "WCXB page type"], meta)


def speed_table(runs: dict[str, Run]) -> str:
    """Median and p99 ms a page, pages a second, and pages a second against trafilatura's."""
    rates = {name: len(run.times) / sum(run.times) for name, run in runs.items()}
    base = rates.get("trafilatura default")
    rows = []
    for name, run in runs.items():
        median, p99 = _ms(run.times)
        ratio = f"{rates[name] / base:.1f}x" if base else "-"
        label = "pagewire" if name == SHIPPED_ROW else name
        rows.append(_row(label, [f"{median:.1f}", f"{p99:.1f}", f"{rates[name]:.0f}", ratio]))
    return _table(["median ms", "p99 ms", "pages/s", "speed vs trafilatura default"], rows)


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


def _peak_kib() -> int:
    """This program's peak resident memory: Linux's VmHWM, which starts afresh at exec
    (`ru_maxrss` keeps the peak of the parent the process was forked from)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _memory_child(pages: Iterable[Page]) -> None:
    """pagewire over the pages, read one at a time (the process never holds the corpora)."""
    run_pagewire("<p>warm-up</p>", "https://example.com/")  # the models loaded
    before = _peak_kib()
    for page in pages:
        run_pagewire(page.html, page.url)
    peak = _peak_kib()
    print(json.dumps({"before": before, "peak": peak}))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run one extractor (e.g. pagewire)")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst scrapinghub pages")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--pages", type=int, help="the first N pages of each corpus (a smoke run)")
    parser.add_argument("--no-cv", action="store_true", help="in-sample figures only")
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not corpus.available():
        print(f"skipped: {corpus.MISSING}")
        return 0
    if args.memory:
        _memory_child(chain.from_iterable(each_corpus(corpus.KIT, args.pages).values()))
        return 0
    corpora = load_all(corpus.KIT, args.pages)
    pages = [page for name in CORPORA for page in corpora[name]]
    folds = None if args.no_cv else block_folds.load()
    if folds is None and not args.no_cv:
        print(block_folds.stale_message(), file=sys.stderr)
        return 1
    found = extractors(args.only)
    for extract in found.values():  # the same warm-up for each, untimed
        extract_all(extract, pages[:WARMUP], tolerate=True)
    runs = {SHIPPED_ROW if k == "pagewire" else k: v for k, v in interleaved(found, pages).items()}
    scores = {name: figures(corpora, by_corpus(pages, r.outputs)) for name, r in runs.items()}
    if folds is not None:
        scores = {
            CV_ROW: figures(corpora, by_corpus(pages, cross_validated(folds, pages)))
        } | scores
    page_types = {} if args.no_cv else page_type_accuracy()
    if args.worst:
        shipped = by_corpus(pages, runs[SHIPPED_ROW].outputs)["scrapinghub"]
        worst(corpora["scrapinghub"], shipped, args.worst)
    tables = (*quality_tables(scores, page_types), speed_table(runs))
    used = "not measured (--only)" if args.only else memory(args.pages)
    print("\n\n".join(tables) + f"\n{used}")
    if not args.only and not args.no_write and not args.pages and not args.no_cv:
        write_section(tables, used, {k: len(v) for k, v in corpora.items()})
    return 0


def write_section(tables: tuple[str, str, str], memory: str, counts: dict[str, int]) -> None:
    body_table, meta_table, speed = tables
    total = sum(counts.values())
    body = (
        "### Article extraction\n\n"
        "Command: `python -m bench.extraction` (one process, the same pages for every "
        f"extractor). Pages: SH = scrapinghub ({counts['scrapinghub']} pages, 4-token shingle "
        f"F1, P, R), TE = trafilatura-eval ({counts['trafilatura']} pages, snippet F1), WCXB = "
        f"WCXB dev ({counts['wcxb']} pages, mean word F1, all pages and per page type); a "
        "rejected page is an empty body. **pagewire, cross-validated** is the figure that "
        "decides: each page extracted by the engine with the main-content model of the 5 folds "
        "that never saw its site (folds grouped by site over the three corpora, "
        "`bench.block_folds`); **pagewire, in-sample** is the shipped model, trained on these "
        "very pages.\n\n"
        f"{body_table}\n\n"
        "Metadata, over the pages whose gold value is set, the same matching rules for every "
        "extractor (kit README: title as the same case-folded, NFKC, whitespace-collapsed string "
        "without edge punctuation; authors as the same set of names; published date as the same "
        "day). WCXB page type: share of WCXB dev pages typed right, by the shipped page-type "
        "model (in-sample) and by the model of the folds that never saw the page's site "
        "(`bench.train_page_type.cross_validate`); the peers do not type pages.\n\n"
        f"{meta_table}\n\n"
        f"Speed over all {total} pages, interleaved page by page after the same warm-up of "
        f"{WARMUP} untimed pages each; pagewire's time (the shipped models) includes the "
        "near-duplicate signature its extractor publishes with each article "
        "(`dedup_signature`).\n\n"
        f"{speed}\n\npagewire memory, measured in a process of its own that reads the pages one "
        f"at a time (the models loaded before the first): {memory}.\nTimings move with the "
        "machine's load (other jobs share its 2 cores); compare rows of one run, not runs."
    )
    report.write_section("extraction", body)


if __name__ == "__main__":
    sys.exit(main())
