"""Indexing rate and search latency of TantivyStore at N articles, on real article text.

    python -m bench.search_latency [--docs 20000] [--queries 100] [--batch 64] [--rounds 3]
                                   [--write]
    python -m bench.search_latency --docs 500 --queries 5 --rounds 1   # a smoke run

Articles are made from the paragraphs of the human-written bodies in ../shared/bench
(scrapinghub, 181 articles in many languages): each synthetic article takes 3-8 random
paragraphs, a title from another one, one of 200 sites and 500 authors, a date within
five years (seeded, so every run indexes the same text), and the near-duplicate signature the
extractor publishes (`dedup_signature`, made with the article, untimed: the extraction and
throughput benchmarks count it in the extractor's time). The store is the one the indexer
runs (on disk in a temporary directory, `--batch` articles per commit). `--queries` queries
of each kind, the kinds interleaved, are timed cold then warm (`bench.search_timing`) on
`TantivyStore.search` in-process and through the search API, limit 10, snippets included.
`--write` puts the table into docs/benchmarks.md (section `search`).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import corpus
from bench.search_timing import (
    COLD_TEXT,
    Params,
    Query,
    Timings,
    api_timings,
    latency_table,
    measure,
    to_request,
)
from indexer.search_models import encode_cursor
from indexer.store import TantivyStore
from shared import dedup
from shared.events import PageExtracted

WORD = re.compile(r"[^\W\d_]{3,}")
START = datetime(2021, 1, 1, tzinfo=UTC)


def paragraphs() -> list[str]:
    if not corpus.available():
        raise SystemExit(corpus.MISSING)
    out = []
    for _, body in corpus.scrapinghub_pages():
        out += [p.strip() for p in body.split("\n") if len(p.split()) >= 8]
    return out


def make_article(number: int, pool: list[str], rng: random.Random) -> PageExtracted:
    text = "\n".join(rng.sample(pool, rng.randint(3, 8)))
    url = f"https://site{rng.randrange(200)}.example/doc{number}"
    published = START + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
    return PageExtracted(
        id=f"doc{number}", url=url, canonical_url=url,
        title=" ".join(rng.choice(pool).split()[:8]), text=text, markdown=text,
        authors=[f"Author {rng.randrange(500)}"], published=published,
        word_count=len(text.split()), content_hash=hashlib.sha256(text.encode()).hexdigest(),
        dedup_signature=dedup.encoded_bands(text),
        fetched_at=published, extracted_at=published + timedelta(seconds=5),
    )  # fmt: skip


def query_kinds(pool: list[str], rng: random.Random) -> dict[str, Callable[[], Params]]:
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

    page_20 = encode_cursor(190, to_request({"q": "", "limit": 10}).fingerprint())
    return {
        "one common word": lambda: {"q": rng.choice(common)},
        "one mid-frequency word": lambda: {"q": rng.choice(middle)},
        "two words (AND)": lambda: {"q": f"{rng.choice(common)} {rng.choice(middle)}"},
        "three-word phrase": lambda: {"q": phrase()},
        "prefix (4 letters)*": lambda: {"q": rng.choice(middle)[:4] + "*"},
        "a OR b -c": lambda: {
            "q": f"{rng.choice(middle)} OR {rng.choice(middle)} -{rng.choice(common)}"
        },
        "word + site filter": lambda: {
            "q": rng.choice(common),
            "site": f"site{rng.randrange(200)}.example",
        },
        "word, sort newest": lambda: {"q": rng.choice(common), "sort": "newest"},
        "typo (fuzzy fallback)": lambda: {"q": typo()},
        "word + facets": lambda: {"q": rng.choice(common), "facets": True},
        "empty query, page 20": lambda: {"q": "", "limit": 10, "cursor": page_20},
    }


def queries(pool: list[str], rng: random.Random, per_kind: int) -> list[Query]:
    """`per_kind` queries of each kind, the kinds taking turns."""
    kinds = query_kinds(pool, rng)
    rounds = itertools.product(range(per_kind), kinds.items())
    return [Query(name, make()) for _, (name, make) in rounds]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    parser.add_argument("--batch", type=int, default=64, help="articles per upsert (commit)")
    parser.add_argument("--rounds", type=int, default=3, help="warm runs of each query (>= 1)")
    parser.add_argument("--write", action="store_true")
    return parser


def main() -> None:
    args = _parser().parse_args()
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1 (the warm runs)")
    rng = random.Random(7)
    pool = paragraphs()
    docs = [make_article(i, pool, rng) for i in range(args.docs)]
    qs = queries(pool, rng, args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ix"
        with TantivyStore.open(path) as store:
            started = time.perf_counter()
            for at in range(0, len(docs), args.batch):
                store.upsert(docs[at : at + args.batch])
            seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in path.iterdir()) / 1e6
        with TantivyStore.open(path, read_only=True) as reader:
            results = measure({"store": lambda p: reader.search(to_request(p))}, qs, args.rounds)
        api, _, _ = api_timings(path, qs, args.rounds)
    results["API, 1 client"] = api
    words = sum(d.word_count for d in docs) / len(docs)
    table = render(args, qs, results, seconds=seconds, size=size, words=words)
    print(table)
    if args.write:
        from bench.report import write_section

        write_section("search", table)


def render(
    args: argparse.Namespace, qs: list[Query], results: dict[str, Timings], *, seconds: float,
    size: float, words: float,
) -> str:  # fmt: skip
    warm = {f"{name}, warm": t.warm_medians() for name, t in results.items()}
    cold = {f"{name}, cold": t.cold for name, t in results.items()}
    return "\n".join(
        [
            f"## Search (TantivyStore, {args.docs} articles of {words:.0f} words on average)",
            "",
            f"Indexing: {args.docs / seconds:.0f} articles/s in batches of {args.batch} "
            f"({seconds:.1f} s, one commit per batch); index size {size:.0f} MB. The articles "
            "carry their near-duplicate signature, made with them, untimed: it is the "
            "extractor's cost (extraction and throughput tables).",
            "",
            f"Latency in ms, p50 / p99, of one page of 10 results with snippets; {args.queries} "
            "queries of each kind, the kinds taking turns; `store` is `TantivyStore.search` "
            "in-process, the API a uvicorn server in its own process with one httpx client. "
            f"{COLD_TEXT} **Warm**: the median of each query's {args.rounds} later "
            f"run{'s' if args.rounds > 1 else ''} (in-process first, then through the API).",
            "",
            *latency_table(qs, {**cold, **warm}),
            "",
            f"`python -m bench.search_latency --docs {args.docs} --queries {args.queries}"
            f" --batch {args.batch} --rounds {args.rounds} --write`",
        ]
    )


if __name__ == "__main__":
    main()
