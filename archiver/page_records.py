"""A raw page as a WARC `response` record: pure, no I/O.

The record holds what `pages.raw` held, so that `pagewire replay` publishes the same page
again: the URL (WARC-Target-URI), the fetch time (WARC-Date, to the microsecond, so that the
replayed page is the same fetch for the indexer), the HTTP headers the producer gave, and the
page's bytes. A page that came as text (`content`) is stored as UTF-8 and labelled so; one that
came as bytes (`content_b64`) keeps its bytes and its declared charset. Headers describing the
bytes as they were sent (encodings, length) are left out: the payload is stored decoded. The
`WARC-Pagewire-*` headers keep the publisher (`Source`), the stream entry (`Entry-Id`) and,
for a page without a fetch time, `Date: entry` (the WARC-Date is then the entry's time, and
the replayed page has no fetch time either).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from archiver.warc import response_record
from shared.events import PageFetched

__all__ = ["DATE_FROM_ENTRY", "page_record"]

DATE_FROM_ENTRY = "entry"
_DROPPED = ("content-type", "content-encoding", "transfer-encoding", "content-length")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URI_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


def page_record(page: PageFetched, entry_id: str, body: bytes | None) -> bytes:
    """The page as one WARC record (uncompressed bytes); `body` is `page.body_bytes()`,
    decoded by the caller, which checked it."""
    payload = body
    if payload is None:
        payload = (page.content or "").encode("utf-8", "surrogatepass")
        content_type = f"{_media(page.content_type)}; charset=utf-8"
    else:
        content_type = _declared(page)
    head = ["HTTP/1.1 200 OK"]
    for name, value in page.headers.items():
        if _TOKEN.match(name) and name.lower() not in _DROPPED:
            head.append(f"{name}: {_CONTROL.sub(' ', value)}")
    head += [f"Content-Type: {_CONTROL.sub(' ', content_type)}", f"Content-Length: {len(payload)}"]
    extensions = {"Entry-Id": entry_id}
    if page.source:
        extensions["Source"] = _CONTROL.sub(" ", page.source)
    if page.fetched_at is None:
        extensions["Date"] = DATE_FROM_ENTRY
    when = page.fetched_at or datetime.fromtimestamp(int(entry_id.split("-", 1)[0]) / 1000, UTC)
    http_head = ("\r\n".join(head) + "\r\n\r\n").encode("utf-8", "replace")
    url = _URI_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", page.url)
    return response_record(url, warc_date(when), http_head, payload, extensions)


def warc_date(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds (WARC 1.1 allows fractions of a second)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower() or "text/html"


def _declared(page: PageFetched) -> str:
    """The content type with the charset the extractor would honour for these bytes."""
    if "charset" in page.content_type.lower():
        return page.content_type
    for name, value in page.headers.items():
        if name.lower() == "content-type" and "charset" in value.lower():
            charset = value.lower().partition("charset=")[2]
            return f"{_media(page.content_type)}; charset={charset.strip()}"
    return _media(page.content_type)
