"""The archiver's CPU a page, in one process, without Redis: its handler's path as is.

    python -m bench.archiver_cpu [--pages 3000] [--rounds 3]

The corpus pages as raw-page messages (`bench.throughput.messages`) go through what the
archiver does to each delivered batch: `archiver.handlers.parse` (the wire contract, base64
decoded once), then `write` (the WARC records, a gzip member each at the default level,
appended and fsynced once a batch of `batch_size`). CPU seconds of this process
(`time.process_time`) over all the pages, after a warm-up round; the best of the rounds.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from archiver.config import ArchiverSettings
from archiver.handlers import parse, write
from archiver.warc_files import WarcFiles
from bench import corpus
from bench.report import write_section
from bench.throughput import messages
from runtime.delivery import Entry


def archive_seconds(entries: list[Entry], folder: Path, settings: ArchiverSettings) -> float:
    """CPU seconds to archive every entry, a batch at a time, into a fresh folder."""
    files = WarcFiles(folder, "bench", settings.max_file_bytes, settings.max_file_age_s,
                      compression_level=settings.compression_level)  # fmt: skip
    started = time.process_time()
    for start in range(0, len(entries), settings.batch_size):
        write(files, [parse(entry) for entry in entries[start : start + settings.batch_size]])
    files.close()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="Do not update the docs.")
    args = parser.parse_args()
    if not corpus.available():
        raise SystemExit(f"skipped: {corpus.MISSING}")
    lines = messages(args.pages)
    entries = [Entry(f"{1764547200000 + i}-0", line, line) for i, line in enumerate(lines)]
    settings = ArchiverSettings()
    with tempfile.TemporaryDirectory() as tmp:
        archive_seconds(entries, Path(tmp) / "warm-up", settings)
        rounds = [
            archive_seconds(entries, Path(tmp) / str(r), settings) for r in range(args.rounds)
        ]
        size = sum(p.stat().st_size for p in (Path(tmp) / "0").iterdir())
    best = min(rounds) / args.pages * 1000
    kib = sum(map(len, lines)) / args.pages / 1024
    text = (
        "## The archiver's CPU a page\n\n"
        f"`python -m bench.archiver_cpu --pages {args.pages} --rounds {args.rounds}`: the corpus "
        f"pages as raw-page messages ({kib:.0f} KiB a message on average) through the archiver's "
        "handler path in one process (parse, WARC record, a gzip member each at level "
        f"{settings.compression_level}, fsync a batch of {settings.batch_size}), no Redis. "
        f"Best of {args.rounds} rounds after a warm-up: **{best:.2f} ms of CPU a page** (rounds: "
        + ", ".join(f"{s / args.pages * 1000:.2f}" for s in rounds)
        + f" ms); {size / args.pages / 1024:.0f} KiB of WARC a page. Load average "
        f"{os.getloadavg()[0]:.1f} on the machine at the end."
    )
    print(text)
    if not args.no_write:
        write_section("archiver-cpu", text)


if __name__ == "__main__":
    main()
