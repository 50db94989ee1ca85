"""Read the author names out of a byline line ("By Jane Doe and John Roe | Nov. 11, 2022").

A byline starts with a word such as "By", "Von", "Par", "Por", "Di", "Door", "Автор:" or a
label ("Author:", "Written by"). The names run until a date, a time, a separator or a word that
starts the rest of the line ("Updated", "Published", "min read"). They are split on commas and
on "and" in several languages, and each must look like a name: a few words, the first
capitalised, no digits.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.dates import find_date
from shared.stopwords import ALL_STOPWORDS

__all__ = ["lone_by", "name_line", "parse_byline"]

_WRITTEN_BY = (
    r"(?:written|posted|reported|reporting|text|story|words|started|asked|answered|published)"
    r"\s+by|"
    r"(?:geschrieben|verfasst|eingestellt|veröffentlicht|artikel|beitrag|ein beitrag)\s+von|"
    r"(?:publié|écrit|rédigé)\s+par|(?:escrito|publicado|postado)\s+por|(?:scritto|pubblicato)\s+da"
)
_LABELS = (
    r"autor(?:a|es|in)?|authors?|auteur|tekst|texto|testo|yazar|автор|автори|авторы|"
    r"redaktion|redakteur(?:in)?|editor|rédaction|redacción|redazione"
)
_LEAD = re.compile(
    rf"^\W*(?:{_WRITTEN_BY}|{_LABELS}|by|von|par|por|di|door|av|af|przez|oleh|от)"
    r"(?:\s*:\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_LABELLED = re.compile(rf"^\W*(?:{_WRITTEN_BY}|{_LABELS})", re.IGNORECASE)
_LABEL = re.compile(
    rf"(?:^|[\s|/•·,;])(?:{_LABELS}|{_WRITTEN_BY})\s*:?\s+|(?:责任编辑|作者|编辑|記者|文)\s*[:：]\s*",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\s(?:[|•·–—~@]|/+)\s|\s-\s|\|| (?:on|am|le|el|il|em|op|updated|published|posted|"
    r"aktualisiert|veröffentlicht|publié|mis à jour|publicado|actualizado|pubblicato|"
    r"aggiornato|atualizado|обновлено|опубликовано|оновлено)\b|(?<!\w)\d|:|\bmin(?:ute)?s? read\b|"
    r"\bphoto\b|\bfoto\b|\(",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\boch\b|\bog\b|\bi\b|\bи\b|\bі\b|"
    r"\bта\b|\bve\b|\bdan\b)\s*",
    re.IGNORECASE,
)
_NAME_MAX_WORDS = 6
_HANDLE_MAX_WORDS = 3
_HANDLE_WORD = re.compile(r"^[\w.'’-]+$")
_POSTED = re.compile(
    r"\b(?:posted|published|veröffentlicht|eingetragen|geschrieben|publié|publicado|pubblicato|"
    r"opublikowano|опубликовано|опубліковано)\b",
    re.IGNORECASE,
)
_MID = re.compile(
    r"(?:^|[\s|/•·,;]+)(?:by|von|vom|par|por|door|di|av|af|przez|oleh|от)\s+(?=\S)",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'’-]*$")
_BARE_WORDS = (2, 4)  # one word is too often a menu item or "Updated"
_EDGE = " \t|•·,;:-–—/"
_LONE_BY = re.compile(
    rf"^\W*(?:{_WRITTEN_BY}|(?:article|post|blog|interview)\s+by|by|von|par|por|di|door|av|af|"
    r"przez|oleh|от|autor|author)\W*$",
    re.IGNORECASE,
)


def _looks_like_name(name: str, strict: bool) -> bool:
    words = name.split()
    if not 1 <= len(words) <= _NAME_MAX_WORDS:
        return False
    if not strict:  # after an explicit label or a date: a user name will do ("marc", "c1ph4")
        return len(words) <= _HANDLE_MAX_WORDS and all(_HANDLE_WORD.match(w) for w in words)
    return words[0][:1].isupper() and all(_NAME_WORD.match(word) for word in words)


def _names(part: str, strict: bool) -> list[str]:
    names: list[str] = []
    for piece in _SPLIT.split(part):
        name = piece.strip(" \t.,:;'\"“”«»()[]")
        if name and _looks_like_name(name, strict) and name not in names:
            names.append(name)
    return names


def _lead(line: str) -> tuple[int, bool] | None:
    """Where the names start, and whether they must look like a person's name."""
    lead = _LEAD.match(line)
    if lead:
        return lead.end(), not _LABELLED.match(line)
    label = _LABEL.search(line)
    if label:
        return label.end(), False
    dated = find_date(line)
    if dated is not None or _POSTED.search(line):
        mid = _MID.search(line, dated.end if dated is not None else 0)
        if mid:
            return mid.end(), False
    return None


def parse_byline(line: str) -> list[str] | None:
    """The names in a byline line, or None when the line is not a byline."""
    names = _parse_byline(line)
    return list(names) if names is not None else None


@lru_cache(maxsize=4096)  # the header and the headline's features read the same lines
def _parse_byline(line: str) -> tuple[str, ...] | None:
    lead = _lead(line)
    if lead is None:
        return None
    rest = line[lead[0] :]
    found = find_date(rest)
    if found is not None:
        rest = rest[: found.start]
    stop = _STOP.search(rest)
    if stop is not None:
        rest = rest[: stop.start()]
    names = _names(rest, strict=lead[1])
    return tuple(names) or None


def _bare_name(text: str) -> bool:
    """A name without a byline word: two to four capitalised words, no function word."""
    words = text.split()
    return (
        _BARE_WORDS[0] <= len(words) <= _BARE_WORDS[1]
        and all(_NAME_WORD.match(w) and w[0].isupper() for w in words)
        and not any(w.casefold() in ALL_STOPWORDS for w in words)
    )


def name_line(line: str, dated_next: bool, after_by: bool = False) -> list[str] | None:
    """The names of a byline without a byline word on its line, as headers write it: the
    name then a date ("Jane Doe | May 22, 2025"), a name alone on the line above a date
    (`dated_next`), or the rest of a byline whose "By" stands alone on the line above
    (`after_by`: read as "By <line>"). None when the line is not one."""
    if after_by:
        return parse_byline(f"By {line}")
    found = find_date(line)
    if found is not None:
        name = line[: found.start].strip(_EDGE)
    elif dated_next:
        name = line.strip(_EDGE)
    else:
        return None
    return [name] if _bare_name(name) else None


def lone_by(line: str) -> bool:
    """A byline word alone on its line ("By"): the name is on the next line."""
    return bool(_LONE_BY.match(line))
