"""Which WARC records are pages, and the page each makes (`pagewire.warc_pages`); the round
trip of a raw page through an archive record (`archiver.page_records`), in memory."""

from __future__ import annotations

import base64
import gzip
import io
from datetime import UTC, datetime

import brotli
import pytest

from archiver.page_records import page_record
from archiver.warc import Record, read
from pagewire.warc_pages import Tally, page_of, wants_payload
from shared.events import PageFetched

WHEN = datetime(2024, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC)
HTML = "<!doctype html><html><body><p>Zürich café</p></body></html>"


def _response(body: bytes, *headers: tuple[str, str], **fields: object) -> Record:
    values: dict[str, object] = {
        "kind": "response",
        "target_uri": "https://a.example/p",
        "date": WHEN,
        "truncated": None,
        "status": 200,
        "http_headers": (("Content-Type", "text/html"), *headers),
        "payload": body,
    }
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


def test_an_html_response_is_a_page_with_its_uri_date_and_headers() -> None:
    page = page_of(_response(HTML.encode(), ("Content-Language", "de")), "cli")
    assert isinstance(page, PageFetched)
    assert (page.url, page.fetched_at, page.content, page.source) == (
        "https://a.example/p",
        WHEN,
        HTML,
        "cli",
    )
    assert page.headers == {"Content-Type": "text/html", "Content-Language": "de"}


def test_bytes_in_a_declared_legacy_charset_stay_bytes_with_their_charset() -> None:
    record = _response(
        HTML.encode("cp1252"), http_headers=(("Content-Type", "text/html; charset=windows-1252"),)
    )
    page = page_of(record, "cli")
    assert isinstance(page, PageFetched) and page.body_bytes() == HTML.encode("cp1252")
    assert page.headers["Content-Type"] == "text/html; charset=windows-1252"


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", lambda d: __import__("zlib").compress(d)),
        ("br", brotli.compress),
        ("gzip, br", lambda d: brotli.compress(gzip.compress(d))),
    ],
)
def test_content_encodings_are_undone_and_their_headers_dropped(
    encoding: str, encode: object
) -> None:
    assert callable(encode)
    record = _response(
        encode(HTML.encode()),
        ("Content-Encoding", encoding),
        ("Content-Length", "12"),
        ("Transfer-Encoding", "chunked"),
    )
    page = page_of(record, "cli")
    assert isinstance(page, PageFetched) and page.content == HTML
    assert set(page.headers) == {"Content-Type"}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (_response(b"x", ("Content-Encoding", "compress")), "content_encoding"),
        (_response(b"not gzip", ("Content-Encoding", "gzip")), "content_encoding"),
        (_response(HTML.encode(), status=404), "http_status"),
        (_response(HTML.encode(), status=301), "http_status"),
        (_response(HTML.encode(), truncated="length"), "truncated"),
        (_response(HTML.encode(), target_uri=None), "no_uri"),
        (_response(b"\x89PNG", http_headers=(("Content-Type", "image/png"),)), "not_html"),
        (_response(b"plain words", http_headers=(("Content-Type", "text/plain"),)), "not_html"),
        (_response(b"{}", http_headers=()), "not_html"),  # no type, and not like HTML
        (_response(HTML.encode(), payload=None), "not_html"),  # its payload was not wanted
        (_response(HTML.encode(), status=None), "not_http"),
        (_response(HTML.encode(), target_uri="http://[oops"), "invalid"),
        (_response(b"", kind="request", status=None), "request"),
        (_response(b"", kind="revisit"), "revisit"),
        (_response(b"", kind="metadata", status=None), "metadata"),
        (_response(b"", kind="warcinfo", status=None, target_uri=None), "warcinfo"),
    ],
)
def test_every_other_record_is_skipped_with_its_reason(record: Record, reason: str) -> None:
    assert page_of(record, "cli") == reason


def test_a_payload_stored_decoded_under_its_encoding_header_is_taken_as_it_is() -> None:
    # some crawlers store the decoded page but keep `Content-Encoding: gzip`
    page = page_of(_response(HTML.encode(), ("Content-Encoding", "gzip")), "cli")
    assert isinstance(page, PageFetched) and page.content == HTML


def test_a_page_without_a_type_is_sniffed() -> None:
    page = page_of(_response(b"  <HTML><p>x</p></HTML>", http_headers=()), "cli")
    assert isinstance(page, PageFetched) and page.content_type == "text/html"


def test_text_pages_are_published_only_when_replaying_the_archive() -> None:
    record = _response(b"plain words", http_headers=(("Content-Type", "text/plain"),))
    page = page_of(record, "replay", text_pages=True)
    assert isinstance(page, PageFetched) and page.content_type == "text/plain"
    assert wants_payload("text/plain", text_pages=True) and not wants_payload("text/plain")
    assert wants_payload(None) and wants_payload("application/xhtml+xml")


def test_the_tally_counts_pages_and_reasons() -> None:
    tally = Tally()
    for outcome in ("request", "request", "revisit", page_of(_response(HTML.encode()), "c")):
        tally.count(outcome)
    assert tally.summary() == "1 pages from WARC records; skipped 3 (request 2, revisit 1)"


def _round_trip(page: PageFetched, entry_id: str = "1714564800000-0") -> PageFetched | str:
    member = gzip.compress(page_record(page, entry_id, page.body_bytes()))
    [record] = list(read(io.BytesIO(member), lambda media: True))
    assert isinstance(record, Record)
    assert record.extensions["Entry-Id"] == entry_id
    return page_of(record, "replay", text_pages=True)


def test_an_archived_page_comes_back_as_it_was_published() -> None:
    page = PageFetched(
        url="https://a.example/p q",
        content=HTML,
        fetched_at=WHEN,
        source="crawler",
        headers={
            "Content-Language": "fr",
            "Content-Type": "text/html; charset=latin-1",
            "Content-Encoding": "gzip",
            "X-Bad": "a\r\nInjected: 1",
        },
    )
    back = _round_trip(page)
    assert isinstance(back, PageFetched)
    assert (back.content, back.fetched_at, back.source) == (HTML, WHEN, "crawler")
    assert back.url == "https://a.example/p%20q"
    assert back.headers["Content-Language"] == "fr"
    assert back.headers["Content-Type"] == "text/html; charset=utf-8"  # it was text: UTF-8 now
    assert "Content-Encoding" not in back.headers and "Injected" not in back.headers


def test_archived_bytes_keep_their_charset_and_a_text_dump_stays_text() -> None:
    raw = HTML.encode("cp1252")
    page = PageFetched(
        url="https://a.example/b",
        content_b64=base64.b64encode(raw).decode(),
        headers={"Content-Type": "text/html; charset=windows-1252"},
    )
    back = _round_trip(page)
    assert isinstance(back, PageFetched) and back.body_bytes() == raw
    assert back.headers["Content-Type"] == "text/html; charset=windows-1252"
    text = _round_trip(
        PageFetched(url="https://a.example/t", content="words", content_type="text/plain")
    )
    assert isinstance(text, PageFetched) and text.content_type == "text/plain"


def test_a_page_without_fetch_time_is_archived_at_its_entry_time_and_replayed_without() -> None:
    back = _round_trip(PageFetched(url="https://a.example/n", content=HTML))
    assert isinstance(back, PageFetched) and back.fetched_at is None
