"""The article's header around the start of the body: title, byline (authors) and date.

In a dump the header is a few lines above the first paragraph: the headline, a byline and a
date, often with reading time, share buttons or an audio player between them. The title is
the line a learned model ranks first among those around the body start (`headline`). The
date is the first one found in the byline, the header, or just below the body ("Published
..."), else in the 40 lines above the header (share bars, a hero image's credits or a table
of contents may stand between a dateline and the body).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.dates import FoundDate, find_date
from extractor.text.byline import lone_by, name_line, parse_byline
from extractor.text.headline import choose_title
from extractor.text.lines import Line
from extractor.text.site_name import FOOT_LINES, site_name

__all__ = ["Header", "body_start_of", "read_header"]

_WINDOW = 12  # lines above the body searched for the header
_BYLINE_MAX_WORDS = 30
_HEAD_SCAN = 4  # lines at the top of the body that may still be header
_META_MAX_WORDS = 20
_BARE_WINDOW = 6  # lines above the body searched for a name without a byline word
_BELOW = 6  # lines below the body searched for a date
_FAR_ABOVE = 40  # lines above the body searched for a date when the header has none


@dataclass(slots=True)
class Header:
    body_start: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: FoundDate | None = None
    site_name: str | None = None


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


def body_start_of(lines: list[Line], start: int, end: int) -> int:
    """Move the start past byline/date lines the region swallowed (and the title above them)."""
    new_start = start
    for i in range(start, min(end - 1, start + _HEAD_SCAN)):
        if _is_meta(lines[i]):
            new_start = i + 1
    return new_start


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


def _dated_line(line: Line) -> bool:
    return line.date_only or (
        line.words <= _META_MAX_WORDS and not line.ends_sentence and _dated(line)
    )


def _find_bare_byline(lines: list[Line], order: list[int], title_at: int | None) -> list[str]:
    """A byline without a byline word near the body: a name before a date on its line, alone
    above a date line, or below a lone "By"."""
    for i in order:
        line = lines[i]
        if line.words > _BYLINE_MAX_WORDS or i == title_at or line.cta or line.menu:
            continue
        dated_next = any(_dated_line(next_line) for next_line in lines[i + 1 : i + 3])
        after_by = i > 0 and lone_by(lines[i - 1].text)
        names = name_line(line.text, dated_next, after_by)
        if names:
            return names
    return []


def read_header(
    lines: list[Line], start: int, end: int, month_first: bool = True, url: str = ""
) -> Header:
    """Title, authors and date of the article whose body is lines[start:end] (at `url`)."""
    body_start = body_start_of(lines, start, end)
    header = Header(body_start=body_start)
    above = list(range(body_start - 1, max(-1, body_start - 1 - _WINDOW), -1))
    head = list(range(body_start, min(end, body_start + _HEAD_SCAN)))
    below = list(range(end, min(len(lines), end + _BELOW)))
    title_at = choose_title(lines, body_start, url)
    header.title = lines[title_at].text if title_at is not None else ""
    # a byline sits just below the headline, else in the header above the body
    near_title = [] if title_at is None else list(range(title_at + 1, title_at + 1 + _HEAD_SCAN))
    near_title = [i for i in near_title if i < len(lines)]
    header.authors, byline_at = _find_byline(lines, near_title + above)
    if byline_at is None:  # "Posted on ... by ..." at the foot of a blog post
        header.authors, _ = _find_byline(lines, below)
    if not header.authors:
        bare = near_title + [i for i in above[:_BARE_WINDOW] if i not in near_title]
        header.authors = _find_bare_byline(lines, bare, title_at)
    # the byline's date, then one just below the headline, then the header's
    first = ([byline_at] if byline_at is not None else []) + near_title
    order = first + above + head + below
    header.date = _find_date(lines, order, month_first)
    if header.date is None:  # a header the region's start left far above (share bars, a hero)
        far = range(body_start - 1 - _WINDOW, max(-1, body_start - 1 - _FAR_ABOVE), -1)
        header.date = _find_date(lines, list(far), month_first)
    header.site_name = site_name([line.text for line in lines[-FOOT_LINES:]])
    return header
