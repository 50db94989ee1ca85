"""Decoding raw-page messages: pydantic (the contract) against msgspec, on real pages.

    python -m bench.decoding [--pages N] [--no-write]

Both decode the same JSON messages (corpus pages, as `content` and as `content_b64`) into a
typed object and validate it; the faster one serves the hot path, pydantic stays the contract.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from collections.abc import Callable

import msgspec

from bench import corpus
from bench.report import write_section
from shared.events import PageFetched


class RawPageStruct(msgspec.Struct, forbid_unknown_fields=False):
    """msgspec's view of the same raw page (for the measurement only)."""

    url: str
    content: str | None = None
    content_b64: str | None = None
    content_type: str = "text/html"
    headers: dict[str, str] = {}
    fetched_at: str | None = None
    source: str | None = None


def _messages(limit: int | None) -> tuple[list[bytes], list[bytes]]:
    pages = corpus.all_pages()[:limit]
    text = [json.dumps({"url": p.url, "content": p.data.decode("utf-8", "replace")}).encode()
            for p in pages]  # fmt: skip
    b64 = [json.dumps({"url": p.url, "content_b64": base64.b64encode(p.data).decode()}).encode()
           for p in pages]  # fmt: skip
    return text, b64


def _time(fn: Callable[[bytes], object], lines: list[bytes], rounds: int = 5) -> float:
    """Median microseconds per message over `rounds` passes."""
    runs = []
    for _ in range(rounds):
        start = time.perf_counter()
        for line in lines:
            fn(line)
        runs.append((time.perf_counter() - start) / len(lines) * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help="the first N corpus pages (a smoke run)")
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    args = parser.parse_args()
    if not corpus.available():
        raise SystemExit(f"skipped: {corpus.MISSING}")
    decoder = msgspec.json.Decoder(RawPageStruct)
    rows = []
    text, b64 = _messages(args.pages)
    for label, lines in zip(("content (text)", "content_b64 (bytes)"), (text, b64), strict=True):
        size = statistics.median(len(line) for line in lines) / 1024
        p = _time(PageFetched.model_validate_json, lines)
        m = _time(decoder.decode, lines)
        rows.append(f"| {label} | {size:.0f} KiB | {p:.1f} | {m:.1f} | {p / m:.2f} |")
    table = "\n".join(
        ["## Decoding raw-page messages (pydantic or msgspec)", "",
         f"`python -m bench.decoding`: the {len(text)} corpus pages as raw-page JSON; µs a "
         "message, the median of 5 passes over all of them.",
         "", "| payload | median message | pydantic µs | msgspec µs | pydantic / msgspec |",
         "|---|---|---|---|---|", *rows]
    )  # fmt: skip
    print(table)
    if not args.no_write and not args.pages:
        write_section("decoding", table)


if __name__ == "__main__":
    main()
