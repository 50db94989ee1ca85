"""The numbers the learned line model reads: one row per line of a dump (see docs/extraction.md).

Each row holds the line's own shape (length, words, punctuation, capitalisation, sentence end,
the boilerplate flags of `lines`), its position, the run of short lines it sits in, the rule
score of `region` and whether the rules' best run holds it, its neighbours' shape one and two
lines away, means over windows of 3 and 10 lines each side, and statistics of the whole page.
Nothing names a site or quotes a page: the words come from general lists (`cues`, stopwords).
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

from extractor.text.lines import Line
from extractor.text.region import BREAK, Region, line_score

__all__ = ["FEATURES", "line_rows"]

Floats = npt.NDArray[np.float64]

_OWN = (
    "log_words", "log_chars", "stop_share", "ends_sentence", "ends_colon", "ends_other",
    "commas_per_word", "digit_share", "upper_share", "capitalised_share", "first_upper",
    "punct_share", "list_mark", "link_like", "question", "time_only", "date_only", "cta",
    "rail", "comments", "caption", "table_row", "code", "truncated", "menu", "log_repeats",
    "heading_like", "rule_score", "in_region", "region_distance", "short_run",
)  # fmt: skip
_NEAR = ("log_words", "stop_share", "ends_sentence", "rule_score", "time_only", "rail", "cta")
_WINDOWED = ("log_words", "ends_sentence", "stop_share", "short", "rule_positive")
_POSITION = ("relative_position", "log_index", "log_from_end", "words_before_share")
_PAGE = (
    "page_log_lines", "page_log_words", "page_log_longest", "page_sentence_share",
    "page_short_share", "page_long_lines", "page_region_share", "page_comments_at",
)  # fmt: skip
_OFFSETS = (-2, -1, 1, 2)
_WINDOWS = (3, 10)

FEATURES: tuple[str, ...] = (
    *_OWN,
    *(f"{name}@{k:+d}" for k in _OFFSETS for name in _NEAR),
    *(f"{name}~{w}" for w in _WINDOWS for name in _WINDOWED),
    *_POSITION,
    *_PAGE,
)

_SHORT_WORDS = 4
_LONG_WORDS = 30
_SCORE_CLIP = 100.0
_DISTANCE_CLIP = 50
_LIST_MARK = re.compile(r"^\s*(?:[-*•·–►▪◦]|\d{1,3}[.)]|[a-z][.)])\s")
_LINK_LIKE = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|html?)\b", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s]")
_DIGITS = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÀ-ÞА-ЯЁ]")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE = 160  # characters of a line its shape is read from


def _own(line: Line) -> list[float]:
    text = line.text
    sample = text[:_SAMPLE]
    letters = len(_LETTER.findall(sample)) or 1
    words = sample.split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return [
        math.log1p(line.words),
        math.log1p(len(text)),
        line.stop_share,
        float(line.ends_sentence),
        float(text.endswith((":", "："))),
        float(text.endswith((",", ";", "-", "–", "|", "/"))),
        line.commas / max(line.words, 1),
        len(_DIGITS.findall(sample)) / len(sample),
        len(_UPPER.findall(sample)) / letters,
        capitalised / max(len(words), 1),
        float(text[:1].isupper()),
        len(_PUNCT.findall(sample)) / len(sample),
        float(bool(_LIST_MARK.match(text))),
        float(bool(_LINK_LIKE.search(sample))),
        float(text.endswith(("?", "？"))),
        float(line.time_only),
        float(line.date_only),
        float(line.cta),
        float(line.rail),
        float(line.comments),
        float(line.caption),
        float(line.table_row),
        float(line.code),
        float(line.truncated),
        float(line.menu),
        math.log(line.repeats),
        float(line.heading_like),
    ]


def _short_runs(short: Floats) -> Floats:
    """For each line, the length of the run of consecutive short lines it belongs to (0 if it is
    not short): a column of menu items or tags is a long run."""
    out = np.zeros(len(short))
    i = 0
    while i < len(short):
        if not short[i]:
            i += 1
            continue
        j = i
        while j < len(short) and short[j]:
            j += 1
        out[i:j] = j - i
        i = j
    return out


def _shifted(column: Floats, k: int) -> Floats:
    """The value of the line k places away (0 beyond the dump's ends)."""
    out = np.zeros_like(column)
    if k > 0:
        out[:-k] = column[k:]
    else:
        out[-k:] = column[:k]
    return out


def _window_mean(column: Floats, width: int) -> Floats:
    """The mean over the lines up to `width` away on either side (itself excluded)."""
    n = len(column)
    total = np.concatenate(([0.0], np.cumsum(column)))
    idx = np.arange(n)
    lo, hi = np.maximum(idx - width, 0), np.minimum(idx + width + 1, n)
    count = hi - lo - 1
    out: Floats = (total[hi] - total[lo] - column) / np.maximum(count, 1)
    return out


def line_rows(
    lines: list[Line], region: Region | None, scores: list[float] | None = None
) -> Floats:
    """The feature rows of a dump's lines (shape: lines x `FEATURES`); `scores`, the lines'
    rule scores (`region.line_score`) when the caller has them."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    if scores is None:
        scores = [line_score(line) for line in lines]
    described: dict[int, list[float]] = {}  # a repeated line is one object: described once
    for line in lines:
        if id(line) not in described:
            described[id(line)] = _own(line)
    own = np.array([described[id(line)] for line in lines], dtype=np.float64)
    rule = np.array([max(-_SCORE_CLIP, min(_SCORE_CLIP, s)) for s in scores])
    idx = np.arange(n, dtype=np.float64)
    if region is None:
        in_region = np.zeros(n)
        distance = np.full(n, float(_DISTANCE_CLIP))
    else:
        in_region = ((idx >= region.start) & (idx < region.end)).astype(np.float64)
        before = np.clip(region.start - idx, 0, _DISTANCE_CLIP)
        after = np.clip(idx - (region.end - 1), 0, _DISTANCE_CLIP)
        distance = np.where(idx < region.start, -before, after)
    words = np.array([line.words for line in lines], dtype=np.float64)
    short = (words <= _SHORT_WORDS).astype(np.float64)
    own = np.column_stack((own, rule, in_region, distance, np.log1p(_short_runs(short))))
    column = {name: own[:, i] for i, name in enumerate(_OWN)}
    column["short"] = short
    column["rule_positive"] = (rule > 0).astype(np.float64)
    near = [_shifted(column[name], k) for k in _OFFSETS for name in _NEAR]
    windowed = [_window_mean(column[name], w) for w in _WINDOWS for name in _WINDOWED]
    total_words = max(words.sum(), 1.0)
    position = [
        idx / max(n - 1, 1),
        np.log1p(idx),
        np.log1p(n - 1 - idx),
        (np.cumsum(words) - words) / total_words,
    ]
    comments_at = next((i for i, s in enumerate(scores) if s == BREAK), n)
    region_words = words[region.start : region.end].sum() if region is not None else 0.0
    page = [
        math.log1p(n),
        math.log1p(total_words),
        math.log1p(words.max()),
        float(column["ends_sentence"].mean()),
        float(short.mean()),
        math.log1p(float((words >= _LONG_WORDS).sum())),
        region_words / total_words,
        comments_at / n,
    ]
    page_block = np.tile(np.array(page), (n, 1))
    return np.column_stack((own, *near, *windowed, *position, page_block))
