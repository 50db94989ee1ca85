"""Split a dump into lines and describe each one with the features the engine decides on.

A dump is the text of a rendered page: one block per line. Each non-empty line gets its word
count, stopword share, sentence punctuation, and flags for the kinds of boilerplate that show
in text alone: times ("5:44 PM"), dates, calls to action ("Subscribe"), rail headings
("News Feed", "Related"), repeated lines and menu-like lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractor.text import cues
from extractor.text.dates import is_date_line, is_time_line
from extractor.text.stopwords import ALL_STOPWORDS

__all__ = ["Line", "split_lines"]

MAX_CHARS = 8_000_000  # text beyond this is not read (a page is at most 10 MB of bytes)
_FEATURE_WINDOW = 4_000  # features of a long line are read from its start
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_SENTENCE_END = tuple(".!?。！？…»”\"')")
_ELLIPSIS = ("...", "…", "[…]", "[...]", "…]")
_TEASER_MAX_CHARS = 600
_MENU_SEPARATORS = re.compile(r"\s[|·•/]\s|\|")


@dataclass(slots=True)
class Line:
    index: int
    text: str
    words: int
    stop_share: float
    ends_sentence: bool
    commas: int
    repeats: int = 1
    time_only: bool = False
    date_only: bool = False
    cta: bool = False
    rail: bool = False
    comments: bool = False
    truncated: bool = False
    menu: bool = False

    @property
    def heading_like(self) -> bool:
        """Short, no sentence end (or a question/exclamation), not a time, date or CTA."""
        ends = self.text.endswith((".", "。", ":", ",", ";"))
        return 2 <= self.words <= 30 and not ends and not (self.time_only or self.date_only)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def _word_count(sample: str, tokens: list[str]) -> int:
    cjk = len(_CJK.findall(sample))
    if not cjk:
        return len(tokens)
    # Scripts without spaces: about two characters a word.
    return max(len(tokens), cjk // 2 + len([t for t in tokens if not _CJK.search(t)]))


def _describe(index: int, text: str) -> Line:
    sample = text[:_FEATURE_WINDOW]
    tokens = _WORD.findall(sample)
    stops = sum(1 for t in tokens if t.lower() in ALL_STOPWORDS)
    line = Line(
        index=index,
        text=text,
        words=_word_count(sample, tokens),
        stop_share=stops / len(tokens) if tokens else 0.0,
        ends_sentence=text.endswith(_SENTENCE_END),
        commas=sample.count(",") + sample.count("，") + sample.count("、"),
    )
    if len(text) <= 80:
        line.time_only = is_time_line(text)
        line.date_only = not line.time_only and is_date_line(text)
        line.rail = cues.is_rail_heading(text)
        line.comments = cues.is_comments_heading(text)
        line.menu = len(_MENU_SEPARATORS.findall(text)) >= 2
    line.cta = cues.is_call_to_action(sample)
    line.truncated = text.endswith(_ELLIPSIS) and len(text) < _TEASER_MAX_CHARS
    return line


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of a dump, in order, with their features and repeat counts."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    lines: list[Line] = []
    for raw in text.splitlines():
        cleaned = _clean(raw) if raw and not raw.isspace() else ""
        if cleaned:
            lines.append(_describe(len(lines), cleaned))
    counts = Counter(line.text.casefold() for line in lines)
    for line in lines:
        line.repeats = counts[line.text.casefold()]
    return lines
