"""Publishing raw pages: files, folders (recursive), stdin; `.gz` read transparently.

Every page becomes one `PageFetched` JSON in the `__data__` field of a `pages.raw` entry, the
same contract any producer in any language uses (`XADD pages.raw * __data__ '<json>'`).
"""

from __future__ import annotations

import base64
import gzip
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from shared.errors import InvalidMessage, describe_invalid
from shared.events import PageFetched
from shared.streams import DATA_FIELD

if TYPE_CHECKING:
    from redis import Redis

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".txt", ".text")
PIPELINE_CHUNK = 200


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a path (or `-` for stdin) and the URL it is published under."""

    path: str
    url: str


def read_bytes(path: str) -> bytes:
    """The bytes of a file or stdin (`-`), gunzipped when they are gzip."""
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _wanted(path: Path, text: bool) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(TEXT_SUFFIXES if text else HTML_SUFFIXES)


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
    """XADD every page (pipelined in chunks); returns how many were published."""
    count = 0
    pipe = redis.pipeline(transaction=False)
    for page in pages:
        pipe.xadd(stream, {DATA_FIELD: page.model_dump_json(exclude_none=True)})
        count += 1
        if count % PIPELINE_CHUNK == 0:
            pipe.execute()
    pipe.execute()
    return count
