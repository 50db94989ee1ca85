"""Log lines for machines: one JSON object a line, with the entry and page they are about."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from runtime import logs
from runtime.delivery import ConsumerSpec, Delivery, Entry

SPEC = ConsumerSpec("extractor", "pages.raw", "extractor", "c1", "pages.dead", 10, 1000, 3)


@pytest.fixture
def lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.formatter("json"))
    handler.addFilter(logs.ContextFilter())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, out
    logger.removeHandler(handler)


def _records(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_carry_level_logger_message_and_time(
    lines: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = lines
    logger.warning("disk %s full", "/data")
    [record] = _records(out)
    assert record["level"] == "WARNING"
    assert record["logger"] == "tests.logs"
    assert record["message"] == "disk /data full"
    assert str(record["time"]).startswith("20")
    assert "url" not in record and "entry_id" not in record  # outside any entry


def test_lines_inside_contexts_carry_the_entry_and_page_and_nest(
    lines: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = lines
    with logs.entry_context("1700000000000-0"):
        logger.info("read")
        with logs.page_context("https://news.example/a"):
            logger.info("extracted")
        logger.info("acked")
    logger.info("idle")
    read, extracted, acked, idle = _records(out)
    assert read["entry_id"] == extracted["entry_id"] == acked["entry_id"] == "1700000000000-0"
    assert extracted["url"] == "https://news.example/a"
    assert "url" not in read and "url" not in acked
    assert "entry_id" not in idle


def test_a_traceback_is_one_field_of_one_line(lines: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = lines
    try:
        raise ValueError("bad page")
    except ValueError:
        logger.exception("engine error")
    [record] = _records(out)
    assert "ValueError: bad page" in str(record["exc_info"])


async def test_the_delivery_runtime_puts_the_entry_id_on_a_handler_s_lines(
    lines: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = lines
    delivery = Delivery(None, SPEC)  # type: ignore[arg-type]  # a handler that succeeds never touches Redis
    entry = Entry("1700000000000-7", b"{}", b"{}", 1)

    async def handle() -> None:
        with logs.page_context("https://news.example/b"):
            logger.info("rejected: too short")

    await delivery.run([entry], handle)
    [record] = _records(out)
    assert record["entry_id"] == "1700000000000-7"
    assert record["url"] == "https://news.example/b"


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log format 'xml'"):
        logs.configure("INFO", "xml")  # type: ignore[arg-type]
