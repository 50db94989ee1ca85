"""Find a publication date (and time, and zone when one is written) in a line of text.

Reads ISO dates, `2022/11/11`, `11.11.2022`, `11/11/2022` (month first only when the language is
English or the first number cannot be a month), `November 11, 2022`, `11 November 2022`,
`11. November 2022`, `11 de noviembre de 2022`, `11 листопада 2022`, `2022年11月11日`,
`2022년 11월 11일`, with the month names of `extractor.months`. A time next to the date
(`3:20 PM`, `15:20`, `15.20 Uhr`, `15h20`) is taken; a zone (`UTC`, `GMT+2`, `+02:00`, `CET`,
`EST`, ...) makes the result timezone-aware, otherwise it stays naive: no zone is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from extractor.months import MONTH_PATTERN, month_number

__all__ = ["FoundDate", "find_date", "is_date_line", "is_time_line"]

_MONTH = MONTH_PATTERN
_DAY = r"(?P<d>[0-3]?\d)"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_SUFFIX = r"(?:st|nd|rd|th|er|º|°)?\.?"
_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_YEAR}-(?P<m>[01]?\d)-{_DAY}(?![\d])",
        rf"\b{_YEAR}[/.](?P<m>[01]?\d)[/.]{_DAY}\b",
        rf"{_YEAR}\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*{_DAY}\s*[日일]?",
        rf"(?<!\w)(?P<mn>{_MONTH})\.?\s+{_DAY}{_SUFFIX},?\s+{_YEAR}\b",
        rf"(?<![\d.]){_DAY}{_SUFFIX}\s+(?:de\s+)?(?P<mn>{_MONTH})\.?,?\s+(?:de\s+|del\s+)?{_YEAR}",
        r"(?<![\w.])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)\b",
    )
)
_TIME = re.compile(
    r"(?<![\d:.+-])(?P<h>[0-2]?\d)\s?(?:[:.h]|\s?ч\s?)\s?(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"(?:\.\d+)?\s*(?P<ap>[ap]\.?\s?m\.?(?!\w))?(?:\s*(?:Uhr|h)\b)?",
    re.IGNORECASE,
)
_ZONE_NAMES: dict[str, float] = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "cet": 1, "bst": 1, "west": 1, "cest": 2, "eet": 2,
    "eest": 3, "msk": 3, "ist": 5.5, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "est": -5,
    "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
_ZONE = re.compile(
    r"\s*(?:(?P<off>[+-]\d\d:?\d\d)|(?P<name>[A-Za-z]{1,4})(?:\s*(?P<rel>[+-]\d{1,2})(?::?(?P<rm>\d\d))?)?)(?!\w)"
)
_TIME_ONLY = re.compile(
    rf"^(?:(?:updated|posted|published)\s*:?\s*)?{_TIME.pattern}(?:\s*[A-Z]{{2,4}})?$",
    re.IGNORECASE,
)
_AGO = re.compile(
    r"^(?:\d+|an?|one)\s*(?:min(?:ute)?s?|hours?|hrs?|h|days?|d|weeks?|months?|years?)\s+ago$"
    r"|^(?:vor|il y a|hace|há|fa)\s+\d+\s*\w+$|^\d+\s*\w+\s+(?:fa|назад|тому)$"
    r"|^(?:just now|yesterday|today)$",
    re.IGNORECASE,
)
_AGO_AT = re.compile(
    r"^(?:(?:\d+|an?|one)\s*\w+\s+ago|yesterday|today|gestern|heute|hier|aujourd'hui|ayer|hoy|"
    r"ieri|oggi|ontem|hoje|вчера|сегодня|вчора|сьогодні)(?:\s+(?:at|um|à|a las|alle|às|в|о))?",
    re.IGNORECASE,
)
_NEAR = 30  # how far (characters) from the date a time may stand


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: datetime
    raw: str
    start: int
    end: int


def _ymd(match: re.Match[str], month_first: bool) -> tuple[int, int, int] | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if groups.get("mn"):
        month = month_number(groups["mn"])
        return (year, month, int(groups["d"])) if month else None
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 or (b <= 12 and not month_first):
            return (year, b, a)
        return (year, a, b)
    return (year, int(groups["m"]), int(groups["d"]))


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


def _time_near(
    text: str, start: int, end: int
) -> tuple[tuple[int, int, int] | None, timezone | None, int, int]:
    """(h, m, s), zone and the span they widen the date to; the time after the date first."""
    after = _TIME.search(text, end, min(len(text), end + _NEAR))
    before = None if after else _last_time(text[max(0, start - _NEAR) : start], start)
    found = after or before
    if found is None:
        return None, None, start, end
    match, offset = found if isinstance(found, tuple) else (found, 0)
    hour, minute = int(match.group("h")), int(match.group("mi"))
    ampm = (match.group("ap") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23:
        return None, None, start, end
    zone, zone_len = _zone(text[offset + match.end() :])
    t_end = offset + match.end() + zone_len
    return (
        (hour, minute, int(match.group("s") or 0)),
        zone,
        min(start, offset + match.start()),
        max(end, t_end),
    )


def _last_time(window: str, start: int) -> tuple[re.Match[str], int] | None:
    matches = list(_TIME.finditer(window))
    return (matches[-1], start - len(window)) if matches else None


def find_date(text: str, month_first: bool = True) -> FoundDate | None:
    """The first date in `text` (with its time and zone when written next to it)."""
    best: tuple[int, re.Match[str]] | None = None
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match)
    if best is None:
        return None
    match = best[1]
    ymd = _ymd(match, month_first)
    if ymd is None:
        return None
    hms, zone, start, end = _time_near(text, match.start(), match.end())
    try:
        value = datetime(*ymd, *(hms or (0, 0, 0)), tzinfo=zone)
    except ValueError:
        return None
    return FoundDate(value, text[start:end].strip(), start, end)


def is_time_line(line: str) -> bool:
    """A line that is only a time of day or a relative time ("5:44 PM", "2 hours ago")."""
    text = line.strip()
    if len(text) > 40:
        return False
    if _TIME_ONLY.match(text) or _AGO.match(text):
        return True
    ago = _AGO_AT.match(text)  # "2 days ago at 07:52 am", "yesterday, 15:20"
    return bool(ago and _TIME_ONLY.match(text[ago.end() :].strip(" ,")))


def is_date_line(line: str) -> bool:
    """A line that is only a date (with weekday, time or zone around it)."""
    text = line.strip()
    if len(text) > 60:
        return False
    found = find_date(text)
    if found is None:
        return False
    rest = (text[: found.start] + text[found.end :]).strip(" ,.|-–—·:()")
    return len(re.findall(r"\w+", rest)) <= 2
