"""The pure parts of pagewire.scrapy: a response as a raw page, which responses are skipped,
the back-pressure decision and gate, the bounded retries, the settings' precedence. The real
crawl is tests/integration/test_scrapy.py."""

from __future__ import annotations

import asyncio
import base64
import logging
from datetime import UTC, datetime

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.settings import Settings

from extractor.decode import decode_bytes
from pagewire.publish import make_page
from pagewire.scrapy.backpressure import LagGate, over_limit
from pagewire.scrapy.pages import raw_page, skip_reason
from pagewire.scrapy.publisher import Publisher
from pagewire.scrapy.settings import PublisherSettings
from shared.events import PageFetched

FETCHED = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def _html(
    body: bytes, status: int = 200, headers: dict[str, str | list[str]] | None = None
) -> HtmlResponse:
    return HtmlResponse("https://a.example/x", status=status, body=body, headers=headers or {})


def test_an_html_response_becomes_a_raw_page_with_its_headers_and_fetch_time() -> None:
    body = "<html><p>Caf\u00e9 cr\u00e8me</p></html>".encode("cp1252")
    response = _html(body, headers={"Content-Type": "text/html; charset=windows-1252",
                                    "Content-Language": "fr", "Set-Cookie": "sid=secret",
                                    "Vary": ["Accept", "Cookie"]})  # fmt: skip
    page = raw_page(response, FETCHED, "scrapy:news")
    assert page.url == "https://a.example/x"
    assert page.fetched_at == FETCHED
    assert page.source == "scrapy:news"
    assert page.headers == {"Content-Type": "text/html; charset=windows-1252",
                            "Content-Language": "fr", "Vary": "Accept, Cookie"}  # fmt: skip
    # Not UTF-8: the bytes go as they came, and the header's charset decodes them.
    assert page.body_bytes() == body
    assert "Caf\u00e9 cr\u00e8me" in decode_bytes(body, page.headers["Content-Type"])
    assert PageFetched.model_validate_json(page.model_dump_json()) == page


def test_a_utf8_page_goes_as_text() -> None:
    page = raw_page(_html("<p>\u00e9t\u00e9</p>".encode()), FETCHED, "s")
    assert page.content == "<p>\u00e9t\u00e9</p>"
    assert page.content_b64 is None


def test_make_page_without_headers_is_what_pagewire_publish_wrote() -> None:
    page = make_page(b"\xff<p>x</p>", "https://a.example/")
    assert page.headers == {}
    assert page.content_b64 == base64.b64encode(b"\xff<p>x</p>").decode()
    assert page.fetched_at is not None


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (_html(b"<p>x</p>"), None),
        (_html(b"<p>x</p>", status=203), None),
        (_html(b"<p>gone</p>", status=404), "status_404"),
        (_html(b"", status=500), "status_500"),
        (TextResponse("https://a.example/t.csv", body=b"a,b\n"), "not_html"),
        (XmlResponse("https://a.example/feed", body=b"<rss/>"), "not_html"),
        (Response("https://a.example/img.png", body=b"\x89PNG"), "not_html"),
    ],
)
def test_which_responses_are_published(response: Response, reason: str | None) -> None:
    assert skip_reason(response) == reason


@pytest.mark.parametrize(
    ("backlog", "limit", "hold"),
    [(11, 10, True), (10, 10, False), (0, 10, False), (None, 10, False), (10**6, 0, False)],
)
def test_over_limit(backlog: int | None, limit: int, hold: bool) -> None:
    assert over_limit(backlog, limit) is hold


class FakeBacklog:
    """The backlog reader port: a scripted series of readings, the last repeated."""

    def __init__(self, *readings: int | None) -> None:
        self.readings = list(readings)
        self.reads = 0

    async def __call__(self) -> int | None:
        self.reads += 1
        return self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]


async def test_the_gate_holds_responses_until_the_backlog_falls() -> None:
    backlog = FakeBacklog(50, 40, 5)
    gate = LagGate(backlog, limit=10, interval_s=0.2)
    waiting = [asyncio.create_task(gate.admit()) for _ in range(3)]
    await asyncio.wait_for(asyncio.gather(*waiting), 5)
    assert backlog.reads == 3  # shared readings, not one per response
    assert gate.holds == 3
    assert gate.held_s > 0


async def test_the_gate_reads_at_most_once_an_interval() -> None:
    backlog = FakeBacklog(3)
    gate = LagGate(backlog, limit=10, interval_s=60)
    for _ in range(5):
        await gate.admit()
    assert backlog.reads == 1
    assert gate.holds == 0


async def test_without_a_limit_the_gate_never_reads() -> None:
    backlog = FakeBacklog(10**9)
    await LagGate(backlog, limit=0, interval_s=0.01).admit()
    assert backlog.reads == 0


def _pages(n: int) -> list[PageFetched]:
    return [PageFetched(url=f"https://a.example/{i}", content="<p>x</p>") for i in range(n)]


class FlakyStream:
    """The write port: fails `failures` times, then keeps what it is given."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.written: list[PageFetched] = []

    def __call__(self, pages: list[PageFetched]) -> None:
        if self.failures:
            self.failures -= 1
            raise RedisConnectionError("Connection refused")
        self.written += pages


def _publisher(stream: FlakyStream, stats: dict[str, int], retries: int = 2) -> Publisher:
    def count(key: str, n: int) -> None:
        stats[key] = stats.get(key, 0) + n

    return Publisher(stream, retries, 0.001, count, lambda exc: f"down: {exc}")


async def test_a_batch_is_retried_until_redis_takes_it() -> None:
    stream, stats = FlakyStream(failures=2), dict[str, int]()
    await _publisher(stream, stats).write(_pages(3))
    assert [p.url for p in stream.written] == [f"https://a.example/{i}" for i in range(3)]
    assert stats == {"pagewire/publish_retries": 2, "pagewire/pages_published": 3}


async def test_after_the_last_retry_pages_are_counted_failed_and_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stream, stats = FlakyStream(failures=10), dict[str, int]()
    with caplog.at_level(logging.WARNING, "pagewire.scrapy"):
        await _publisher(stream, stats, retries=1).write(_pages(2))
    assert stream.written == []
    assert stats == {"pagewire/publish_retries": 1, "pagewire/pages_failed": 2}
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "after 2 attempts: down: Connection refused" in errors[0]
    assert "https://a.example/0 https://a.example/1" in errors[0]


def test_scrapy_settings_win_over_the_environment_which_wins_over_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAGEWIRE_MAX_LAG", "7")
    monkeypatch.setenv("PAGEWIRE_REDIS_URL", "redis://env.example:6379/0")
    monkeypatch.setenv("PAGEWIRE_REDIS_PASSWORD", "s3cret")
    got = PublisherSettings.from_scrapy(Settings({"PAGEWIRE_MAX_LAG": "5"}))
    assert got.max_lag == 5
    assert got.publish_batch_size == PublisherSettings.model_fields["publish_batch_size"].default
    target = got.redis_target()
    assert (target.url, target.password) == ("redis://env.example:6379/0", "s3cret")
    assert "s3cret" not in target.display
