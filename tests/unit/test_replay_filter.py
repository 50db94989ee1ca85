"""Which archived pages `pagewire replay` publishes again (`pagewire.replay.matches`)."""

from __future__ import annotations

from datetime import UTC, datetime

from pagewire.replay import matches
from shared.events import PageFetched


def _page(url: str, day: int | None) -> PageFetched:
    fetched = None if day is None else datetime(2026, 12, day, 9, 0, tzinfo=UTC)
    return PageFetched(url=url, content="x", fetched_at=fetched)


def test_since_and_hosts_filter_and_nothing_passes_everything() -> None:
    keep = matches(datetime(2026, 12, 5), ["WWW.Example.org", "news.example.net"])
    assert keep(_page("https://example.org/a", 6))
    assert keep(_page("https://m.example.org/a", 5))  # the site's key: m. and www. alike
    assert keep(_page("https://news.example.net/b", None))  # no fetch time: not older
    assert not keep(_page("https://example.org/a", 4))
    assert not keep(_page("https://other.example/a", 6))
    assert matches(None, [])(_page("https://any.example/", 1))
