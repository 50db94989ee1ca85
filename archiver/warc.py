"""WARC files in and out, on FastWARC (the only module that imports it).

Reading yields each record as a `Record` of plain values, its HTTP payload with the transfer
encoding (chunked) undone. Content encodings (gzip, br, ...) are left to the caller: FastWARC
2.0.1's own content decoding ends the iteration, silently, after the first gzip-encoded
payload (docs/benchmarks.md, "WARC reading"). A gzip member that cannot be read becomes a
`Corrupt` item, and reading goes on at the next member that can.

Writing makes one `response` record (`response_record`); `archiver.warc_files` gzips and
appends it, one gzip member a record, as the WARC standard's annex recommends.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

__all__ = ["EXTENSION", "Corrupt", "Record", "read", "response_record"]

EXTENSION = "WARC-Pagewire-"
"""Prefix of the WARC headers pagewire adds to what it archives (`Record.extensions`)."""
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN_CHUNK = 1 << 20
_PAYLOAD_TYPES = ("response", "resource")

WantsPayload = Callable[[str | None], bool]
"""Told an HTTP response's media type, says whether its payload should be read."""


@dataclass(frozen=True, slots=True)
class Record:
    """One WARC record; `payload` only for HTTP responses whose payload was wanted."""

    kind: str
    """The WARC-Type: response, request, revisit, metadata, warcinfo, resource, ..."""
    target_uri: str | None
    date: datetime | None
    truncated: str | None
    """WARC-Truncated's reason (length, time, disconnect, ...) when the payload is cut short."""
    status: int | None
    """The HTTP status, None when the record holds no HTTP response."""
    http_headers: tuple[tuple[str, str], ...] = ()
    payload: bytes | None = None
    extensions: dict[str, str] = field(default_factory=dict)
    """The `WARC-Pagewire-*` headers, without the prefix."""


@dataclass(frozen=True, slots=True)
class Corrupt:
    """A part of a file that could not be read: where it starts and why."""

    offset: int
    error: str


def read(stream: IO[bytes], wants_payload: WantsPayload) -> Iterator[Record | Corrupt]:
    """Every record of a seekable WARC stream (gzipped or not), and each unreadable part: a
    gzip member that does not inflate, a record cut short by the end of the file."""
    gzipped = stream.read(3) == _GZIP_MAGIC
    offset: int | None = 0
    while offset is not None:
        stream.seek(offset)
        started, in_payload = None, False
        held: Record | None = None  # the last record read, yielded once the next one starts
        try:
            for raw in ArchiveIterator(stream, parse_http=True, auto_decode="transfer"):
                started, in_payload = raw.stream_pos, True
                record = _record(raw, wants_payload)
                in_payload = False
                if held is not None:
                    yield held
                held = record
        except OSError as exc:
            if held is not None:
                yield held
            if not gzipped:  # no way to find the next record's start reliably
                yield Corrupt(offset if started is None else started, str(exc))
                return
            bad = _bad_member(stream, offset, started, in_payload)
            yield Corrupt(bad, str(exc))
            offset = _next_member(stream, bad + 1)
            continue
        yield from _last(stream, held, started, gzipped)
        # FastWARC ends quietly at a last member cut short: find it
        if gzipped:
            last = _next_member(stream, (offset if started is None else started) + 1)
            if last is not None:
                yield Corrupt(last, "the file ends inside this record (cut short)")
        return


def _last(
    stream: IO[bytes], held: Record | None, started: int | None, gzipped: bool
) -> Iterator[Record | Corrupt]:
    """The file's last record, unless its gzip member stops short of its end: a crash can cut
    a member inside its WARC headers, which FastWARC then reads as a record with cut values."""
    if held is None or started is None:
        return
    if gzipped and not _whole_member(stream, started):
        yield Corrupt(started, "the file ends inside this record (cut short)")
    else:
        yield held


def _whole_member(stream: IO[bytes], at: int) -> bool:
    """Whether the gzip member at `at` inflates to its end (its trailer read)."""
    stream.seek(at)
    inflater = zlib.decompressobj(wbits=31)
    while not inflater.eof:
        chunk = inflater.unconsumed_tail or stream.read(1 << 16)
        if not chunk:
            return False
        try:
            inflater.decompress(chunk, 1 << 20)
        except zlib.error:
            return False
    return True


def _bad_member(stream: IO[bytes], offset: int, started: int | None, in_payload: bool) -> int:
    """The member that could not be read: the record's being read (`in_payload`), else the
    one after the last record read, or the first one read."""
    if started is None:
        return offset
    if in_payload:
        return started
    following = _next_member(stream, started + 1, readable=False)
    return started + 1 if following is None else following


def _next_member(stream: IO[bytes], start: int, readable: bool = True) -> int | None:
    """The offset of the next gzip member at or after `start`; with `readable`, of the next
    that begins with valid data (the magic bytes can also occur inside compressed data)."""
    position = start
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK + len(_GZIP_MAGIC))
        if len(chunk) < len(_GZIP_MAGIC):
            return None
        found = chunk.find(_GZIP_MAGIC, 0, _SCAN_CHUNK)
        while found != -1:
            if not readable or _inflates(stream, position + found):
                return position + found
            found = chunk.find(_GZIP_MAGIC, found + 1, _SCAN_CHUNK)
        position += _SCAN_CHUNK


def _inflates(stream: IO[bytes], at: int) -> bool:
    stream.seek(at)
    try:
        zlib.decompressobj(wbits=31).decompress(stream.read(4096), 1024)
    except zlib.error:
        return False
    return True


def _record(raw: WarcRecord, wants_payload: WantsPayload) -> Record:
    headers = raw.headers
    kind = str(raw.record_type)
    status, payload = None, None
    http: tuple[tuple[str, str], ...] = ()
    if raw.is_http and kind in (*_PAYLOAD_TYPES, "revisit"):
        status = raw.http_headers.status_code
        http = raw.http_headers.to_tuples()
        media = raw.http_content_type
        if kind in _PAYLOAD_TYPES and wants_payload(media.lower() if media else None):
            payload = raw.reader.read()
            chunked = raw.http_headers.get("Transfer-Encoding") is not None
            if not chunked and len(payload) < raw.content_length:  # the file ended in it
                raise OSError(f"record cut short: {len(payload)} of {raw.content_length} bytes")
    return Record(
        kind=kind,
        target_uri=headers.get("WARC-Target-URI"),
        date=_date(raw),
        truncated=headers.get("WARC-Truncated"),
        status=status,
        http_headers=http,
        payload=payload,
        extensions={k[len(EXTENSION) :]: v for k, v in headers.items() if k.startswith(EXTENSION)},
    )


def _date(raw: WarcRecord) -> datetime | None:
    try:
        return raw.record_date
    except (ValueError, OSError):
        return None


def response_record(
    url: str, date: str, http_head: bytes, payload: bytes, extensions: dict[str, str]
) -> bytes:
    """One `response` record, as bytes: `http_head` is the status line and headers, ending
    with the blank line; `date` the WARC-Date (ISO 8601, UTC, microseconds kept)."""
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["WARC-Date"] = date
    record.headers["Content-Type"] = "application/http; msgtype=response"
    for name, value in extensions.items():
        record.headers[EXTENSION + name] = value
    record.set_bytes_content(http_head + payload)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()
