"""Read the author names out of a byline line ("By Jane Doe and John Roe | Nov. 11, 2022").

A byline starts with a word such as "By", "Von", "Par", "Por", "Di", "Door", "Автор:" or a
label ("Author:", "Written by"). The names run until a date, a time, a separator or a word that
starts the rest of the line ("Updated", "Published", "min read"). They are split on commas and
on "and" in several languages, and each must look like a name: a few words, the first
capitalised, no digits.
"""

from __future__ import annotations

import re

from extractor.text.dates import find_date

__all__ = ["parse_byline"]

_LEAD = re.compile(
    r"^\W*(?:(?:written|posted|reported|reporting|text|story|words)\s+by|by|von|par|por|di|"
    r"door|av|af|przez|oleh|от|autor(?:a|es)?|author(?:s)?|auteur|tekst|texto|testo|"
    r"yazar|автор|автори|авторы)(?:\s*:\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\s[|•·–—/]\s|\s-\s|\|| (?:on|am|le|el|il|em|op|updated|published|posted|"
    r"aktualisiert|veröffentlicht|publié|mis à jour|publicado|actualizado|pubblicato|"
    r"aggiornato|atualizado|обновлено|опубликовано|оновлено)\b|\d|\bmin(?:ute)?s? read\b|"
    r"\bphoto\b|\bfoto\b|\(",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\boch\b|\bog\b|\bi\b|\bи\b|\bі\b|"
    r"\bта\b|\bve\b|\bdan\b)\s*",
    re.IGNORECASE,
)
_NAME_MAX_WORDS = 6
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'’-]*$")


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= _NAME_MAX_WORDS or not words[0][:1].isupper():
        return False
    return all(_NAME_WORD.match(word) for word in words)


def _names(part: str) -> list[str]:
    names: list[str] = []
    for piece in _SPLIT.split(part):
        name = piece.strip(" \t.,:;'\"“”«»()[]")
        if name and _looks_like_name(name) and name not in names:
            names.append(name)
    return names


def parse_byline(line: str) -> list[str] | None:
    """The names in a byline line, or None when the line is not a byline."""
    lead = _LEAD.match(line)
    if not lead:
        return None
    rest = line[lead.end() :]
    found = find_date(rest)
    if found is not None:
        rest = rest[: found.start]
    stop = _STOP.search(rest)
    if stop is not None:
        rest = rest[: stop.start()]
    names = _names(rest)
    return names or None
