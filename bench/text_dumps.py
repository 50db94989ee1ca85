"""Benchmark the plain-text engine on the development dumps, in-sample and cross-validated.

    python -m bench.text_dumps [--no-write] [--ours-only] [--pages N]

The dumps (`bench.line_dataset`, read from the built dataset): WCXB dev's real-Chromium
dumps, and the dump maker's (`bench.dumpmaker`) of scrapinghub, trafilatura-eval and WCXB dev.
Our engine reads each dump twice: with the shipped line model (in-sample: it was trained on
these pages) and with the fold model that never saw the page's site (cross-validated:
`bench.train_lines` saves the fold models in `.data/lines/folds/`). The peers get the same
dump wrapped as HTML, one `<p>` a line: boilerpy3 (ArticleExtractor), trafilatura (default),
and the dump taken whole. Scores: WCXB's word F1 per page type, scrapinghub's shingle F1,
trafilatura-eval's snippets and metadata (`bench/scoring.py`). Time: ours, in-sample, per
dump (with the near-duplicate signature its extractor adds to each article's event), median
and p99. The tables go into docs/benchmarks.md between the `bench:text` markers.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from bench import corpus, report
from bench.dev_pages import DevPage
from bench.line_dataset import FOLDS_DIR, saved_dumps
from bench.scoring import SnippetScore, author_set, normalise_field, score_scrapinghub
from bench.wcxb import PAGE_TYPES, mean_by_type, word_f1
from extractor.model import Article, Document, Extraction
from extractor.text import extract_text
from extractor.text.line_model import LinesModel, load, shipped
from shared import dedup

logger = logging.getLogger(__name__)

COMMAND = "python -m bench.text_dumps"
OURS_IN = "pagewire text engine, in-sample"
OURS_CV = "pagewire text engine, cross-validated"
PEER_CORPORA = ("wcxb-chromium", "scrapinghub", "trafilatura")
Extractor = Callable[[str], str]


@dataclass(slots=True)
class Run:
    """One extractor's outputs over the pages it read (by page index), and ours' results."""

    texts: dict[int, str] = field(default_factory=dict)
    results: dict[int, Article | None] = field(default_factory=dict)
    ms: list[float] = field(default_factory=list)


def wrap_as_html(dump: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in dump.splitlines() if line)
    return f"<html><head></head><body>\n{paragraphs}</body></html>"


def ours(dump: str, url: str = "", model: LinesModel | None = None) -> Extraction:
    """The text engine and the near-duplicate signature: the extractor computes both for every
    article it publishes, so both are its time."""
    result = extract_text(Document(url=url, body=dump, is_html=False), model=model)
    if isinstance(result, Article):
        dedup.encoded_bands(result.text)
    return result


def _boilerpy3() -> Extractor | None:
    try:
        from boilerpy3 import extractors  # type: ignore[import-untyped]
    except ImportError:
        return None
    extractor = extractors.ArticleExtractor(raise_on_failure=False)
    return lambda dump: str(extractor.get_content(wrap_as_html(dump)) or "")


def _trafilatura() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda dump: str(trafilatura.extract(wrap_as_html(dump)) or "")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def peers() -> dict[str, Extractor]:
    found = {
        f"boilerpy3 {_version('boilerpy3')} ArticleExtractor": _boilerpy3(),
        f"trafilatura {_version('trafilatura')} default": _trafilatura(),
        "the dump taken whole": lambda dump: dump,
    }
    return {name: run for name, run in found.items() if run is not None}


def fold_models() -> tuple[dict[str, int], list[LinesModel]] | None:
    """Each page's fold and the fold models `bench.train_lines` saved, if it has run."""
    index = FOLDS_DIR / "pages.json"
    if not index.exists():
        return None
    folds = json.loads(index.read_text(encoding="utf-8"))
    models = [load(path) for path in sorted(FOLDS_DIR.glob("fold*.json"))]
    return folds, models


def run_ours(pages: list[tuple[DevPage, str]], model_of: Callable[[DevPage], LinesModel]) -> Run:
    run = Run()
    for i, (page, dump) in enumerate(pages):
        started = time.perf_counter()
        result = ours(dump, page.url, model_of(page))
        run.ms.append(1000 * (time.perf_counter() - started))
        article = result if isinstance(result, Article) else None
        run.results[i] = article
        run.texts[i] = article.text if article else ""
    return run


def run_peer(name: str, extract: Extractor, pages: list[tuple[DevPage, str]]) -> Run:
    run = Run()
    for i, (page, dump) in enumerate(pages):
        if page.corpus not in PEER_CORPORA:
            continue
        try:
            run.texts[i] = extract(dump)
        except Exception:  # a peer's crash is a miss, not the end of the run
            logger.exception("%s failed on %s", name, page.url)
            run.texts[i] = ""
    return run


