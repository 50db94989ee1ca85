"""The article's header around the start of the body: title, byline (authors) and date.

In a dump the header is a few lines above the first paragraph: the headline, a byline and a
date, often with reading time, share buttons or an audio player between them. The title is the
heading-like line just above the byline when there is one, else the nearest heading-like line
above the body. The date is the first one found in the byline, the header, or just below the
body ("Published ..."), else in the 40 lines above the header (share bars, a hero image's
credits or a table of contents may stand between a dateline and the body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.dates import FoundDate, find_date
from extractor.text.byline import parse_byline
from extractor.text.lines import Line
from shared.stopwords import ALL_STOPWORDS

__all__ = ["Header", "read_header"]

_WINDOW = 12  # lines above the body searched for the header
_TITLE_ABOVE_BYLINE = 4
_BYLINE_MAX_WORDS = 30
_HEAD_SCAN = 4  # lines at the top of the body that may still be header
_MIN_TITLE_WORDS = 2
_META_MAX_WORDS = 20
_MIN_REPEATED_TITLE_WORDS = 4  # a title may repeat (breadcrumb, share box); a menu item not
_TITLE_FULL_WORDS = 8  # a title candidate's length counts up to this many words ...
_TITLE_DISTANCE_COST = 0.5  # ... less this much for each line between it and the body
_TITLE_BASE = 0.5  # the weight of length alone; the share of words found in the lede adds
_TOKEN = re.compile(r"\w+")
_BELOW = 6  # lines below the body searched for a date
_FAR_ABOVE = 40  # lines above the body searched for a date when the header has none


@dataclass(slots=True)
class Header:
    body_start: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: FoundDate | None = None


def _dated(line: Line) -> bool:
    return find_date(line.text) is not None


def _is_meta(line: Line) -> bool:
    """A byline, date or "posted on ... by ..." line (short, no sentence end, with a date)."""
    if line.time_only or line.date_only:
        return True
    if line.words > _BYLINE_MAX_WORDS:
        return False
    if parse_byline(line.text) is not None:
        return True
    return line.words <= _META_MAX_WORDS and not line.ends_sentence and _dated(line)


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
        and not (line.cta or line.rail or line.menu or line.caption)
        and (line.repeats <= 2 or line.words >= _MIN_REPEATED_TITLE_WORDS)
        and parse_byline(line.text) is None
        and not _dated(line)
    )


def _content_words(text: str) -> set[str]:
    return {w for w in _TOKEN.findall(text.lower()) if w not in ALL_STOPWORDS and len(w) > 2}


def _title_score(line: Line, distance: int, lede: set[str]) -> float:
    """Longer and nearer is better, and a headline shares its words with the lede."""
    words = _content_words(line.text)
    overlap = len(words & lede) / len(words) if words else 0.0
    length = min(line.words, _TITLE_FULL_WORDS)
    return length * (_TITLE_BASE + overlap) - _TITLE_DISTANCE_COST * distance


def _find_title(lines: list[Line], byline_at: int | None, body_start: int, end: int) -> str:
    if byline_at is not None:
        for i in range(byline_at - 1, max(-1, byline_at - 1 - _TITLE_ABOVE_BYLINE), -1):
            if _title_candidate(lines[i]):
                return lines[i].text
    lede = _content_words(" ".join(line.text[:1000] for line in lines[body_start : body_start + 3]))
    best, best_score = "", 0.0
    for distance, i in enumerate(range(body_start - 1, max(-1, body_start - 1 - _WINDOW), -1)):
        line = lines[i]
        if line.rail or line.comments:
            break
        if _title_candidate(line):
            score = _title_score(line, distance, lede)
            if score > best_score:
                best, best_score = line.text, score
    return best


def _find_date(lines: list[Line], order: list[int], month_first: bool) -> FoundDate | None:
    for i in order:
        if lines[i].words <= _BYLINE_MAX_WORDS:
            found = find_date(lines[i].text, month_first=month_first)
            if found is not None:
                return found
    return None


def _find_byline(lines: list[Line], order: list[int]) -> tuple[list[str], int | None]:
    for i in order:
        if lines[i].words <= _BYLINE_MAX_WORDS:
            names = parse_byline(lines[i].text)
            if names:
                return names, i
    return [], None


def read_header(lines: list[Line], start: int, end: int, month_first: bool = True) -> Header:
    """Title, authors and date of the article whose body is lines[start:end]."""
    body_start = _body_start(lines, start, end)
    header = Header(body_start=body_start)
    above = list(range(body_start - 1, max(-1, body_start - 1 - _WINDOW), -1))
    head = list(range(body_start, min(end, body_start + _HEAD_SCAN)))
    below = list(range(end, min(len(lines), end + _BELOW)))
    header.authors, byline_at = _find_byline(lines, above)
    if byline_at is None:  # "Posted on ... by ..." at the foot of a blog post
        header.authors, _ = _find_byline(lines, below)
    header.title = _find_title(lines, byline_at, body_start, end)
    order = ([byline_at] if byline_at is not None else []) + above + head + below
    header.date = _find_date(lines, order, month_first)
    if header.date is None:  # a header the region's start left far above (share bars, a hero)
        far = range(body_start - 1 - _WINDOW, max(-1, body_start - 1 - _FAR_ABOVE), -1)
        header.date = _find_date(lines, list(far), month_first)
    return header
