"""Publishing raw pages: files, folders (recursive), stdin; `.gz` read transparently; WARC
files (`.warc`, `.warc.gz`, or a WARC on stdin) give a page for each HTML response they hold
(`pagewire.warc_pages`).

Every page becomes one `PageFetched` JSON in the `__data__` field of a `pages.raw` entry, the
same contract any producer in any language uses (`XADD pages.raw * __data__ '<json>'`).
"""

from __future__ import annotations

import base64
import gzip
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import ValidationError

from archiver.warc import Corrupt
from archiver.warc import read as read_warc
from pagewire import warc_pages
from shared.errors import InvalidMessage, describe_invalid
from shared.events import PageFetched
from shared.streams import DATA_FIELD

if TYPE_CHECKING:
    from redis import Redis

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".txt", ".text")
WARC_SUFFIXES = (".warc", ".warc.gz")
PIPELINE_CHUNK = 200


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a path (or `-` for stdin) and the URL it is published under."""

    path: str
    url: str


def read_bytes(path: str, stdin: IO[bytes] | None = None) -> bytes:
    """The bytes of a file or stdin (`-`), gunzipped when they are gzip."""
    data = (stdin or sys.stdin.buffer).read() if path == "-" else Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _wanted(path: Path, text: bool) -> bool:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return not text
    return name.removesuffix(".gz").endswith(TEXT_SUFFIXES if text else HTML_SUFFIXES)


def is_warc(path: str) -> bool:
    """A WARC file by its name; stdin (`-`) is one when it starts like one (`sniff_stdin`)."""
    return path.lower().endswith(WARC_SUFFIXES)


def _starts_like_warc(head: bytes) -> bool:
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


@contextmanager
def spooled_stdin() -> Iterator[tuple[IO[bytes], bool]]:
    """Stdin in a temporary file (WARC reading seeks, to step over a corrupt part), and
    whether it holds a WARC."""
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        head = spool.read(512)
        spool.seek(0)
        yield spool, _starts_like_warc(head)


def expand(paths: Iterable[str], text: bool = False) -> Iterator[str]:
    """Files as given, folders walked recursively for page files, in sorted order."""
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*")) if p.is_file() and _wanted(p, text))
        else:
            yield raw


def sources(paths: Iterable[str], text: bool = False, url: str | None = None) -> list[Source]:
    """Inputs with their URLs: `--url` for a single input, else a `file://` URL of the path."""
    files = list(expand(paths, text))
    if url is not None and len(files) != 1:
        raise ValueError("--url names the URL of one page; give exactly one input with it")
    if url is not None and is_warc(files[0]):
        raise ValueError("--url names the URL of one page; a WARC file holds its pages' URLs")
    result = []
    for item in files:
        if url is not None:
            result.append(Source(item, url))
        elif item == "-":
            result.append(Source(item, "stdin:"))
        else:
            result.append(Source(item, Path(item).resolve().as_uri()))
    return result


def make_page(
    data: bytes, url: str, text: bool = False, source: str = "cli", *,
    headers: Mapping[str, str] | None = None, fetched_at: datetime | None = None,
) -> PageFetched:  # fmt: skip
    """A raw page: `content` when the bytes are UTF-8, else `content_b64` (nothing lost), with
    the HTTP response headers when there were any (their charset decodes `content_b64`) and
    when it was fetched (default: now); `InvalidMessage` when it would break the wire contract
    (an empty or unparseable URL)."""
    body: dict[str, str]
    try:
        body = {"content": data.decode("utf-8")}
    except UnicodeDecodeError:
        body = {"content_b64": base64.b64encode(data).decode("ascii")}
    content_type = "text/plain" if text else "text/html"
    try:
        return PageFetched(url=url, content_type=content_type, headers=dict(headers or {}),
                           fetched_at=fetched_at or datetime.now(UTC), source=source,
                           **body)  # fmt: skip
    except ValidationError as exc:
        raise InvalidMessage(describe_invalid("invalid page", exc)) from None


def publish_pages(redis: Redis, stream: str, pages: Iterable[PageFetched]) -> int:
    """XADD every page, pipelined in chunks; returns how many were published.

    A chunk is sent by a thread of its own while the next is made: sending (the socket, the
    server's answer) then overlaps with reading and encoding the pages (a WARC's, chiefly).
    """
    count = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish") as sender:
        in_flight: Future[list[Any]] | None = None
        chunk: list[bytes] = []
        for page in pages:
            chunk.append(page.model_dump_json(exclude_none=True).encode())
            count += 1
            if len(chunk) == PIPELINE_CHUNK:
                if in_flight is not None:
                    in_flight.result()  # one chunk in flight at most: memory stays bounded
                in_flight = sender.submit(_send, redis, stream, chunk)
                chunk = []
        if in_flight is not None:
            in_flight.result()
        _send(redis, stream, chunk)
    return count


def _send(redis: Redis, stream: str, chunk: list[bytes]) -> list[Any]:
    pipe = redis.pipeline(transaction=False)
    for data in chunk:
        pipe.xadd(stream, {DATA_FIELD: data})
    return pipe.execute()


def pages_of_warcs(
    files: Iterable[tuple[str, IO[bytes]]], tally: warc_pages.Tally, source: str = "cli",
    *, text_pages: bool = False, keep: Callable[[PageFetched], bool] | None = None,
) -> Iterator[PageFetched]:  # fmt: skip
    """The pages of WARC files (name, open seekable file), counting every record in `tally`;
    `keep` filters the pages (a filtered page counts as skipped, `filtered`)."""

    def wants(media: str | None) -> bool:
        return warc_pages.wants_payload(media, text_pages)

    for name, stream in files:
        for item in read_warc(stream, wants):
            if isinstance(item, Corrupt):
                tally.add_corrupt(name, item)
                continue
            page = warc_pages.page_of(item, source, text_pages)
            if isinstance(page, PageFetched) and keep is not None and not keep(page):
                page = "filtered"
            tally.count(page)
            if isinstance(page, PageFetched):
                yield page


def open_warcs(paths: Iterable[str]) -> Iterator[tuple[str, IO[bytes]]]:
    """Each WARC file opened in turn (closed when the next is asked for)."""
    for path in paths:
        with open(path, "rb") as stream:
            yield path, stream


def pages(
    inputs: Iterable[Source], text: bool, source: str, tally: warc_pages.Tally
) -> Iterator[PageFetched]:
    """The pages of every input in turn: a page file is one page, a WARC file (or a WARC on
    stdin) each of its HTML responses."""
    for item in inputs:
        if is_warc(item.path):
            yield from pages_of_warcs(open_warcs([item.path]), tally, source)
        elif item.path == "-":
            with spooled_stdin() as (spool, warc):
                if warc and not text:
                    yield from pages_of_warcs([("stdin", spool)], tally, source)
                else:
                    yield make_page(read_bytes("-", spool), item.url, text, source)
        else:
            yield make_page(read_bytes(item.path), item.url, text, source)
