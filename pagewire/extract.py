"""`pagewire extract`: the extraction core with no Redis, one JSON line out per input, in order."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO

from extractor.core import DEFAULT_LIMITS, Limits, extract_page, parse_page
from pagewire.publish import make_page, read_bytes
from shared.errors import InvalidMessage
from shared.events import PageRejected


def _invalid(exc: InvalidMessage, line_no: int) -> PageRejected:
    return PageRejected(
        url=f"line:{line_no}",
        reason="invalid_message",
        detail=str(exc),
        rejected_at=datetime.now(UTC),
    )


def extract_lines(lines: Iterable[bytes], limits: Limits = DEFAULT_LIMITS) -> Iterator[str]:
    """Raw-page JSON lines in, result JSON lines out (blank lines skipped)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = extract_page(parse_page(line), limits)
        except InvalidMessage as exc:
            event = _invalid(exc, number)
        yield event.model_dump_json(exclude_none=True)


def extract_files(
    paths: Iterable[tuple[str, str]], text: bool = False, limits: Limits = DEFAULT_LIMITS
) -> Iterator[str]:
    """(path, url) pairs in, one result JSON line out per file."""
    for path, url in paths:
        page = make_page(read_bytes(path), url, text=text, source="cli")
        yield extract_page(page, limits).model_dump_json(exclude_none=True)


def open_inputs(paths: list[str]) -> Iterator[bytes]:
    """Lines of every path (gunzipped as needed), or of stdin when there is none."""
    if not paths:
        yield from sys.stdin.buffer
        return
    for path in paths:
        yield from read_bytes(path).splitlines()


def write_lines(lines: Iterable[str], out: IO[str]) -> int:
    count = 0
    for line in lines:
        out.write(line)
        out.write("\n")
        count += 1
    out.flush()
    return count
