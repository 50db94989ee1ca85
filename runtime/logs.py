"""Log lines for people or for machines, with the entry and the page they are about.

`configure` sets the root logger up once per process (the command line calls it):
`text` is the human format; `json` (`PAGEWIRE_LOG_FORMAT=json`) writes one JSON object a line
through python-json-logger, the well-kept formatter made for this, so a log shipper (Loki,
Elasticsearch, CloudWatch) reads fields instead of parsing messages.

The stream entry and the page URL being handled live in context variables: the delivery
runtime sets the entry id around each handler call, the extractor sets the URL once it has read
the page, and every line logged meanwhile, in any module, carries them (`entry_id`, `url`).
Context variables follow asyncio tasks, so concurrent handlers never mix their lines.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["text", "json"]
FORMATS: tuple[LogFormat, ...] = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_entry_id: ContextVar[str | None] = ContextVar("pagewire_entry_id", default=None)
_url: ContextVar[str | None] = ContextVar("pagewire_url", default=None)


@contextmanager
def entry_context(entry_id: str) -> Iterator[None]:
    """Lines logged inside are about this stream entry."""
    token = _entry_id.set(entry_id)
    try:
        yield
    finally:
        _entry_id.reset(token)


@contextmanager
def page_context(url: str) -> Iterator[None]:
    """Lines logged inside are about the page at this URL."""
    token = _url.set(url)
    try:
        yield
    finally:
        _url.reset(token)


class ContextFilter(logging.Filter):
    """Puts the current entry id and URL on each record (a caller's `extra=` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in (("entry_id", _entry_id), ("url", _url)):
            value = var.get()
            if value is not None and not hasattr(record, name):
                setattr(record, name, value)
        return True


def formatter(fmt: LogFormat) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )
    return logging.Formatter(TEXT_FORMAT)


def configure(level: str = "INFO", fmt: LogFormat = "text") -> None:
    """The process's one log set-up: a stderr handler at `level` in format `fmt` (like
    `logging.basicConfig`, nothing changes when the root logger has handlers already)."""
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r} is not one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(fmt))
    handler.addFilter(ContextFilter())
    logging.basicConfig(level=level.upper(), handlers=[handler])
