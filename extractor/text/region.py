"""Score each line as prose (positive) or boilerplate (negative), then take the best run.

A line's score is its length in words times how much it reads like running text (sentence
punctuation, stopwords, commas) less a fixed cost per line, so that a long paragraph outweighs
many short ones and a column of menu items sinks. Times, dates, calls to action, repeated
lines and rail headings cost much more: a news feed of time-stamped teasers below the article
cannot join it. The article is the contiguous run of lines of greatest total score (the
maximum-subarray problem, Kadane's algorithm, linear time).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.dates import find_date
from extractor.text.lines import Line

__all__ = ["Region", "best_region", "choose_region", "line_score"]

LINE_COST = 5.0
RAIL_COST = 40.0
TIME_COST = 30.0
CTA_COST = 8.0
TABLE_ROW_COST = 1.0
BREAK = float("-inf")  # no run of lines crosses this one
_FULL_STOP_SHARE = 0.25
_LONG = 12


@dataclass(frozen=True, slots=True)
class Region:
    start: int  # index into the lines list, inclusive
    end: int  # exclusive
    score: float


def _prose(line: Line) -> float:
    """How much a line reads like running text, from 0 to 1."""
    value = 0.45 if line.ends_sentence else 0.0
    if line.stop_share:
        value += 0.45 * min(1.0, line.stop_share / _FULL_STOP_SHARE)
    elif line.words >= _LONG and line.ends_sentence:
        value += 0.3  # a language without a stopword list
    if line.commas:
        value += 0.1
    if line.words >= 3 * _LONG:
        value += 0.2
    return min(1.0, value)


def line_score(line: Line) -> float:
    """Prose scores its words (times how prose-like); boilerplate a cost; comments end all."""
    if line.comments:
        return BREAK
    if line.rail:
        return -RAIL_COST
    if line.time_only or line.date_only:
        return -TIME_COST
    if line.truncated:  # a teaser cut short ("... keeps weapons, the rep..."), or a paywall
        return -LINE_COST
    if line.caption:
        return -LINE_COST - min(line.words, 20)
    if line.cta:
        return -CTA_COST - min(line.words, 40)
    if line.code or (line.table_row and not line.ends_sentence):  # data: cheap to cross
        return -TABLE_ROW_COST
    if line.repeats > 1 and line.words < 15:
        return -LINE_COST - line.words
    prose = _prose(line) * (0.3 if line.menu else 1.0) / line.repeats
    return line.words * prose - LINE_COST


RAIL_SHADOW = 3  # lines above a run searched for the rail heading it would open
RAIL_RUN_SHARE = 0.5
COMMENTS_MIN_SCORE = 20.0  # a run above the comments scoring this much is the article
COMMENTS_SHARE = 0.3  # ... or, when the thread shows no time stamps, this share of its score
_STAMP_MAX_WORDS = 15
_REPLY = frozenset(
    {
        "reply", "antworten", "répondre", "responder", "rispondi", "beantwoorden", "svara",
        "ответить", "відповісти", "odpowiedz", "yanıtla", "balas",
    }
)  # fmt: skip


def _looks_like_comments(lines: list[Line], region: Region) -> bool:
    """Readers' comments: several time stamps or "Reply" lines among the prose."""
    stamps = sum(1 for line in lines[region.start : region.end] if _comment_stamp(line))
    return stamps >= 2


def _comment_stamp(line: Line) -> bool:
    """A comment's time stamp or "Reply" ("Alex on September 17, 2018 at 6:34 am said:")."""
    if line.time_only or line.text.casefold().strip(" ()[]↩") in _REPLY:
        return True
    short = line.words <= _STAMP_MAX_WORDS and not line.ends_sentence
    return short and find_date(line.text) is not None


def _after_rail(lines: list[Line], scores: list[float], start: int) -> bool:
    """The run opens a rail ("Related", "About the author"): only weak lines stand between."""
    for i in range(start - 1, max(-1, start - 1 - RAIL_SHADOW), -1):
        if lines[i].rail:
            return True
        if scores[i] > 0:
            return False
    return False


def _not_a_rail(lines: list[Line], scores: list[float], best: Region) -> Region:
    """A run that opens a rail gives way to another run of at least half its score."""
    if not _after_rail(lines, scores, best.start):
        return best
    others = list(scores)
    others[best.start : best.end] = [BREAK] * (best.end - best.start)
    alt = best_region(others)
    return best if alt is None or alt.score < RAIL_RUN_SHARE * best.score else alt


def choose_region(lines: list[Line], scores: list[float]) -> Region | None:
    """The best run; but if it is readers' comments, the best run above them."""
    best = best_region(scores)
    if best is not None:
        best = _not_a_rail(lines, scores, best)
    first_comments = next((i for i, line in enumerate(lines) if line.comments), None)
    if best is None or first_comments is None or best.start < first_comments:
        return best
    above = best_region(scores[:first_comments])
    if above is None:
        return best
    if _looks_like_comments(lines, best):
        return above if above.score >= COMMENTS_MIN_SCORE else best
    # No time stamps (user names only): the run above must hold its own against the thread.
    return above if above.score >= COMMENTS_SHARE * best.score else best


def best_region(scores: list[float]) -> Region | None:
    """The contiguous run of lines with the largest total score (None if all are negative)."""
    best: Region | None = None
    run_start, run_total = 0, 0.0
    for i, score in enumerate(scores):
        if run_total <= 0:
            run_start, run_total = i, 0.0
        run_total += score
        if run_total > 0 and (best is None or run_total > best.score):
            best = Region(run_start, i + 1, run_total)
    return best
