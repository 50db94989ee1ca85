"""Lines of a text dump that are only a date or only a time ("Friday, November 11, 2022",
"5:44 PM", "2 hours ago"): header furniture, not body. Dates are read by `extractor.dates`.
"""

from __future__ import annotations

import re

from extractor.dates import TIME_PATTERN, find_date

__all__ = ["is_date_line", "is_time_line"]

_TIME_ONLY = re.compile(
    rf"^(?:(?:updated|posted|published)\s*:?\s*)?{TIME_PATTERN}(?:\s*[A-Z]{{2,4}})?$",
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
