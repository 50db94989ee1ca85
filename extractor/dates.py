"""Dates as pages write them: ISO 8601, RFC 2822, numeric, and month names in many languages.

`parse_date(raw)` -> aware or naive `datetime` (aware only when the string gives an offset),
or None. `find_date(text)` finds the first plausible date inside running text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone

from dateutil.parser import isoparse

from extractor.months import MONTH_PATTERN, month_number

MIN_YEAR = 1990
_NOW_SLACK = timedelta(days=2)

_ISO = re.compile(
    r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d\d:?\d\d)?)?(?!\d)"
)
_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})\s?([./-])\s?(\d{1,2})\2\s?((?:19|20)?\d\d)(?![\d.]\d)")
_D_MONTH_Y = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+)?({MONTH_PATTERN})\.?,?\s*(?:de\s+)?"
    r"((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_MONTH_D_Y = re.compile(
    rf"\b({MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_CJK = re.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d\d)(?::(\d\d))?\s*(Z|[+-]\d\d:?\d\d|GMT|UTC)?")
_DIGITS = re.compile(r"^\d{8}(?:\d{6})?$")
_EPOCH = re.compile(r"^1\d{9}(?:\d{3})?$")


def _make(year: int, month: int, day: int) -> datetime | None:
    if year < 100:
        year += 2000 if year < 50 else 1900
    try:
        value = datetime(year, month, day)
    except ValueError:
        return None
    if year < MIN_YEAR or value > datetime.now() + _NOW_SLACK:
        return None
    return value


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "GMT", "UTC"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _iso(raw: str) -> datetime | None:
    match = _ISO.search(raw)
    if not match:
        return None
    try:
        value = isoparse(match.group(0).replace(" ", "T", 1).replace(",", "."))
    except ValueError:
        base = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return base
    if value.year < MIN_YEAR:
        return None
    return value


def _with_time(day: datetime, rest: str) -> datetime:
    match = _TIME.search(rest)
    if not match:
        return day
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return day
    value = day.replace(hour=hour, minute=minute, second=second)
    zone = _offset(match.group(4))
    return value.replace(tzinfo=zone) if zone else value


def parse_date(raw: str | None) -> datetime | None:
    """A datetime from a metadata value (a whole string that should be a date)."""
    if not raw:
        return None
    text = raw.strip()[:200]
    if _DIGITS.match(text):
        return _make(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if _EPOCH.match(text):
        seconds = int(text[:10])
        return datetime.fromtimestamp(seconds, tz=UTC)
    found = _iso(text)
    if found is not None:
        return found
    return find_date(text, with_time=True)


def find_date(text: str, with_time: bool = False) -> datetime | None:
    """The first date written in `text` (day precision unless `with_time`)."""
    best = min(_scan(text, first=True), key=lambda c: c[0], default=None)
    if best is None:
        return None
    position, value = best
    return _with_time(value, text[position : position + 60]) if with_time else value


def find_dates(text: str) -> list[tuple[int, datetime]]:
    """Every date written in `text` (day precision), with its position, in text order."""
    return sorted(_scan(text, first=False), key=lambda c: c[0])


def _scan(text: str, *, first: bool) -> Iterator[tuple[int, datetime]]:
    """The dates of `text` with their positions, pattern by pattern (`_READERS`); with
    `first`, each pattern's first date only (the first match at all, for the patterns that
    are not retried past a match that is no date)."""
    for pattern, read, retry in _READERS:
        for match in pattern.finditer(text):
            value = read(match)
            if value:
                yield match.start(), value
            if first and (value or not retry):
                break


def _day_month(match: re.Match[str]) -> datetime | None:
    """A `_DMY` match as a date (None for a two-digit year after a slash or a dash)."""
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if len(match.group(4)) == 2 and match.group(2) != ".":
        return None
    # Dots mean day.month; a slash is month/day unless the first number can't be a month.
    if match.group(2) == "/" and first <= 12 < second:
        return _make(year, first, second)
    return _make(year, second, first)


def _year_month_day(match: re.Match[str]) -> datetime | None:
    return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _day_name_year(match: re.Match[str]) -> datetime | None:
    month = month_number(match.group(2))
    return _make(int(match.group(3)), month, int(match.group(1))) if month else None


def _name_day_year(match: re.Match[str]) -> datetime | None:
    month = month_number(match.group(1))
    return _make(int(match.group(3)), month, int(match.group(2))) if month else None


# Pattern, its reader, and whether a first-date scan looks past a match that is no date. The
# order breaks ties between dates at one position: month names first.
_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], datetime | None], bool], ...] = (
    (_D_MONTH_Y, _day_name_year, True),
    (_MONTH_D_Y, _name_day_year, True),
    (_CJK, _year_month_day, False),
    (_ISO, _year_month_day, False),
    (_YMD, _year_month_day, False),
    (_DMY, _day_month, True),
)


_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
)
_URL_DATE_LOOSE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")
_URL_DATE_DMY = re.compile(r"/(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-((?:19|20)\d\d)(?:/|[-_.]|$)")


def date_from_url(url: str) -> datetime | None:
    for pattern in (_URL_DATE, _URL_DATE_LOOSE):
        match = pattern.search(url)
        if match:
            value = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if value:
                return value
    match = _URL_DATE_DMY.search(url)  # /29-10-2021: day first, as dashes are written in Europe
    if match:
        return _make(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return None


def local_day(value: datetime, url: str, shown: date | None = None) -> tuple[datetime, bool]:
    """The publication day as the site states it, and whether `value` was replaced.

    - A full date in the URL (`/2019/01/01/`), else the date `shown` next to the headline, is
      the site's own local day: a UTC timestamp a day off from it crossed midnight when it
      was converted, so the stated day wins. (A timestamp with a local offset is left alone:
      it already states the local day, and the URL may carry the day the story was created.)
    - A UTC timestamp at exactly 21:00, 22:00 or 23:00 is a date without a time, stored as
      local midnight in a zone east of UTC (UTC+1 to +3): the next day is meant.
    """
    offset = value.utcoffset()
    if offset is None or offset:
        return value, False
    found = date_from_url(url)
    day = found.date() if found is not None else shown
    if day is not None and abs((value.date() - day).days) == 1:
        return datetime(day.year, day.month, day.day), True
    if value.hour in (21, 22, 23) and not (value.minute or value.second or value.microsecond):
        return value.replace(tzinfo=None) + timedelta(hours=24 - value.hour), True
    return value, False
