"""Indexing rate and search latency of TantivyStore at N articles, on real article text.

    python -m bench.search_latency [--docs 20000] [--queries 100] [--batch 64] [--write]

Articles are made from the paragraphs of the human-written bodies in ../shared/bench
(scrapinghub, 181 articles in many languages): each synthetic article takes 3-8 random
paragraphs, a title from another one, one of 200 sites and 500 authors, a date within
five years (seeded, so every run indexes the same text). The store is the one the indexer
runs (on disk in a temporary directory, `--batch` articles per commit). Each query kind is
timed `--queries` times on `TantivyStore.search` (no HTTP), limit 10, snippets included.
`--write` puts the table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import corpus
from indexer.search import SearchRequest, encode_cursor
from indexer.store import TantivyStore
from shared.events import PageExtracted
from tests.factories import article

WORD = re.compile(r"[^\W\d_]{3,}")


def paragraphs() -> list[str]:
    if not corpus.available():
        raise SystemExit(corpus.MISSING)
    out = []
    for _, body in corpus.scrapinghub_pages():
        out += [p.strip() for p in body.split("\n") if len(p.split()) >= 8]
    return out


def make_articles(pool: list[str], count: int, rng: random.Random) -> list[PageExtracted]:
    start = datetime(2021, 1, 1, tzinfo=UTC)
    made = []
    for i in range(count):
        text = "\n".join(rng.sample(pool, rng.randint(3, 8)))
        title = " ".join(rng.choice(pool).split()[:8])
        made.append(
            article(
                f"doc{i}", title=title, text=text, site=f"site{rng.randrange(200)}.example",
                authors=[f"Author {rng.randrange(500)}"],
                published=start + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60)),
            )
        )  # fmt: skip
    return made


def query_kinds(pool: list[str], rng: random.Random) -> dict[str, Callable[[], SearchRequest]]:
    counts: Counter[str] = Counter(w.lower() for p in pool for w in WORD.findall(p))
    ranked = [w for w, _ in counts.most_common()]
    common, middle = ranked[:200], ranked[200:3000]

    def phrase() -> str:
        words = rng.choice(pool).split()
        at = rng.randrange(len(words) - 3)
        return '"' + " ".join(words[at : at + 3]) + '"'

    def typo() -> str:
        word = rng.choice([w for w in middle if len(w) >= 6])
        at = rng.randrange(1, len(word) - 1)
        return word[:at] + word[at + 1 :]

    build = SearchRequest.build
    return {
        "one common word": lambda: build(rng.choice(common)),
        "one mid-frequency word": lambda: build(rng.choice(middle)),
        "two words (AND)": lambda: build(f"{rng.choice(common)} {rng.choice(middle)}"),
        "three-word phrase": lambda: build(phrase()),
        "prefix (4 letters)*": lambda: build(rng.choice(middle)[:4] + "*"),
        "a OR b -c": lambda: build(
            f"{rng.choice(middle)} OR {rng.choice(middle)} -{rng.choice(common)}"
        ),
        "word + site filter": lambda: build(
            rng.choice(common), site=f"site{rng.randrange(200)}.example"
        ),
        "word, sort newest": lambda: build(rng.choice(common), sort="newest"),
        "typo (fuzzy fallback)": lambda: build(typo()),
        "word + facets": lambda: build(rng.choice(common), facets=True),
        "empty query, page 20": lambda: build("", limit=10, cursor=_cursor(build("", limit=10))),
    }


def _cursor(request: SearchRequest) -> str:
    return encode_cursor(190, request.fingerprint())


def timed(store: TantivyStore, make: Callable[[], SearchRequest], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        request = make()
        started = time.perf_counter()
        store.search(request)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--batch", type=int, default=64, help="articles per upsert (commit)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    pool = paragraphs()
    docs = make_articles(pool, args.docs, rng)
    with tempfile.TemporaryDirectory() as tmp, TantivyStore.open(Path(tmp) / "ix") as store:
        started = time.perf_counter()
        for at in range(0, len(docs), args.batch):
            store.upsert(docs[at : at + args.batch])
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in (Path(tmp) / "ix").iterdir()) / 1e6
        rows = [
            f"| {name} | {statistics.median(t):.1f} | {sorted(t)[int(len(t) * 0.95) - 1]:.1f} |"
            for name, make in query_kinds(pool, rng).items()
            for t in [timed(store, make, args.queries)]
        ]
    words = sum(d.word_count for d in docs) / len(docs)
    table = "\n".join(
        [
            f"## Search (TantivyStore, {args.docs} articles of {words:.0f} words on average)",
            "",
            f"Indexing: {args.docs / seconds:.0f} articles/s in batches of {args.batch} "
            f"({seconds:.1f} s, one commit per batch); index size {size:.0f} MB.",
            "",
            "| query | p50 ms | p95 ms |",
            "|---|---|---|",
            *rows,
            "",
            f"`python -m bench.search_latency --docs {args.docs} --queries {args.queries}"
            f" --batch {args.batch}`",
        ]
    )
    print(table)
    if args.write:
        from bench.report import write_section

        write_section("search", table)


if __name__ == "__main__":
    main()
