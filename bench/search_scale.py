"""Indexing rate, index size and search latency at scale: TantivyStore, the API, tantivy alone.

    python -m bench.search_scale --docs 100000 [--batch 1024] [--queries 400] [--clients 4]
                                 [--rounds 3] [--dir DIR] [--skip-index] [--write]

Articles come from `bench.scale_corpus` (Zipf vocabularies in 8 languages, 2,000 sites,
6,000 authors, ten years of dates, 300-1500 words). They are indexed in batches of `--batch`
(one `upsert`, so one commit, each) into the store the indexer runs, then, in the same run,
into a plain tantivy index with a simple schema (title and body with the default tokenizer,
the body stored, keyword fast fields, a date): "tantivy alone", the floor to compare with.

Then one mixed query set (single words, several words, phrases, site/language/date-range
filters, facets; every result with its snippet) is timed in four ways, each on the same
queries: tantivy alone (search with count, the 10 stored bodies, tantivy's snippet
generator, the facet aggregation when asked), `TantivyStore.search`, and the search API
served by a real uvicorn server (its own process, loopback) to one httpx client and to
`--clients` concurrent clients. Each query runs `--rounds` times and counts with its median
run: on a shared machine a slow spell then shows as a slow run, not as a slow query (the
p99 of every single run is reported too). `--dir` keeps the indexes (and `--skip-index`
reuses them); `--write` puts the table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import tantivy

from bench.scale_corpus import LANGUAGES, SPAN_MINUTES, START, SYNDICATED, Generator
from indexer.search import SearchRequest
from indexer.snippets import SNIPPET_CHARS
from indexer.store import WRITER_HEAP, WRITER_THREADS, TantivyStore
from shared.events import PageExtracted

Params = dict[str, Any]
_FACETS = ("site", "language", "author", "month")


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    params: Params


# -- the plain tantivy index ("tantivy alone") --------------------------------------------------


def _plain_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=True)
    b.add_text_field("body", stored=True)
    for name in _FACETS:
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    b.add_date_field("published", indexed=True, fast=True)
    return b.build()


def _plain_doc(a: PageExtracted) -> tantivy.Document:
    assert a.published is not None
    return tantivy.Document(
        id=a.id, title=a.title, body=a.text, site=a.canonical_url.split("/")[2],
        language=a.language or "", author=a.authors[0].casefold(),
        month=f"{a.published:%Y-%m}", published=a.published,
    )  # fmt: skip


class Plain:
    """The same job done with tantivy alone: its default analyzer, no stemming, no folding."""

    def __init__(self, path: Path) -> None:
        self.schema = _plain_schema()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path))

    def search(self, params: Params) -> int:
        s, q = self.index.searcher(), self._query(params)
        result: Any = s.search(q, limit=10, count=True)
        generator = tantivy.SnippetGenerator.create(s, q, self.schema, "body")
        generator.set_max_num_chars(SNIPPET_CHARS)
        for _, address in result.hits:
            doc = s.doc(address)
            generator.snippet_from_doc(doc).to_html()
        if params.get("facets"):
            spec = {f: {"terms": {"field": f, "size": 10}} for f in _FACETS}
            s.aggregate(q, spec)
        return int(result.count or 0)

    def _query(self, params: Params) -> tantivy.Query:
        schema, must = self.schema, []
        text = str(params.get("q", ""))
        for part in _parts(text):
            words = part.strip('"').split()
            if len(words) > 1:
                phrase: list[str | tuple[int, str]] = list(words)
                must.append(tantivy.Query.phrase_query(schema, "body", phrase))
            else:
                must.append(self.index.parse_query(words[0], ["title", "body"]))
        if "site" in params:
            must.append(tantivy.Query.term_query(schema, "site", params["site"]))
        if "language" in params:
            must.append(tantivy.Query.term_query(schema, "language", params["language"]))
        if "since" in params:
            since = SearchRequest.build(since=params["since"], until=params["until"]).filters
            must.append(
                tantivy.Query.range_query(
                    schema, "published", tantivy.FieldType.Date,
                    since.since, since.until, include_upper=False,
                )
            )  # fmt: skip
        occur = tantivy.Occur.Must
        return tantivy.Query.boolean_query([(occur, q) for q in must])


def _parts(text: str) -> list[str]:
    """`a "b c" d` -> ['a', '"b c"', 'd']."""
    out, rest = [], text
    while rest.strip():
        rest = rest.strip()
        if rest.startswith('"'):
            end = rest.index('"', 1)
            out.append(rest[: end + 1])
            rest = rest[end + 1 :]
        else:
            word, _, rest = rest.partition(" ")
            out.append(word)
    return out


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
    store_s, words = _index_all(gen, docs, batch, "store", store.upsert)
    t = time.perf_counter()
    store.close()
    merge_s = time.perf_counter() - t
    plain = Plain(root / "plain")
    writer = plain.index.writer(heap_size=WRITER_HEAP, num_threads=threads or WRITER_THREADS)

    def add(articles: Sequence[PageExtracted]) -> None:
        for a in articles:
            writer.add_document(_plain_doc(a))
        writer.commit()

    plain_s, _ = _index_all(gen, docs, batch, "tantivy alone", add)
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
    write: Callable[[Sequence[PageExtracted]], object],
) -> tuple[float, int]:  # fmt: skip
    """Seconds spent in `write` over all the batches (generating them is not counted), and
    the words written."""
    spent, words, report = 0.0, 0, max(docs // 10, batch)
    for start in range(0, docs, batch):
        articles = gen.batch(start, min(batch, docs - start))
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


def _request(params: Params) -> SearchRequest:
    return SearchRequest.build(
        str(params.get("q", "")), site=params.get("site"), language=params.get("language"),
        since=params.get("since"), until=params.get("until"), facets=bool(params.get("facets")),
    )  # fmt: skip


Timings = list[list[float]]
"""Per query, its latency in ms in each round."""


def timed(run: Callable[[Params], object], qs: Sequence[Query]) -> list[float]:
    out = []
    for q in qs:
        started = time.perf_counter()
        run(q.params)
        out.append((time.perf_counter() - started) * 1000)
    return out


def rounds(
    runs: dict[str, Callable[[Params], object]], qs: Sequence[Query], count: int
) -> dict[str, Timings]:
    """Every query through every system, `count` times: round after round, the systems
    taking turns in each (so a slow spell of the machine falls on all of them alike)."""
    out: dict[str, Timings] = {name: [[] for _ in qs] for name in runs}
    for _ in range(count):
        for name, run in runs.items():
            for per_query, ms in zip(out[name], timed(run, qs), strict=True):
                per_query.append(ms)
    return out


# -- the API server ------------------------------------------------------------------------------


def serve(path: Path, port: int) -> None:
    """Run the search API over the store at `path` (the `--serve` mode of this module)."""
    import uvicorn

    from indexer.api import create_api
    from indexer.config import IndexerSettings

    store = TantivyStore.open(path, read_only=True)
    app = create_api(store, IndexerSettings())
    gc.freeze()  # as `pagewire indexer` does (see pagewire.cli._run_service)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _headers() -> dict[str, str]:
    token = os.environ.get("PAGEWIRE_INDEXER_API_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


def api_latencies(
    path: Path, qs: Sequence[Query], clients: int, count: int
) -> tuple[Timings, Timings, float]:
    """Latencies with one client, with `clients` concurrent clients, and the latter's rate."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.search_scale", "--serve", str(path), "--port", str(port)]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, headers=_headers(), timeout=30) as client:
            for _ in range(300):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)

            def call(params: Params) -> None:
                response = client.get("/search", params=params)
                response.raise_for_status()

            for q in qs[:20]:
                call(q.params)  # warm up
            single = rounds({"api": call}, qs, count)["api"]
        many: Timings = [[] for _ in qs]

        def worker(first: int) -> None:
            with httpx.Client(base_url=base, headers=_headers(), timeout=30) as own:

                def call(params: Params) -> None:
                    own.get("/search", params=params).raise_for_status()

                got = rounds({"api": call}, qs[first::clients], count)["api"]
            many[first::clients] = got

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rate = count * len(qs) / (time.perf_counter() - started)
        return single, many, rate
    finally:
        server.terminate()
        server.wait(10)


