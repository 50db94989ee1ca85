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
from extractor.text.date_lines import is_date_line, is_time_line
from shared.stopwords import ALL_STOPWORDS

__all__ = ["Line", "split_lines"]

MAX_CHARS = 10_000_000  # text beyond this is not read (a page is at most 10 MB of bytes)
MAX_LINES = 20_000  # nor lines beyond this many (real pages have a few thousand at most)
_FEATURE_WINDOW = 1_000  # features of a long line are read from its start (its words scaled)
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_SENTENCE_END = tuple(".!?。！？…»”\"')")
_CODE = re.compile(
    r"^(?:>>>|\.\.\.\s|\$\s|#include|import\s|from\s+\S+\s+import|def\s|class\s|return\b)"
    r"|[;{}]\s*$|\s(?:=|==|!=|=>|->|\+=|:=)\s|\w\(\)|^\s*[})\]]"
)
_CODE_MAX_WORDS = 25
_CODE_MAX_STOP_SHARE = 0.4
_ELLIPSIS = ("...", "…", "[…]", "[...]", "…]")
_TEASER_MAX_CHARS = 600
_COUNT_SUFFIX = re.compile(r"\w\s+\(\d+\)$")  # "Headline (145)": a link with its comment count
_MENU_SEPARATORS = re.compile(r"\s[|·•/»›>]\s|\|")  # menus and breadcrumbs


@dataclass(slots=True)
class Line:
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
    caption: bool = False
    table_row: bool = False  # cells separated by tabs (a dump of a table)
    code: bool = False  # a line of program code or of a console session
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


def _describe(text: str) -> Line:
    sample = text[:_FEATURE_WINDOW]
    tokens = _WORD.findall(sample)
    stops = sum(map(ALL_STOPWORDS.__contains__, map(str.lower, tokens)))
    words = _word_count(sample, tokens)
    if len(text) > len(sample):  # a long paragraph: as many words a character as its start
        words = round(words * len(text) / len(sample))
    line = Line(
        text=text,
        words=words,
        stop_share=stops / len(tokens) if tokens else 0.0,
        ends_sentence=text.endswith(_SENTENCE_END),
        commas=sample.count(",") + sample.count("，") + sample.count("、"),
    )
    if len(text) <= 80:
        digits = _DIGIT.search(text) is not None
        line.time_only = (digits or len(text) <= 20) and is_time_line(text)
        line.date_only = digits and not line.time_only and is_date_line(text)
        line.rail = cues.is_rail_heading(text)
        line.comments = cues.is_comments_heading(text)
        line.menu = len(_MENU_SEPARATORS.findall(text)) >= 2
    line.cta = cues.is_call_to_action(sample)
    line.caption = cues.is_caption(text)
    line.code = (
        line.words <= _CODE_MAX_WORDS
        and line.stop_share < _CODE_MAX_STOP_SHARE
        and bool(_CODE.search(text))
    )
    line.truncated = len(text) < _TEASER_MAX_CHARS and (
        text.endswith(_ELLIPSIS) or _COUNT_SUFFIX.search(text) is not None
    )
    return line


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of a dump, in order, with their features and repeat counts.

    A line that occurs more than once is described once: the list holds the same object at each
    place (treat lines as read-only).
    """
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    described: dict[str, Line | None] = {}
    lines: list[Line] = []
    for raw in text.splitlines():
        if raw in described:
            line = described[raw]
        else:
            cleaned = _clean(raw) if raw and not raw.isspace() else ""
            line = described[raw] = _describe(cleaned) if cleaned else None
            if line is not None:
                line.table_row = "\t" in raw.strip()
        if line is not None:
            lines.append(line)
            if len(lines) >= MAX_LINES:
                break
    per_object = Counter(map(id, lines))
    per_text: Counter[str] = Counter()
    distinct = {id(line): line for line in lines}
    for key, line in distinct.items():
        per_text[line.text.casefold()] += per_object[key]
    for line in distinct.values():
        line.repeats = per_text[line.text.casefold()]
    return lines
