"""Issue 6: thousands of pages through the pipeline while everything fails, then the books.

In one run: two extractors and the indexer are SIGKILLed at seeded random moments and restarted
by a supervisor; Valkey is SIGKILLed and restarted three times (AOF `everysec`, then `always`);
the proxy between the services and Valkey cuts every connection twice; an extractor and the
indexer get a SIGTERM mid-batch. Then every published page must be indexed, rejected or
dead-lettered, with no duplicate document, nothing pending and the streams trimmed. The figures
go to `.data/faults-report.json` (`python -m bench.reliability` copies them into the docs).
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

import pytest

from tests.faults.books import Books, read_books
from tests.faults.harness import HUNG
from tests.faults.pages import workload
from tests.faults.producer import Producer
from tests.faults.rig import (
    MAX_DELIVERIES,
    Rig,
    groups_caught_up,
    running_rig,
    time_to_progress,
)

pytestmark = [pytest.mark.e2e, pytest.mark.faults, pytest.mark.timeout(480)]

SEED = 6
ARTICLES, NON_ARTICLES, POISONS = 2400, 300, 100
RATE = 80.0  # items published a second: about 35 s of publishing, faults all along
DRAIN_BUDGET_S = 150.0
STARTUP_CRASH_S = 20.0  # an exit this soon after a start is a failure to start
REPORT = Path(__file__).resolve().parents[2] / ".data" / "faults-report.json"

# (seconds after publishing starts, fault); each moment gets a seeded jitter of up to 1.5 s.
SCHEDULE = [
    (3.0, "kill extractor-1"), (5.5, "cut proxy"), (7.0, "kill indexer"),
    (9.0, "kill redis everysec"), (13.0, "kill extractor-2"), (15.0, "term extractor-1"),
    (17.0, "kill redis always"), (20.5, "kill indexer"), (22.0, "cut proxy"),
    (24.0, "kill extractor-1"), (26.0, "term indexer"), (28.0, "kill redis always"),
    (31.0, "kill extractor-2"),
]  # fmt: skip


DISRUPTIONS: list[tuple[float, float]] = []  # when Valkey was down or the proxy cut


async def inject(rig: Rig, producer: Producer, fault: str) -> None:
    verb, target, *rest = fault.split()
    began = time.monotonic()
    if verb == "cut":
        rig.proxy.cut()
        DISRUPTIONS.append((began, began))
    elif target == "redis":
        async with producer.lock:  # no XADD of the producer is in flight when the server dies
            killed_in = rig.server.fsync
            rig.server.kill(power_loss_s=1.0 if killed_in == "everysec" else 0.0)
            await asyncio.sleep(0.5)
            await rig.server.start(rest[0])
            DISRUPTIONS.append((began, time.monotonic()))
            await producer.reconcile(killed_in)
    elif verb == "kill":
        rig.procs[target].kill()
    else:  # a graceful stop of a service at work (not of one still starting up)
        await rig.procs[target].wait_ready()
        rig.procs[target].term()


Probe = tuple[str, asyncio.Task[float | None]]


async def run_faults(rig: Rig, producer: Producer, log: TextIO, settled: asyncio.Event
                     ) -> tuple[float, list[Probe]]:  # fmt: skip
    """Inject every fault on time (each in its own task: a SIGTERM waits for its service to be
    at work); returns when the last was injected, and per fault a probe of the seconds until
    the extractors and the indexer both made progress again."""
    rng = random.Random(SEED)
    start = time.monotonic()
    injected: list[asyncio.Task[Probe]] = []
    for offset, fault in SCHEDULE:
        await asyncio.sleep(max(0.0, start + offset + rng.uniform(0, 1.5) - time.monotonic()))
        injected.append(
            asyncio.create_task(
                _inject(rig, producer, fault, log=log, start=start, settled=settled)
            )
        )
    probes = [await task for task in injected]
    return time.monotonic(), probes


async def _inject(rig: Rig, producer: Producer, fault: str, *, log: TextIO, start: float,
                  settled: asyncio.Event) -> Probe:  # fmt: skip
    at = time.monotonic()
    await inject(rig, producer, fault)
    log.write(f"{time.strftime('%H:%M:%S')} +{at - start:.1f} s {fault}\n")
    kind = " ".join(fault.split()[:2]).rstrip("-12")
    return kind, asyncio.create_task(time_to_progress(rig, at, settled))


async def recovery_times(probes: list[Probe]) -> dict[str, list[float | None]]:
    recovery: dict[str, list[float | None]] = {}
    for kind, task in probes:
        recovery.setdefault(kind, []).append(await task)
    return recovery


async def drain(rig: Rig, within: float) -> None:
    """Until both groups have read everything and hold nothing pending."""
    start = time.monotonic()
    s = rig.streams
    while time.monotonic() - start < within:
        if await groups_caught_up(rig.redis, s.raw) and await groups_caught_up(
            rig.redis, s.extracted
        ):
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"the pipeline did not drain within {within} s")


async def test_every_page_survives_the_faults(tmp_path: Path) -> None:
    began = time.monotonic()
    DISRUPTIONS.clear()
    items = workload(SEED, ARTICLES, NON_ARTICLES, POISONS)
    settled = asyncio.Event()
    async with running_rig(tmp_path) as rig:
        producer = Producer(rig.server.url, rig.streams.raw, items, RATE)
        try:
            await _wait_groups(rig)
            publishing = asyncio.create_task(producer.run())
            with (tmp_path / "faults.log").open("w", buffering=1) as log:
                last_fault, probes = await run_faults(rig, producer, log, settled)
            await publishing
            assert producer.finished_at is not None
            await drain(rig, DRAIN_BUDGET_S)
            settled.set()
            drains = (time.monotonic() - producer.finished_at, time.monotonic() - last_fault)
            recovery = await recovery_times(probes)
            trimmed = await _trimmed(rig)
            await rig.supervisor.stop()  # a last SIGTERM each; the store is then read from disk
            books = await read_books(rig, items)
        except BaseException:
            _print_logs(rig)
            raise
        finally:
            await producer.close()
    report = _report(rig, producer=producer, books=books, recovery=recovery, drains=drains,
                     trimmed=trimmed, wall=time.monotonic() - began)  # fmt: skip
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    _check(rig, producer, books, trimmed)


async def _wait_groups(rig: Rig, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    s = rig.streams
    while time.monotonic() < deadline:
        raw = await _group_names(rig, s.raw)
        extracted = await _group_names(rig, s.extracted)
        if s.extractor_group in raw and s.indexer_group in extracted:
            await asyncio.sleep(1.5)  # on disk even with `everysec`
            return
        await asyncio.sleep(0.2)
    _print_logs(rig)
    raise AssertionError("the services did not create their groups")


async def _group_names(rig: Rig, stream: str) -> set[str]:
    try:
        groups = await rig.redis.xinfo_groups(stream)
    except Exception:
        return set()
    return {g["name"].decode() for g in groups}


async def _trimmed(rig: Rig, within: float = 20.0) -> dict[str, int]:
    """XLEN of the two consumed streams once housekeeping has trimmed them (expected: 0)."""
    s = rig.streams
    deadline = time.monotonic() + within
    while True:
        lengths = {n: int(await rig.redis.xlen(n)) for n in (s.raw, s.extracted)}
        if not any(lengths.values()) or time.monotonic() > deadline:
            return lengths
        await asyncio.sleep(0.5)


def _check(rig: Rig, producer: Producer, books: Books, trimmed: dict[str, int]) -> None:
    assert books.missing == [], f"{len(books.missing)} pages lost: {books.missing[:5]}"
    assert books.misplaced == [], f"pages in the wrong place: {books.misplaced[:5]}"
    assert books.duplicate_documents == 0
    assert books.documents == ARTICLES
    assert books.published == books.indexed + books.rejected + books.dead_lettered
    assert books.max_delivery_count <= MAX_DELIVERIES + 1
    assert books.pending == 0
    assert trimmed == dict.fromkeys(trimmed, 0), f"streams not trimmed: {trimmed}"
    assert producer.lost["always"] == 0, "the server lost acknowledged writes with `always`"
    for proc in rig.procs.values():
        # SIGTERM: a clean stop, exit 0, unless Valkey went away during the stop (then the
        # last acknowledgements fail, exit 1, and their entries are delivered again).
        unclean = [s for s in proc.stops if s[0] == HUNG or (s[0] and not _overlaps(s[1], s[2]))]
        assert proc.stops and unclean == [], f"{proc.name}: unclean stops {proc.stops}"
        # A service that starts while Valkey is down exits (the supervisor starts it again, as
        # compose's restart policy would); one that was running must ride outages out.
        running = [c for c in proc.crashes if not _failed_start(*c)]
        assert running == [], f"{proc.name} crashed while running: {running}"


def _failed_start(_code: int, started: float, ended: float) -> bool:
    """Exited soon after its start, which overlapped an outage of Valkey or a cut."""
    return ended - started < STARTUP_CRASH_S and _overlaps(started, ended)


def _overlaps(start: float, end: float) -> bool:
    return any(a - 1.0 <= end and start <= b + 1.0 for a, b in DISRUPTIONS)


def _report(
    rig: Rig,
    *, producer: Producer, books: Books, recovery: dict[str, list[float | None]],
    drains: tuple[float, float], trimmed: dict[str, int], wall: float,
) -> dict[str, Any]:  # fmt: skip
    procs = rig.procs.values()
    extractors = [p for p in procs if p.name.startswith("extractor")]
    indexer = rig.procs["indexer"]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seed": SEED,
        "pages": {
            "published": books.published,
            "articles": ARTICLES,
            "non_articles": NON_ARTICLES,
            "poison": POISONS,
        },
        "faults": {
            "sigkill_extractor": sum(p.kills for p in extractors),
            "sigkill_indexer": indexer.kills,
            "sigterm_mid_batch": sum(p.terms for p in procs) - len(rig.procs),
            "redis_sigkill": dict(Counter(rig.server.kills)),
            "redis_aof_bytes_dropped": rig.server.bytes_dropped,
            "proxy_cuts": rig.proxy.cuts,
            "proxy_connections_cut": rig.proxy.connections_cut,
        },
        "restarts": sum(p.starts - 1 for p in procs),
        "failed_starts": {p.name: len(p.crashes) for p in procs},
        "sigterm_exit_s_max": round(max(e - s for p in procs for _, s, e in p.stops), 2),
        "sigterm_exit_codes": {p.name: [c for c, _, _ in p.stops] for p in procs},
        "outcome": books.summary(),
        "lost": len(books.missing),
        "duplicated": books.duplicate_documents,
        "producer": {
            "confirmed_xadds_lost_by_redis": dict(producer.lost),
            "republished": producer.republished,
            "errors": producer.errors,
        },
        "recovery_s": {k: _stats(v) for k, v in recovery.items()},
        "drain_after_last_page_s": round(drains[0], 1),
        "drain_after_last_fault_s": round(drains[1], 1),
        "stream_length_after_trim": trimmed,
        "wall_s": round(wall, 1),
    }


def _stats(values: list[float | None]) -> dict[str, float | int | None]:
    got = [v for v in values if v is not None]
    return {"n": len(values), "no_progress": len(values) - len(got),
            "median": round(statistics.median(got), 1) if got else None,
            "max": round(max(got), 1) if got else None}  # fmt: skip


def _print_logs(rig: Rig) -> None:
    for proc in rig.procs.values():
        print(proc.tail())
