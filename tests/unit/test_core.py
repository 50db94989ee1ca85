"""The extraction core's one safety net: an engine that raises (a bug) gives an `engine_error`
rejection, logged with its traceback and the URL; the engines themselves raise."""

from __future__ import annotations

import logging

import pytest

from extractor import core
from extractor.html import body
from extractor.model import Document, Extraction
from shared.events import PageExtracted, PageFetched, PageRejected
from tests.unit.html_pages import article_body, page, run

URL = "https://news.example.com/2024/03/05/harbour-wall"


def _broken_engine(doc: Document, **_options: object) -> Extraction:
    raise ZeroDivisionError("a bug in an engine")


@pytest.mark.parametrize(
    ("engine", "content_type"), [("extract_html", "text/html"), ("extract_text", "text/plain")]
)
def test_an_engine_that_raises_gives_an_engine_error_rejection(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    engine: str,
    content_type: str,
) -> None:
    monkeypatch.setattr(core, engine, _broken_engine)
    fetched = PageFetched(url=URL, content=page(article_body()), content_type=content_type)
    with caplog.at_level(logging.ERROR, logger="extractor.core"):
        outcome = core.extract_page(fetched)
    assert isinstance(outcome, PageRejected)
    assert outcome.reason == "engine_error"
    assert outcome.url == URL and "ZeroDivisionError" in outcome.detail
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert URL in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_the_same_page_without_the_bug_is_extracted() -> None:
    outcome = core.extract_page(PageFetched(url=URL, content=page(article_body())))
    assert isinstance(outcome, PageExtracted)


def test_the_html_engine_raises_on_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """No catch-all inside the engine: a test that calls it sees the bug."""

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise ValueError("boom")

    monkeypatch.setattr(body, "extract_blocks", broken)
    with pytest.raises(ValueError, match="boom"):
        run(page(article_body()))
