"""The one date parser of both engines: dates as pages write them, in metadata, text and URLs.

Reads ISO 8601, RFC 2822, `20240305`, Unix seconds, `2022/11/11`, `11.11.2022` (`11.11.22`),
`11/11/2022` and `11-11-2022` (day first, unless `month_first` or the second number cannot be
a month: see `_numeric`), `November 11, 2022`, `11 November 2022`, `11. November 2022`,
`11 de noviembre de 2022`, `11 листопада 2022`, `2022年11月11日`, `2022년 11월 11일`, with the
month names of `extractor.months` (the one month table). A time next to the date (`3:20 PM`,
`15:20`, `15.20 Uhr`, `15h20`) is read; a zone (`Z`, `UTC`, `GMT+2`, `+02:00`, `CET`, `EST`...)
makes the value timezone-aware, otherwise it stays naive: no zone is invented.

A date before `MIN_YEAR` (before the web) or more than `NOW_SLACK` in the future is no date.

- `parse_date(raw)`: a metadata value that should be a date as a whole.
- `find_date(text)`: the first date written in running text, with its span (`FoundDate`).
- `find_dates(text)`: every date of the text, in text order.
- `date_from_url(url)`: a permalink's date (`/2019/01/31/`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from dateutil.parser import isoparse

from extractor.months import MONTH_PATTERN, month_number

__all__ = [
    "MIN_YEAR",
    "TIME_PATTERN",
    "FoundDate",
    "date_from_url",
    "find_date",
    "find_dates",
    "parse_date",
]

MIN_YEAR = 1990
NOW_SLACK = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: its value (with the time and zone written next to it, when
    read), the text it was read from and that text's span."""

    value: datetime
    raw: str
    start: int
    end: int

    @property
    def day(self) -> date:
        return self.value.date()


_ISO = re.compile(
    r"(?<!\d)((?:19|20)\d\d)-(\d\d?)-(\d\d?)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d\d:?\d\d)?)?(?!\d)"
)
_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\s?([./-])\s?(\d{1,2})\2\s?((?:19|20)?\d\d)(?![\d.]\d)")
_D_MONTH_Y = re.compile(
    rf"(?<![\d.])(\d{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?\s*(?:de\s+)?({MONTH_PATTERN})\.?,?\s*"
    r"(?:de\s+|del\s+)?((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_MONTH_D_Y = re.compile(
    rf"(?<!\w)({MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_CJK = re.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_DIGITS = re.compile(r"^\d{8}(?:\d{6})?$")
_EPOCH = re.compile(r"^1\d{9}(?:\d{3})?$")

TIME_PATTERN = (
    r"(?<![\d:.+-])(?P<h>[0-2]?\d)\s?(?:[:.h]|\s?ч\s?)\s?(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"(?:\.\d+)?\s*(?P<ap>[ap]\.?\s?m\.?(?!\w))?(?:\s*(?:Uhr|h)\b)?"
)
"""A time of day as pages write it ("3:20 PM", "15:20", "15.20 Uhr", "15h20"); re.IGNORECASE."""
_TIME = re.compile(TIME_PATTERN, re.IGNORECASE)
_ZONE_NAMES: dict[str, float] = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "cet": 1, "bst": 1, "west": 1, "cest": 2, "eet": 2,
    "eest": 3, "msk": 3, "ist": 5.5, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "est": -5,
    "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
_ZONE = re.compile(
    r"\s*(?:(?P<off>[+-]\d\d:?\d\d)|(?P<name>[A-Za-z]{1,4})(?:\s*(?P<rel>[+-]\d{1,2})"
    r"(?::?(?P<rm>\d\d))?)?)(?!\w)"
)
_NEAR = 30  # how far (characters) from the date a time may stand


def plausible(value: datetime) -> bool:
    """Not before the web, not in the future (a zone's lead of a day aside)."""
    naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return value.year >= MIN_YEAR and naive <= datetime.now() + NOW_SLACK


def _make(year: int, month: int, day: int) -> datetime | None:
    if year < 100:
        year += 2000 if year < 50 else 1900
    try:
        value = datetime(year, month, day)
    except ValueError:
        return None
    return value if plausible(value) else None


def parse_date(raw: str | None) -> datetime | None:
    """A datetime from a metadata value (a whole string that should be a date)."""
    if not raw:
        return None
    text = raw.strip()[:200]
    if _DIGITS.match(text):
        return _make(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if _EPOCH.match(text):
        value = datetime.fromtimestamp(int(text[:10]), tz=UTC)
        return value if plausible(value) else None
    match = _ISO.search(text)
    if match and match.group(4):  # a date with its time: ISO 8601 says it all
        timed = _isoparse(match.group(0))
        if timed is not None:
            return timed if plausible(timed) else None
    found = find_date(text)
    return found.value if found is not None else None


def _isoparse(text: str) -> datetime | None:
    try:
        return isoparse(text.replace(" ", "T", 1).replace(",", "."))
    except ValueError:
        return None


def find_date(text: str, month_first: bool = False) -> FoundDate | None:
    """The first date written in `text`, with the time and zone written next to it."""
    best = min(_scan(text, month_first, first=True), key=lambda c: c[0], default=None)
    if best is None:
        return None
    start, end, value = best
    if value.hour or value.minute or value.tzinfo:  # ISO 8601 with its time: read whole
        return FoundDate(value, text[start:end].strip(), start, end)
    return _with_time(text, start, end, value)


def find_dates(text: str, month_first: bool = False) -> list[FoundDate]:
    """Every date written in `text`, in text order (with no time read next to it; ISO 8601
    keeps its own)."""
    found = sorted(_scan(text, month_first, first=False), key=lambda c: c[0])
    return [FoundDate(value, text[start:end], start, end) for start, end, value in found]


def _scan(text: str, month_first: bool, *, first: bool) -> Iterator[tuple[int, int, datetime]]:
    """The dates of `text` with their spans, pattern by pattern (`_READERS`); with `first`,
    each pattern's first date only (the first match at all, for the patterns that are not
    retried past a match that is no date)."""
    for pattern, read, retry in _READERS:
        for match in pattern.finditer(text):
            value = read(match, month_first)
            if value:
                yield match.start(), match.end(), value
            if first and (value or not retry):
                break


def _numeric(match: re.Match[str], month_first: bool) -> datetime | None:
    """`11.11.2022`, `11/11/2022`, `11-11-2022`: dots mean day.month; a slash or a dash is
    month first when `month_first` (English) or when the second number cannot be a month
    (`03/13/2024`), day first otherwise. A two-digit year only after dots."""
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    separator = match.group(2)
    if len(match.group(4)) == 2 and separator != ".":
        return None
    if separator != "." and first <= 12 and (month_first or second > 12):
        return _make(year, first, second)
    return _make(year, second, first)


def _year_month_day(match: re.Match[str], _: bool) -> datetime | None:
    return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _iso(match: re.Match[str], _: bool) -> datetime | None:
    """An ISO 8601 date, with its time and offset when written (`2022-11-11T15:20+02:00`)."""
    day = _year_month_day(match, _)
    timed = _isoparse(match.group(0)) if day is not None and match.group(4) else None
    return timed if timed is not None and plausible(timed) else day


def _day_name_year(match: re.Match[str], _: bool) -> datetime | None:
    month = month_number(match.group(2))
    return _make(int(match.group(3)), month, int(match.group(1))) if month else None


def _name_day_year(match: re.Match[str], _: bool) -> datetime | None:
    month = month_number(match.group(1))
    return _make(int(match.group(3)), month, int(match.group(2))) if month else None


# Pattern, its reader, and whether a first-date scan looks past a match that is no date. The
# order breaks ties between dates at one position: month names first.
_READERS: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str], bool], datetime | None], bool], ...
] = (
    (_D_MONTH_Y, _day_name_year, True),
    (_MONTH_D_Y, _name_day_year, True),
    (_CJK, _year_month_day, False),
    (_ISO, _iso, False),
    (_YMD, _year_month_day, False),
    (_NUMERIC, _numeric, True),
)


