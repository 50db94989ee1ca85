"""Benchmark the plain-text engine on text dumps of the scrapinghub corpus, next to peers.

    python -m bench.text_dumps [--corpus ../shared/bench/scrapinghub] [--no-write]

Each page of the corpus is turned into the text a browser's select-all copy gives
(`extractor.text.dumpmaker.html_to_dump`). Our engine reads the dump; the peers get the same
dump wrapped as HTML, one `<p>` a line: boilerpy3 (ArticleExtractor), trafilatura (default),
and the dump taken whole. One process, one run: F1/P/R per `bench/scoring.py`, ms/page.
The table goes into docs/benchmarks.md between the `bench:text` markers.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.scoring import ShingleScore, score_scrapinghub
from extractor.decode import decode_bytes
from extractor.model import Article, Document
from extractor.text import extract_text
from extractor.text.dumpmaker import html_to_dump

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "scrapinghub"
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:text:start -->", "<!-- bench:text:end -->"
COMMAND = "python -m bench.text_dumps"

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


def load_pages(corpus: Path) -> list[Page]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, record in sorted(truth.items()):
        raw = gzip.decompress((corpus / "html" / f"{page_id}.html.gz").read_bytes())
        dump = html_to_dump(decode_bytes(raw))
        pages.append(Page(page_id, record["url"], dump, record["articleBody"]))
    return pages


def wrap_as_html(dump: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in dump.splitlines() if line)
    return f"<html><head></head><body>\n{paragraphs}</body></html>"


def ours(dump: str, url: str = "") -> str:
    result = extract_text(Document(url=url, body=dump, is_html=False))
    return result.text if isinstance(result, Article) else ""


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


def extractors() -> dict[str, Extractor | None]:
    return {
        "pagewire text engine": ours,
        "boilerpy3 1.x ArticleExtractor (dump as HTML)": _boilerpy3(),
        "trafilatura 2.x default (dump as HTML)": _trafilatura(),
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


def render_table(results: list[Result], pages: int) -> str:
    base = results[0]
    rows = [
        f"Text dumps of the {pages} scrapinghub pages (`{COMMAND}`; one process, one run; "
        "peers get each dump wrapped as HTML, one `<p>` a line).",
        "",
        "| extractor | F1 | P | R | exact | ms/page | pages/s | F1 vs ours | time vs ours |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.score
        pages_s = 1000 / r.ms_per_page if r.ms_per_page else float("inf")
        rows.append(
            f"| {r.name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} | {s.accuracy:.2f} "
            f"| {r.ms_per_page:.2f} | {pages_s:.0f} | {s.f1 / base.score.f1:.2f} "
            f"| {r.ms_per_page / base.ms_per_page:.2f}x |"
        )
    return "\n".join(rows)


def write_section(table: str, path: Path = DOCS) -> None:
    """Put `table` between the bench:text markers; create the file or section if missing."""
    block = f"{START}\n{table}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Plain-text dumps\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    parser.add_argument("--ours-only", action="store_true", help="skip the peers")
    parser.add_argument("--per-page", type=Path, help="write our per-page scores (JSON)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    pages = load_pages(args.corpus)
    results = []
    for name, extract in extractors().items():
        if extract is None:
            print(f"skipped (not installed): {name}")
        elif not args.ours_only or extract is ours:
            results.append(run_one(name, extract, pages))
    table = render_table(results, len(pages))
    print(table)
    if args.per_page:
        per_page(pages, args.per_page)
    if not args.no_write and not args.ours_only:
        write_section(table)


if __name__ == "__main__":
    main()