def _wcxb(run: Run, pages: list[tuple[DevPage, str]], corpus: str) -> dict[str, float]:
    scores = [
        (page.page_type, word_f1(run.texts[i], page.gold or ""))
        for i, (page, _) in enumerate(pages)
        if page.corpus == corpus and i in run.texts
    ]
    return mean_by_type(scores)


def _snippets(run: Run, pages: list[tuple[DevPage, str]]) -> SnippetScore:
    score = SnippetScore()
    records = corpus._trafilatura_records(corpus.TRAFILATURA)
    for i, (page, _) in enumerate(pages):
        if page.corpus != "trafilatura" or i not in run.texts:
            continue
        score.add_body(run.texts[i], page.with_, page.without)
        if i in run.results:
            _meta(score, run.results[i], records.get(page.url) or {})
    return score


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


def _scrapinghub(run: Run, pages: list[tuple[DevPage, str]]) -> float:
    pairs = [
        (run.texts[i], page.gold or "")
        for i, (page, _) in enumerate(pages)
        if page.corpus == "scrapinghub" and i in run.texts
    ]
    return score_scrapinghub(pairs).f1 if pairs else float("nan")


def _rejected(run: Run, pages: list[tuple[DevPage, str]]) -> str:
    mine = [i for i, (page, _) in enumerate(pages) if page.corpus == "wcxb-chromium"]
    if not run.results:
        return "-"
    return str(sum(1 for i in mine if run.results.get(i) is None))


def _timing(run: Run) -> str:
    if not run.ms:
        return "- | - | -"
    ms = sorted(run.ms)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    return f"{statistics.median(ms):.2f} | {p99:.1f} | {1000 / statistics.mean(ms):.0f}"


def render(runs: dict[str, Run], pages: list[tuple[DevPage, str]]) -> str:
    count = sum(1 for page, _ in pages if page.corpus == "wcxb-chromium")
    types = " | ".join(PAGE_TYPES)
    rows = [
        "## Plain-text dumps",
        "",
        f"Command: `{COMMAND}`, one process, one run, at {report.revision()}. WCXB dev's "
        f"{count} real-Chromium dumps (`document.body.innerText`, JavaScript off), WCXB's word "
        "F1 per page type. Our engine in-sample (the shipped line model, trained on these "
        "pages) and cross-validated (each page under the fold model that never saw its site, "
        "`bench.train_lines`); the peers get the same dump wrapped as HTML (one `<p>` a line). "
        "Rejected: dumps with no output. ms a dump (ours, in-sample, with the near-duplicate "
        "signature its extractor publishes): median and p99; dumps/s = 1000 / mean ms. "
        "Timings on these shared machines move by up to 30 % between runs.",
        "",
        f"| extractor | all | {types} | rejected | ms median | ms p99 | dumps/s |",
        "|---|---|" + "---|" * len(PAGE_TYPES) + "---|---|---|---|",
    ]
    for name, run in runs.items():
        by = _wcxb(run, pages, "wcxb-chromium")
        cells = " | ".join(f"{by[k]:.3f}" if k in by else "-" for k in ("all", *PAGE_TYPES))
        rows.append(f"| {name} | {cells} | {_rejected(run, pages)} | {_timing(run)} |")
    rows += [
        "",
        "The dump maker's dumps (`bench.dumpmaker`) of the three corpora, same run: scrapinghub "
        "(shingle F1), trafilatura-eval (snippet F1; for our engine the share of exact title, "
        "author set and publication day where the gold has one), WCXB dev (word F1).",
        "",
        "| extractor | scrapinghub | trafilatura-eval | title | authors | date | WCXB all | "
        "WCXB article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        snip = _snippets(run, pages)
        meta = " | ".join(
            f"{snip.meta(m):.2f}" if snip.meta_total[m] else "-"
            for m in ("title", "author", "date")
        )
        by = _wcxb(run, pages, "wcxb")
        wcxb = " | ".join(f"{by[k]:.3f}" if k in by else "-" for k in ("all", "article"))
        rows.append(
            f"| {name} | {_scrapinghub(run, pages):.3f} | {snip.f1:.3f} | {meta} | {wcxb} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    parser.add_argument("--ours-only", action="store_true", help="skip the peers")
    parser.add_argument("--pages", type=int, help="the first N dumps (a smoke run)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    pages = [pair for i, pair in zip(range(args.pages or 10**9), saved_dumps(), strict=False)]
    runs = {OURS_IN: run_ours(pages, lambda page: shipped())}
    folds = fold_models()
    if folds is not None:
        fold_of, models = folds
        runs[OURS_CV] = run_ours(pages, lambda page: models[fold_of[f"{page.corpus}/{page.key}"]])
        runs[OURS_CV].ms.clear()
    else:
        print("no fold models: run python -m bench.train_lines for the cross-validated figures")
    if not args.ours_only:
        runs.update({name: run_peer(name, run, pages) for name, run in peers().items()})
    table = render(runs, pages)
    print(table)
    if not args.no_write and not args.ours_only and not args.pages and folds is not None:
        report.write_section("text", table)


if __name__ == "__main__":
    main()
