"""The contract every fuzz test checks: bad input ends as a rejection or a dead letter.

`handle(data)` does what the extractor's stream handler does with one `__data__` value, less
Redis: unwrap the entry, parse the page, extract it. The outcome is a `PageExtracted`, a
`PageRejected` (with a reason and a sentence), or an `InvalidMessage` (dead-lettered at once,
with its message); any other exception is a bug, and so is the rejection `engine_error` (the
core's safety net caught an engine's exception). `in_time` is a hang detector, not a benchmark.
"""

from __future__ import annotations

import resource
from collections.abc import Callable
from typing import TypeVar

from extractor.core import extract_page, parse_page
from runtime.delivery import _entry, require_body
from shared.errors import InvalidMessage
from shared.events import PageExtracted, PageFetched, PageRejected
from tests.helpers import timed

T = TypeVar("T")
Outcome = PageExtracted | PageRejected | InvalidMessage

MAX_MESSAGE = 2000
"""A reason longer than this is not something a person reads (or it echoes the input)."""
SECONDS_PER_MB = 4.0
BASE_SECONDS = 5.0
"""Per call: BASE_SECONDS plus SECONDS_PER_MB per megabyte of input. Generous on purpose: a
loaded 2-vCPU machine is several times slower than a quiet one; a hang or a quadratic blow-up
is slower still."""
MAX_RSS_MB = 3000


def handle(data: bytes) -> Outcome:
    """The extractor's handling of one stream entry whose `__data__` is `data`."""
    try:
        entry = _entry(b"1-0", {b"__data__": data})
        return extract_page(parse_page(require_body(entry)))
    except InvalidMessage as exc:
        return exc


def handle_page(page: PageFetched) -> Outcome:
    try:
        return extract_page(page)
    except InvalidMessage as exc:
        return exc


def budget(size: int) -> float:
    return BASE_SECONDS + SECONDS_PER_MB * size / 1_000_000


def in_time(call: Callable[[], T], size: int) -> T:
    """`call()`, failing the test when it takes longer than the budget for `size` bytes."""
    result, seconds = timed(call)
    assert seconds < budget(size), f"{seconds:.1f} s for {size} bytes (budget {budget(size)} s)"
    return result


def rss_mb() -> float:
    """The process's peak resident memory so far (Linux: ru_maxrss is in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def readable(message: str) -> None:
    assert message.strip(), "an empty reason"
    assert len(message) <= MAX_MESSAGE, f"a reason of {len(message)} characters"
    assert "\x00" not in message, "a reason with a NUL in it"


def check(outcome: object) -> Outcome:
    """Assert the contract on one outcome and return it."""
    if isinstance(outcome, InvalidMessage):
        readable(str(outcome))
    elif isinstance(outcome, PageRejected):
        assert outcome.reason != "engine_error", f"an engine raised: {outcome.detail}"
        assert outcome.reason.strip() and " " not in outcome.reason, outcome.reason
        readable(outcome.detail)
    elif isinstance(outcome, PageExtracted):
        assert outcome.text.strip() and outcome.id and outcome.canonical_url
        PageExtracted.model_validate_json(outcome.model_dump_json())  # it can be published
    else:
        raise AssertionError(f"not an outcome of the contract: {outcome!r}")
    return outcome
