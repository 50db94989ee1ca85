"""`pagewire publish` of WARC files that the tests write with warcio (another library than the
one pagewire reads with), into a real Redis: every HTML response published, everything else
counted, a corrupt gzip member reported and the rest published."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from redis import Redis
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pagewire.cli import main
from runtime.redis_streams import normalise_entries
from shared.events import PageFetched
from shared.streams import DATA_FIELD, Streams

# warcio's writer leaves the temporary files it buffers payloads in to the garbage collector.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in.*SpooledTemporaryFile:pytest.PytestUnraisableExceptionWarning"
)

PAGE = "<!doctype html><html><body><p>Ships in the harbour, número {n}.</p></body></html>"


def _response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    headers: list[tuple[str, str]],
    status: str = "200 OK",
    **warc: str,
) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-05-01T12:00:00Z", **warc},
        )
    )


def write_crawl(path: Path, compress: bool = True) -> list[str]:
    """A small crawl with every kind of record; returns the URLs of the HTML pages in it."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        _response(
            writer,
            "https://a.example/1",
            PAGE.format(n=1).encode("latin-1"),
            [("Content-Type", "text/html; charset=iso-8859-1"), ("Content-Language", "es")],
        )
        writer.write_record(
            writer.create_warc_record(
                "https://a.example/1",
                "request",
                payload=io.BytesIO(b"GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n"),
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "https://a.example/1",
                "metadata",
                payload=io.BytesIO(b"via: https://a.example/\r\n"),
                warc_content_type="application/warc-fields",
            )
        )
        zipped = gzip.compress(PAGE.format(n=2).encode())
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(zipped), zipped)
        _response(
            writer,
            "https://a.example/2",
            chunked,
            [
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
        )
        writer.write_record(
            writer.create_revisit_record(
                "https://a.example/1",
                digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                refers_to_uri="https://a.example/1",
                refers_to_date="2024-04-01T00:00:00Z",
                http_headers=StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
                ),
            )
        )
        _response(
            writer, "https://a.example/logo.png", b"\x89PNG\r\n", [("Content-Type", "image/png")]
        )
        _response(
            writer,
            "https://a.example/gone",
            b"<html>gone</html>",
            [("Content-Type", "text/html")],
            status="404 Not Found",
        )
        _response(
            writer,
            "https://a.example/cut",
            b"<html><p>cut sh",
            [("Content-Type", "text/html")],
            **{"WARC-Truncated": "length"},
        )
        _response(
            writer,
            "https://a.example/3",
            PAGE.format(n=3).encode(),
            [("Content-Type", "text/html; charset=utf-8")],
            **{"WARC-Date": "2024-05-02T08:30:00Z"},
        )
    return ["https://a.example/1", "https://a.example/2", "https://a.example/3"]


SKIPPED = "skipped 7 (http_status 1, metadata 1, not_html 1, request 1, revisit 1, truncated 1, warcinfo 1)"  # noqa: E501


def _publish(redis_url: str, prefix: str, *args: str, stdin: bytes | None = None) -> Any:
    argv = ["publish", *args, "--redis-url", redis_url, "--stream-prefix", prefix]
    return CliRunner().invoke(main, argv, input=stdin)


def _published(redis_url: str, streams: Streams) -> list[PageFetched]:
    with Redis.from_url(redis_url) as redis:
        entries = normalise_entries(redis.xrange(streams.raw))
    return [PageFetched.model_validate_json(f[DATA_FIELD.encode()]) for _, f in entries]


def test_each_html_response_is_published_and_every_other_record_counted(
    redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    urls = write_crawl(tmp_path / "crawl.warc.gz")
    result = _publish(redis_url, stream_prefix, str(tmp_path / "crawl.warc.gz"))
    assert result.exit_code == 0, result.output
    assert f"3 pages from WARC records; {SKIPPED}" in result.output
    pages = _published(redis_url, streams)
    assert [p.url for p in pages] == urls
    first, second, third = pages
    assert first.body_bytes() == PAGE.format(n=1).encode("latin-1")
    assert first.headers == {
        "Content-Type": "text/html; charset=iso-8859-1",
        "Content-Language": "es",
    }
    assert second.content == PAGE.format(n=2)  # chunked, then gzip: both undone
    assert third.content == PAGE.format(n=3)
    assert [p.fetched_at.isoformat() for p in pages if p.fetched_at] == [
        "2024-05-01T12:00:00+00:00",
        "2024-05-01T12:00:00+00:00",
        "2024-05-02T08:30:00+00:00",
    ]


def test_a_corrupt_gzip_member_is_reported_and_the_rest_published(
    redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path
) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_crawl(path)
    data = bytearray(path.read_bytes())
    members = [i for i in range(len(data)) if data[i : i + 3] == b"\x1f\x8b\x08"]
    bad = members[1]  # the first page's response
    data[bad + 30 : bad + 60] = bytes(b ^ 0x5A for b in data[bad + 30 : bad + 60])
    path.write_bytes(bytes(data[: members[-1] + 40]))  # and the last member cut short
    result = _publish(redis_url, stream_prefix, str(path))
    assert result.exit_code == 0, result.output
    assert f"unreadable: {path} at byte {bad}:" in result.output
    assert "2 unreadable part(s), the rest was read" in result.output
    assert [p.url for p in _published(redis_url, streams)] == ["https://a.example/2"]


@pytest.mark.parametrize("compress", [True, False])
def test_a_folder_of_warcs_and_a_warc_on_stdin(
    redis_url: str, stream_prefix: str, streams: Streams, tmp_path: Path, compress: bool
) -> None:
    name = "crawl.warc.gz" if compress else "crawl.warc"
    (tmp_path / "crawls").mkdir()
    write_crawl(tmp_path / "crawls" / name, compress)
    (tmp_path / "crawls" / "notes.json").write_text(json.dumps({"not": "a page"}))
    result = _publish(redis_url, stream_prefix, str(tmp_path / "crawls"))
    assert result.exit_code == 0, result.output
    piped = _publish(redis_url, stream_prefix, "-", stdin=(tmp_path / "crawls" / name).read_bytes())
    assert piped.exit_code == 0, piped.output
    assert "published 3 pages" in result.output and "published 3 pages" in piped.output
    assert len(_published(redis_url, streams)) == 6


def test_url_is_refused_with_a_warc(redis_url: str, stream_prefix: str, tmp_path: Path) -> None:
    write_crawl(tmp_path / "crawl.warc.gz")
    result = _publish(
        redis_url, stream_prefix, str(tmp_path / "crawl.warc.gz"), "--url", "https://x/"
    )
    assert result.exit_code != 0 and "a WARC file holds its pages' URLs" in result.output
