"""The site's name as a dump writes it: the owner in the footer's copyright line.

A dump has no `og:site_name`; what names the site in the text is the copyright notice at the
foot of the page ("© 2024 The Daily Example. All rights reserved.", "Copyright © 2019-2024
Example Media Ltd"). The name is what follows the sign and the years, up to a sentence end,
a separator or "All rights reserved"; the last such line of the page wins (a quoted
copyright inside an article comes earlier).
"""

from __future__ import annotations

import re

__all__ = ["site_name"]

FOOT_LINES = 60  # the footer: the last lines of the dump
MAX_WORDS = 6
_YEARS = r"(?:(?:19|20)\d\d(?:\s*[-–—]\s*(?:(?:19|20)\d\d|present|heute))?)"
# the sign, or the word with a year: "Copyright Violation" or "Copyright | Privacy" name no one
_COPYRIGHT = re.compile(
    rf"(?:(?:©|\(c\))(?:\s*{_YEARS})?|\bcopyright\b(?:\s*©)?\s*{_YEARS})\s*,?\s*(?:copyright\s+)?"
    r"(?P<name>[^\W\d][^|·•©\n]*)",
    re.IGNORECASE,
)
_END = re.compile(
    r"\.\s|\.$|\s[-–—|/]\s|,|:|;|\s(?:all rights|alle rechte|tous droits|todos los derechos|"
    r"tutti i diritti|wszelkie prawa|все права|powered by|built with|designed by|"
    r"(?:19|20)\d\d)\b|\s(?:inc|llc|ltd|gmbh|s\.?a|ag|plc|corp)\b\.?",
    re.IGNORECASE,
)


def _name(line: str) -> str | None:
    match = _COPYRIGHT.search(line)
    if match is None:
        return None
    name = match.group("name")
    end = _END.search(name)
    name = (name[: end.start()] if end else name).strip(" .,'\"")
    words = name.split()
    if not 1 <= len(words) <= MAX_WORDS or name.casefold() in {"by", "the", "all rights"}:
        return None
    return name


def site_name(lines: list[str]) -> str | None:
    """The owner named in the last copyright line of the dump, or None."""
    for line in reversed(lines[-FOOT_LINES:]):
        if len(line) <= 300:
            name = _name(line)
            if name:
                return name
    return None
