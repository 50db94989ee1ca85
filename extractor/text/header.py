"""The article's header around the start of the body: title, byline (authors) and date.

In a dump the header is a few lines above the first paragraph: the headline, a byline and a
date, often with reading time, share buttons or an audio player between them. The title is the
heading-like line just above the byline when there is one, else the nearest heading-like line
above the body. The date is the first one found in the byline, the header, or just below the
body ("Published ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.text.byline import parse_byline
from extractor.text.dates import FoundDate, find_date
from extractor.text.lines import Line

__all__ = ["Header", "read_header"]

_WINDOW = 12  # lines above the body searched for the header
_TITLE_ABOVE_BYLINE = 4
_BYLINE_MAX_WORDS = 30
_HEAD_SCAN = 4  # lines at the top of the body that may still be header
_MIN_TITLE_WORDS = 2


@dataclass(slots=True)
class Header:
    body_start: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: FoundDate | None = None


def _is_meta(line: Line) -> bool:
    return bool(
        line.time_only
        or line.date_only
        or (line.words <= _BYLINE_MAX_WORDS and parse_byline(line.text) is not None)
    )


def _body_start(lines: list[Line], start: int, end: int) -> int:
    """Move the start past byline/date lines the region swallowed (and the title above them)."""
    new_start = start
    for i in range(start, min(end - 1, start + _HEAD_SCAN)):
        if _is_meta(lines[i]):
            new_start = i + 1
    return new_start


def _title_candidate(line: Line) -> bool:
    return (
        line.heading_like
        and line.words >= _MIN_TITLE_WORDS
        and not (line.cta or line.rail or line.menu or line.repeats > 2)
        and parse_byline(line.text) is None
    )


def _find_title(lines: list[Line], byline_at: int | None, body_start: int) -> str:
    if byline_at is not None:
        for i in range(byline_at - 1, max(-1, byline_at - 1 - _TITLE_ABOVE_BYLINE), -1):
            if _title_candidate(lines[i]):
                return lines[i].text
    for i in range(body_start - 1, max(-1, body_start - 1 - _WINDOW), -1):
        if _title_candidate(lines[i]) and lines[i].words >= 3:
            return lines[i].text
    return ""


def _find_date(lines: list[Line], order: list[int], month_first: bool) -> FoundDate | None:
    for i in order:
        if lines[i].words <= _BYLINE_MAX_WORDS:
            found = find_date(lines[i].text, month_first=month_first)
            if found is not None:
                return found
    return None


def read_header(lines: list[Line], start: int, end: int, month_first: bool = True) -> Header:
    """Title, authors and date of the article whose body is lines[start:end]."""
    body_start = _body_start(lines, start, end)
    header = Header(body_start=body_start)
    above = list(range(body_start - 1, max(-1, body_start - 1 - _WINDOW), -1))
    byline_at: int | None = None
    for i in above:
        if lines[i].words <= _BYLINE_MAX_WORDS:
            names = parse_byline(lines[i].text)
            if names:
                header.authors, byline_at = names, i
                break
    header.title = _find_title(lines, byline_at, body_start)
    below = list(range(end, min(len(lines), end + 3)))
    order = ([byline_at] if byline_at is not None else []) + above + below
    header.date = _find_date(lines, order, month_first)
    return header
