"""Timing searches the same way in-process and through the API: every query cold, then warm.

- **Cold**: a query's first run on a freshly opened index, with no warm-up. A commit empties
  the store's word-form cache (`indexer.tantivy_query.FormsCache`), so right after a commit every
  query is cold in this sense; tantivy alone keeps no such cache. The systems run their cold
  pass one after the other; within a pass, words an earlier query looked up stay cached, as
  in a server. The process's own caches (stems, snippet patterns) start empty too, a little
  colder than after a commit in a long-running indexer. The index files are as the benchmark
  left them (just written, they are mostly in the page cache): cold is not a cold disk.
- **Warm**: `rounds` further runs of every query, the systems taking turns round after round
  (so a slow spell of the machine falls on all of them alike); a query's warm latency is the
  median of its warm runs.

The API is a real uvicorn server in its own process (`python -m bench.search_timing --serve
PATH`), on loopback, with httpx clients: one client cold then warm, then `clients` concurrent
clients (warm: the server has run every query before).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.local import free_port, timed, wait_healthy
from indexer.search_models import SearchRequest

Params = dict[str, Any]
"""A search's parameters, as the API's query string names them."""
Run = Callable[[Params], object]


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    params: Params


def to_request(params: Params) -> SearchRequest:
    rest = {name: value for name, value in params.items() if name != "q"}
    return SearchRequest.build(str(params.get("q", "")), **rest)


@dataclass(slots=True)
class Timings:
    """One system's latencies in ms, per query: its cold run and its warm runs."""

    cold: list[float]
    warm: list[list[float]]

    def warm_medians(self) -> list[float]:
        return [statistics.median(runs) for runs in self.warm]

    def every_warm(self) -> list[float]:
        return [ms for runs in self.warm for ms in runs]


def query_times(run: Run, qs: Sequence[Query]) -> list[float]:
    """Each query's latency in ms, one query after the other."""
    return [timed(partial(run, q.params))[1] * 1000 for q in qs]


def measure(runs: dict[str, Run], qs: Sequence[Query], rounds: int) -> dict[str, Timings]:
    """Each system's cold pass (one after the other), then `rounds` warm rounds in turn."""
    out = {name: Timings(query_times(run, qs), [[] for _ in qs]) for name, run in runs.items()}
    for _ in range(rounds):
        for name, run in runs.items():
            for per_query, ms in zip(out[name].warm, query_times(run, qs), strict=True):
                per_query.append(ms)
    return out


# -- the API server ------------------------------------------------------------------------------


def serve(path: Path, port: int) -> None:
    """Run the search API over the store at `path`, read-only."""
    import uvicorn

    from indexer.api import create_api
    from indexer.config import IndexerSettings
    from indexer.store import TantivyStore

    store = TantivyStore.open(path, read_only=True)
    app = create_api(store, IndexerSettings())
    gc.freeze()  # as `pagewire indexer` does (see pagewire.cli._run_service)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _client(base: str) -> httpx.Client:
    token = os.environ.get("PAGEWIRE_INDEXER_API_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base, headers=headers, timeout=30)


@contextmanager
def api_server(path: Path) -> Iterator[str]:
    """A fresh server process over the store at `path`; yields its base URL once healthy (the
    health check runs no search)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.search_timing", "--serve", str(path)]
    server = subprocess.Popen([*command, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process=server)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def _search(client: httpx.Client) -> Run:
    def call(params: Params) -> None:
        client.get("/search", params=params).raise_for_status()

    return call


def api_timings(
    path: Path, qs: Sequence[Query], rounds: int, clients: int = 0
) -> tuple[Timings, list[list[float]], float]:
    """One client cold then warm; then, when `clients` is given, that many concurrent clients
    (warm runs per query) and their requests a second in all."""
    with api_server(path) as base:
        with _client(base) as client:
            single = measure({"api": _search(client)}, qs, rounds)["api"]
        many: list[list[float]] = [[] for _ in qs]
        if not clients:
            return single, many, 0.0

        def worker(first: int) -> None:
            share = qs[first::clients]
            with _client(base) as own:
                runs = [query_times(_search(own), share) for _ in range(rounds)]
            many[first::clients] = [list(per_query) for per_query in zip(*runs, strict=True)]

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rate = rounds * len(qs) / (time.perf_counter() - started)
    return single, many, rate


# -- tables --------------------------------------------------------------------------------------


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def latency_table(
    qs: Sequence[Query], per_query: dict[str, list[float]], *, base: str | None = None,
    every: dict[str, list[float]] | None = None,
) -> list[str]:  # fmt: skip
    """p50 / p99 per kind of query and over all, in ms, one column per system; the ratio to
    the `base` column and the p99 of `every` single run when given."""
    cols = list(per_query)
    lines = ["| query | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for kind in dict.fromkeys(q.kind for q in qs):
        at = [i for i, q in enumerate(qs) if q.kind == kind]
        cells = []
        for c in cols:
            values = [per_query[c][i] for i in at]
            cells.append(f"{statistics.median(values):.1f} / {pct(values, 99):.1f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    for p in (50, 95, 99):
        row = [f"{pct(per_query[c], p):.1f}" for c in cols]
        lines.append(f"| **all, p{p}** | " + " | ".join(row) + " |")
    if base is not None:
        b = per_query[base]
        ratios = [
            f"{pct(per_query[c], 50) / pct(b, 50):.1f}× / {pct(per_query[c], 99) / pct(b, 99):.1f}×"
            for c in cols
        ]
        lines.append(f"| ratio to {base}, p50 / p99 | " + " | ".join(ratios) + " |")
    if every is not None:
        row = [f"{pct(every[c], 99):.1f}" for c in cols]
        lines.append("| every single run, p99 | " + " | ".join(row) + " |")
    return lines


COLD_TEXT = (
    "**Cold**: each query's first run on the freshly opened index, with no warm-up. A commit "
    "empties the store's word-form cache, so this is a search right after a commit; words an "
    "earlier query of the pass looked up stay cached, as in a server. The index files are as "
    "the benchmark left them (mostly in the page cache): cold is not a cold disk."
)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the search API for the benchmarks.")
    parser.add_argument("--serve", type=Path, required=True, help="the store's directory")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(args.serve, args.port)


if __name__ == "__main__":
    main()
