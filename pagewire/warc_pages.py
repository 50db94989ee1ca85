"""Raw pages out of WARC records: which records are pages, and the page each one makes.

A record is published when it is an HTTP `response` of an HTML page (a `text/html` or
`application/xhtml+xml` media type, or none and a payload that starts like HTML) with a 2xx
status, a target URI and its whole payload; the payload is decoded from its content encodings
(gzip, deflate, br). Every other record is skipped with a reason that the summary counts:
its WARC-Type (`request`, `metadata`, `revisit`, `warcinfo`, ...), or `not_html`,
`http_status`, `truncated`, `content_encoding` (one this reader cannot undo), `no_uri`,
`invalid` (a URL the wire contract refuses). Replaying pagewire's own archive (`text_pages`)
also publishes the `text/plain` pages it holds, as text dumps.
"""

from __future__ import annotations

import base64
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import brotli
from pydantic import ValidationError

from archiver.page_records import DATE_FROM_ENTRY
from archiver.warc import Corrupt, Record
from shared.events import PageFetched

__all__ = ["HTML_TYPES", "Tally", "page_of", "wants_payload"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPE = "text/plain"
_DROPPED_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
"""Headers that describe the bytes as sent, not the decoded payload published."""
_SNIFF = (b"<!doctype html", b"<html")


def wants_payload(media: str | None, text_pages: bool = False) -> bool:
    """Whether a response of this media type may be a page (its payload is worth reading)."""
    return media is None or media in HTML_TYPES or (text_pages and media == TEXT_TYPE)


def page_of(record: Record, source: str, text_pages: bool = False) -> PageFetched | str:
    """The raw page a record holds, or the reason it holds none."""
    if record.kind != "response":
        return record.kind
    if record.status is None or record.payload is None:
        return "not_html" if record.status is not None else "not_http"
    if not 200 <= record.status < 300:
        return "http_status"
    if record.truncated:
        return "truncated"
    if not record.target_uri:
        return "no_uri"
    headers = _headers(record.http_headers)
    payload = _decoded(record.payload, headers.get("content-encoding", ""))
    if payload is None and record.payload.lstrip()[:1] == b"<":
        payload = record.payload  # already decoded by the crawler that wrote it, header kept
    if payload is None:
        return "content_encoding"
    media = _media(headers.get("content-type", ""), payload)
    if media not in HTML_TYPES and not (text_pages and media == TEXT_TYPE):
        return "not_html"
    kept = {
        name: value
        for name, value in _named(record.http_headers).items()
        if name.lower() not in _DROPPED_HEADERS
    }
    dated = record.extensions.get("Date") != DATE_FROM_ENTRY
    try:
        return PageFetched(
            url=record.target_uri,
            content_type=TEXT_TYPE if media == TEXT_TYPE else "text/html",
            headers=kept,
            fetched_at=record.date if dated else None,
            source=record.extensions.get("Source", source),
            **_body(payload, headers.get("content-type", "")),
        )
    except ValidationError:
        return "invalid"


def _named(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers by name as sent; a repeated header's values joined with ', ' (RFC 9110)."""
    out: dict[str, str] = {}
    for name, value in pairs:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in _named(pairs).items()}


def _media(content_type: str, payload: bytes) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if not media:
        head = payload[:1024].lstrip().lower()
        return "text/html" if head.startswith(_SNIFF) else "application/octet-stream"
    return media


def _decoded(payload: bytes, encodings: str) -> bytes | None:
    """The payload with its content encodings undone (the last applied is undone first)."""
    for coding in reversed([c.strip().lower() for c in encodings.split(",") if c.strip()]):
        try:
            if coding in ("gzip", "x-gzip"):
                payload = zlib.decompress(payload, wbits=47)  # gzip or zlib header
            elif coding == "deflate":
                payload = _inflate(payload)
            elif coding == "br":
                payload = brotli.decompress(payload)
            elif coding != "identity":
                return None
        except (zlib.error, brotli.error):
            return None
    return payload


def _inflate(payload: bytes) -> bytes:
    """`deflate` is meant to be zlib-wrapped; some servers send it raw."""
    try:
        return zlib.decompress(payload)
    except zlib.error:
        return zlib.decompress(payload, wbits=-15)


def _body(payload: bytes, content_type: str) -> dict[str, str]:
    """`content` for UTF-8 (declared or not), else the bytes as `content_b64` (the extractor
    decodes them by the declared charset, the meta tag or detection)."""
    declared = content_type.lower().partition("charset=")[2].strip(" \"'")
    if declared in ("", "utf-8", "utf8"):
        try:
            return {"content": payload.decode("utf-8")}
        except UnicodeDecodeError:
            pass
    return {"content_b64": base64.b64encode(payload).decode("ascii")}


@dataclass
class Tally:
    """What reading WARC files came to: pages published, records skipped by reason, the
    unreadable parts (file and offset)."""

    published: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    corrupt: list[str] = field(default_factory=list)

    def count(self, outcome: PageFetched | str) -> None:
        if isinstance(outcome, str):
            self.skipped[outcome] += 1
        else:
            self.published += 1

    def add_corrupt(self, path: str, part: Corrupt) -> None:
        self.corrupt.append(f"{path} at byte {part.offset}: {part.error}")

    def summary(self) -> str:
        skipped = ", ".join(f"{reason} {n}" for reason, n in sorted(self.skipped.items()))
        line = f"{self.published} pages from WARC records; skipped {sum(self.skipped.values())}"
        line += f" ({skipped})" if skipped else ""
        if self.corrupt:
            line += f"; {len(self.corrupt)} unreadable part(s), the rest was read"
        return line