# -- report --------------------------------------------------------------------------------------


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1024, help="articles per upsert (commit)")
    parser.add_argument("--threads", type=int, default=0, help="writer threads (0: the store's)")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="times each query is run")
    parser.add_argument("--dir", type=Path, help="keep the indexes here")
    parser.add_argument("--skip-index", action="store_true", help="reuse the indexes in --dir")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
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
    plain = Plain(root / "plain")
    store = TantivyStore.open(root / "store", read_only=True)
    timed(plain.search, qs[:20])
    timed(lambda p: store.search(_request(p)), qs[:20])
    systems = {"tantivy alone": plain.search, "store": lambda p: store.search(_request(p))}
    results = rounds(systems, qs, args.rounds)
    store.close()
    single, many, rate = api_latencies(root / "store", qs, args.clients, args.rounds)
    results["API, 1 client"] = single
    results[f"API, {args.clients} clients"] = many
    load = max(load, os.getloadavg()[0])
    table = report(args, ix, qs, results=results, rate=rate, load=load)
    print(table)
    if args.write:
        from bench.report import write_section

        write_section(f"search-scale-{args.docs}", table)
    if args.dir is None:
        shutil.rmtree(root, ignore_errors=True)


def report(
    args: argparse.Namespace, ix: Indexed, qs: Sequence[Query], *,
    results: dict[str, Timings], rate: float, load: float,
) -> str:  # fmt: skip
    cols = list(results)
    every = {c: [ms for per_query in results[c] for ms in per_query] for c in cols}
    medians = {c: [statistics.median(per_query) for per_query in results[c]] for c in cols}
    kinds = list(dict.fromkeys(q.kind for q in qs))
    lines = [
        f"## Search at scale: {ix.docs:,} generated articles ({ix.words:.0f} words on average)",
        "",
        f"Indexing in batches of {args.batch} (one commit each): TantivyStore "
        f"{ix.docs / ix.store_s:,.0f} articles/s ({ix.store_s:,.0f} s, then "
        f"{ix.store_merge_s:.0f} s of final merges), {ix.store_mb:,.0f} MB on disk; tantivy alone "
        "(simple schema) "
        f"{ix.docs / ix.plain_s:,.0f} articles/s, {ix.plain_mb:,.0f} MB.",
        "",
        f"{SYNDICATED:.0%} of the articles are near-duplicate copies of earlier ones (the store"
        " shows each cluster once, with `also_on`). Latency in ms, p50 / p99, of one page of"
        " 10 results with their snippets; `store` is `TantivyStore.search` in-process;"
        f" {len(qs)} queries, {len(qs) // len(kinds)} of each kind, each run {args.rounds} times"
        " (rounds of the whole set, the in-process systems taking turns); a query's latency is"
        " the median of its runs, and the last row is the p99 of every single run:",
        "",
        "| query | " + " | ".join(cols) + " |",
        "|---|" + "---|" * len(cols),
    ]
    for kind in kinds:
        idx = [i for i, q in enumerate(qs) if q.kind == kind]
        cells = []
        for c in cols:
            values = [medians[c][i] for i in idx]
            cells.append(f"{statistics.median(values):.1f} / {pct(values, 99):.1f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    for p in (50, 95, 99):
        row = [f"{pct(medians[c], p):.1f}" for c in cols]
        lines.append(f"| **all, p{p}** | " + " | ".join(row) + " |")
    base = medians["tantivy alone"]
    ratios = [
        f"{pct(medians[c], 50) / pct(base, 50):.1f}× / {pct(medians[c], 99) / pct(base, 99):.1f}×"
        for c in cols
    ]
    lines.append("| ratio to tantivy alone, p50 / p99 | " + " | ".join(ratios) + " |")
    row = [f"{pct(every[c], 99):.1f}" for c in cols]
    lines.append("| every single run, p99 | " + " | ".join(row) + " |")
    lines += [
        "",
        f"{args.clients} concurrent clients: {rate:.0f} requests/s in all. The server is uvicorn "
        "in its own process on loopback; clients are httpx.",
        f"Load average during the run: up to {load:.1f} on {os.cpu_count()} vCPUs shared with "
        "other work, so CPU-bound figures are inflated.",
        "",
        f"`python -m bench.search_scale --docs {ix.docs} --batch {args.batch}"
        f" --queries {args.queries} --clients {args.clients} --rounds {args.rounds}`",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