def _with_time(text: str, start: int, end: int, day: datetime) -> FoundDate:
    """The date with the time written just after it (else just before), and its zone."""
    after = _TIME.search(text, end, min(len(text), end + _NEAR))
    window_start = max(0, start - _NEAR)
    earlier = [] if after else list(_TIME.finditer(text, window_start, start))
    before = earlier[-1] if earlier else None
    match = after or before
    if match is None:
        return FoundDate(day, text[start:end].strip(), start, end)
    hour, minute = int(match.group("h")), int(match.group("mi"))
    ampm = (match.group("ap") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23:
        return FoundDate(day, text[start:end].strip(), start, end)
    zone, zone_len = _zone(text[match.end() :])
    value = day.replace(hour=hour, minute=minute, second=int(match.group("s") or 0), tzinfo=zone)
    span_start, span_end = min(start, match.start()), max(end, match.end() + zone_len)
    return FoundDate(value, text[span_start:span_end].strip(), span_start, span_end)


def _zone(text: str) -> tuple[timezone | None, int]:
    match = _ZONE.match(text)
    if not match:
        return None, 0
    if match.group("off"):
        sign = -1 if match.group("off")[0] == "-" else 1
        digits = match.group("off")[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        return timezone(sign * timedelta(minutes=minutes)), match.end()
    name = match.group("name").lower()
    if name not in _ZONE_NAMES or (name == "z" and match.group("rel")):
        return None, 0
    hours = _ZONE_NAMES[name]
    if match.group("rel"):
        hours += int(match.group("rel"))
        hours += (1 if hours >= 0 else -1) * int(match.group("rm") or 0) / 60
    return timezone(timedelta(hours=hours)), match.end()


_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
)
_URL_DATE_LOOSE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")
_URL_DATE_DMY = re.compile(r"/(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-((?:19|20)\d\d)(?:/|[-_.]|$)")


def date_from_url(url: str) -> datetime | None:
    """The full date of a permalink (`/2019/01/31/`, `/2019-01-31-title`, `/31-01-2019/`)."""
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
