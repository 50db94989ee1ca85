"""Indexing rate, index size and search latency at scale: TantivyStore, the API, tantivy alone.

    python -m bench.search_scale --docs 100000 [--batch 1024] [--queries 400] [--clients 4]
                                 [--rounds 3] [--dir DIR] [--skip-index] [--write]
    python -m bench.search_scale --docs 2000 --queries 40 --rounds 1 --clients 2   # a smoke run

Articles come from `bench.scale_corpus` (Zipf vocabularies in 8 languages, 2,000 sites,
6,000 authors, ten years of dates, 300-1500 words), each with the near-duplicate signature the
extractor publishes (`dedup_signature`, computed while generating, which is not timed: the
extraction and throughput benchmarks count it in the extractor's time). They are indexed in
batches of `--batch` (one `upsert`, so one commit, each) into the store the indexer runs, then,
in the same run, into tantivy alone (`bench.tantivy_alone`), the floor to compare with.

Then one mixed query set (single words, several words, phrases, site/language/date-range
filters, facets; every result with its snippet) is timed on the same queries by tantivy
alone, `TantivyStore.search` and the search API, cold then warm (`bench.search_timing`).
`--dir` keeps the indexes (and `--skip-index` reuses them); `--write` puts the table into
docs/benchmarks.md, in the section of its size (`search-scale-N`).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import tantivy_alone
from bench.scale_corpus import LANGUAGES, SPAN_MINUTES, START, SYNDICATED, Generator
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
from bench.tantivy_alone import TantivyAlone
from indexer.store import WRITER_HEAP, WRITER_THREADS, TantivyStore
from shared.events import PageExtracted

# -- indexing ------------------------------------------------------------------------------------


@dataclass
class Indexed:
    docs: int
    words: float
    store_s: float
    store_merge_s: float
    plain_s: float
    store_mb: float
    plain_mb: float


def du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def index(gen: Generator, root: Path, docs: int, batch: int, threads: int) -> Indexed:
    """The store, then tantivy alone, each over all the articles (so neither one's merges
    run during the other's batches); each time includes its final merges."""
    for sub in ("store", "plain"):
        shutil.rmtree(root / sub, ignore_errors=True)
    store = TantivyStore.open(root / "store", writer_threads=threads or WRITER_THREADS)
    store_s, words = _index_all(gen, docs, batch, "store", store.upsert, signed=True)
    t = time.perf_counter()
    store.close()
    merge_s = time.perf_counter() - t
    plain = TantivyAlone(root / "plain")
    writer = plain.index.writer(heap_size=WRITER_HEAP, num_threads=threads or WRITER_THREADS)

    def add(articles: Sequence[PageExtracted]) -> None:
        for a in articles:
            writer.add_document(tantivy_alone.document(a))
        writer.commit()

    plain_s, _ = _index_all(gen, docs, batch, "tantivy alone", add, signed=False)
    t = time.perf_counter()
    writer.wait_merging_threads()
    plain_s += time.perf_counter() - t
    meta = {"docs": docs, "words": words / docs, "store_s": store_s, "merge_s": merge_s,
            "plain_s": plain_s, "batch": batch}  # fmt: skip
    (root / "indexed.json").write_text(json.dumps(meta))
    return Indexed(docs, words / docs, store_s, merge_s, plain_s, du(root / "store"),
                   du(root / "plain"))  # fmt: skip


def _index_all(
    gen: Generator, docs: int, batch: int, name: str,
    write: Callable[[Sequence[PageExtracted]], object], *, signed: bool,
) -> tuple[float, int]:  # fmt: skip
    """Seconds spent in `write` over all the batches (generating them, with their signature
    when `signed`, is not counted), and the words written."""
    spent, words, report = 0.0, 0, max(docs // 10, batch)
    for start in range(0, docs, batch):
        articles = gen.batch(start, min(batch, docs - start), signed=signed)
        words += sum(a.word_count for a in articles)
        t = time.perf_counter()
        write(articles)
        spent += time.perf_counter() - t
        done = start + len(articles)
        if done % report < batch or done == docs:
            print(f"  {name}: {done} indexed, {done / spent:.0f}/s", file=sys.stderr, flush=True)
    return spent, words


def load_indexed(root: Path) -> Indexed:
    m = json.loads((root / "indexed.json").read_text())
    return Indexed(m["docs"], m["words"], m["store_s"], m["merge_s"], m["plain_s"],
                   du(root / "store"), du(root / "plain"))  # fmt: skip


# -- the query set ---------------------------------------------------------------------------------


def queries(gen: Generator, count: int, seed: int = 11) -> list[Query]:
    rng = random.Random(seed)
    codes, weights = list(LANGUAGES), list(LANGUAGES.values())

    def lang() -> str:
        return rng.choices(codes, weights)[0]

    def word(code: str, low: int, high: int) -> str:
        return gen.languages[code].words[rng.randrange(low, high)]

    def phrase(code: str) -> str:
        stream = gen.languages[code].stream
        while True:
            at, size = rng.randrange(len(stream) - 3), rng.choice((2, 3))
            words = stream[at : at + size]
            if not any(w[-1] in ".," for w in words[:-1]):
                return '"' + " ".join(w.strip(".,").lower() for w in words) + '"'

    def together(code: str, count: int) -> str:
        """Words that stand near each other in the language's text (so articles hold them all)."""
        stream = gen.languages[code].stream
        at = rng.randrange(len(stream) - 40)
        near = list(dict.fromkeys(w.strip(".,").lower() for w in stream[at : at + 40]))
        return " ".join(rng.sample(near, min(count, len(near))))

    def dates() -> Params:
        since = START + timedelta(minutes=rng.randrange(SPAN_MINUTES - 400 * 24 * 60))
        until = since + timedelta(days=rng.choice((30, 180, 365)))
        return {"since": f"{since:%Y-%m-%d}", "until": f"{until:%Y-%m-%d}"}

    def site() -> str:
        return gen.sites[min(int(rng.paretovariate(1.0)) - 1, 199)]

    kinds: dict[str, Callable[[str], Params]] = {
        "one common word": lambda c: {"q": word(c, 0, 100)},
        "one rarer word": lambda c: {"q": word(c, 500, 20_000)},
        "two words": lambda c: {"q": f"{word(c, 0, 300)} {word(c, 300, 5000)}"},
        "four words": lambda c: {"q": together(c, 4)},
        "phrase": lambda c: {"q": phrase(c)},
        "word + site": lambda c: {"q": word(c, 0, 300), "site": site()},
        "word + language": lambda c: {"q": word(c, 0, 300), "language": c},
        "word + date range": lambda c: {"q": word(c, 0, 300), **dates()},
        "word + facets": lambda c: {"q": word(c, 0, 300), "facets": True},
        "two words + dates + facets": lambda c: {
            "q": f"{word(c, 0, 300)} {word(c, 300, 5000)}",
            **dates(),
            "facets": True,
        },
    }
    names = list(kinds)
    return [
        Query(name, kinds[name](lang())) for name in (names[i % len(names)] for i in range(count))
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1024, help="articles per upsert (commit)")
    parser.add_argument("--threads", type=int, default=0, help="writer threads (0: the store's)")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="warm runs of each query (>= 1)")
    parser.add_argument("--dir", type=Path, help="keep the indexes here")
    parser.add_argument("--skip-index", action="store_true", help="reuse the indexes in --dir")
    parser.add_argument("--write", action="store_true")
    return parser


def main() -> None:
    args = _parser().parse_args()
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1 (the warm runs)")
    root = args.dir or Path(tempfile.mkdtemp(prefix="pw-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    gen = Generator()
    print(f"generator ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    # The generator's millions of objects are the benchmark's, not the store's: out of the
    # collector's sight, as `pagewire indexer` puts its start-up objects (`gc.freeze`).
    gc.freeze()
    if args.skip_index:
        ix = load_indexed(root)
    else:
        ix = index(gen, root, args.docs, args.batch, args.threads)
    load = os.getloadavg()[0]
    qs = queries(gen, args.queries)
    gc.freeze()
    plain = TantivyAlone(root / "plain")
    store = TantivyStore.open(root / "store", read_only=True)
    systems = {"tantivy alone": plain.search, "store": lambda p: store.search(to_request(p))}
    results = measure(systems, qs, args.rounds)
    store.close()
    single, many, rate = api_timings(root / "store", qs, args.rounds, args.clients)
    results["API, 1 client"] = single
    load = max(load, os.getloadavg()[0])
    table = report(args, ix, qs, results=results, many=many, rate=rate, load=load)
    print(table)
    if args.write:
        from bench.report import write_section

        write_section(f"search-scale-{ix.docs}", table)
    if args.dir is None:
        shutil.rmtree(root, ignore_errors=True)


def report(
    args: argparse.Namespace, ix: Indexed, qs: Sequence[Query], *,
    results: dict[str, Timings], many: list[list[float]], rate: float, load: float,
) -> str:  # fmt: skip
    kinds = len(dict.fromkeys(q.kind for q in qs))
    clients = f"API, {args.clients} clients"
    warm = {name: t.warm_medians() for name, t in results.items()}
    warm[clients] = [statistics.median(runs) for runs in many]
    every = {name: t.every_warm() for name, t in results.items()}
    every[clients] = [ms for runs in many for ms in runs]
    cold = {name: t.cold for name, t in results.items()}
    lines = [
        f"## Search at scale: {ix.docs:,} generated articles ({ix.words:.0f} words on average)",
        "",
        f"Indexing in batches of {args.batch} (one commit each): TantivyStore "
        f"{ix.docs / ix.store_s:,.0f} articles/s ({ix.store_s:,.0f} s, then "
        f"{ix.store_merge_s:.0f} s of final merges), {ix.store_mb:,.0f} MB on disk; tantivy alone "
        f"(simple schema) {ix.docs / ix.plain_s:,.0f} articles/s, {ix.plain_mb:,.0f} MB. "
        "The articles carry their near-duplicate signature (`dedup_signature`), made while "
        "generating them, untimed, as the extractor makes it for the events it publishes: its "
        "cost is the extractor's, counted in the extraction and throughput tables, not here. "
        "The store's time includes reading it, looking up near-duplicate candidates and "
        "computing shingles for the articles that have candidates.",
        "",
        f"{SYNDICATED:.0%} of the articles are near-duplicate copies of earlier ones (the store"
        " shows each cluster once, with `also_on`). Latency in ms, p50 / p99, of one page of"
        " 10 results with their snippets; `store` is `TantivyStore.search` in-process, the API"
        " a uvicorn server in its own process on loopback, with httpx clients;"
        f" {len(qs)} queries, {len(qs) // kinds} of each kind.",
        "",
        f"**Warm**: after its cold run, each query runs {args.rounds} more"
        f" time{'s' if args.rounds > 1 else ''} (rounds of the"
        " whole set, the in-process systems taking turns; then the API); a query's latency is"
        " the median of its warm runs, and the last row is the p99 of every warm run.",
        "",
        *latency_table(qs, warm, base="tantivy alone", every=every),
        "",
        f"{COLD_TEXT} The systems run their cold passes one after the other; tantivy alone"
        f" keeps no cache of its own. {args.clients} concurrent clients are measured warm only.",
        "",
        *latency_table(qs, cold, base="tantivy alone"),
        "",
        f"{args.clients} concurrent clients: {rate:.0f} requests/s in all.",
        f"Load average during the run: up to {load:.1f} on {os.cpu_count()} vCPUs shared with "
        "other work, so CPU-bound figures are inflated.",
        "",
        f"`python -m bench.search_scale --docs {ix.docs} --batch {args.batch}"
        f" --queries {args.queries} --clients {args.clients} --rounds {args.rounds} --write`",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
