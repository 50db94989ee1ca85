"""The headline of a dump: the candidate line a learned model ranks first.

A dump has no `<title>` and no `<h1>`: the headline is one of the lines around the start of
the body, and what points to it is where it stands (a few lines above the first paragraph,
near a byline or a date), how it is written (a few capitalised words, no sentence end), and
what it shares with the body's first lines and the page's URL. Each line from `ABOVE` lines
above the body start to `INTO` lines into the body is described by `FEATURES`; the model
(`extractor/models/text_title.json`, trained by `python -m bench.train_text_title` on the
development dumps, numpy-evaluated trees) scores them and the best one is the title.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from functools import cache
from pathlib import Path

import numpy as np

from extractor.class_trees import ClassForest, Floats, ModelFormatError
from extractor.class_trees import load as load_forest
from extractor.dates import find_date
from extractor.text.byline import parse_byline
from extractor.text.lines import Line
from shared.stopwords import ALL_STOPWORDS

__all__ = ["ABOVE", "FEATURES", "INTO", "MODEL_PATH", "candidates", "choose_title", "features"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "text_title.json"
ABOVE = 100  # lines above the body start that may hold the headline
INTO = 10  # lines into the body (the run of prose may have swallowed the header)
MAX_WORDS = 40
MAX_CHARS = 400
LEDE_LINES = 3
_TOKEN = re.compile(r"\w+")
_FULL_STOPS = (".", "。")
_SEPARATOR = re.compile(r"\s[|·•»›>/–—-]\s")
FEATURES = (
    "above", "index", "index_share", "words", "chars", "capitalised", "upper", "stop_share",
    "ends_sentence", "ends_colon", "commas", "digits", "separators", "lede", "url", "repeats",
    "contained", "dated", "byline", "time_only", "date_only", "cta", "rail", "menu", "caption",
    "meta_below", "meta_above", "prev_words", "next_words", "next_ends_sentence",
    "longer_above", "heading_rank",
)  # fmt: skip


def _content_words(text: str) -> set[str]:
    return {w for w in _TOKEN.findall(text.lower()) if w not in ALL_STOPWORDS and len(w) > 2}


def _share(words: set[str], pool: set[str]) -> float:
    return len(words & pool) / len(words) if words else 0.0


def candidates(lines: list[Line], body_start: int) -> list[int]:
    """The indices of the lines that may be the headline."""
    first, stop = max(0, body_start - ABOVE), min(len(lines), body_start + INTO)
    return [
        i
        for i in range(first, stop)
        if 1 <= lines[i].words <= MAX_WORDS
        and len(lines[i].text) <= MAX_CHARS
        and not lines[i].text.endswith(_FULL_STOPS)  # a headline has none (1 % of WCXB's)
    ]


def _meta(line: Line) -> bool:
    return bool(line.time_only or line.date_only or parse_byline(line.text) is not None)


def _nearest(flags: list[bool], at: int, step: int, limit: int = 4) -> int:
    """Lines from `at` to the nearest flagged line in direction `step` (limit+1: none)."""
    for distance in range(1, limit + 1):
        j = at + step * distance
        if 0 <= j < len(flags) and flags[j]:
            return distance
    return limit + 1


def _letters(text: str) -> tuple[float, float, float]:
    """Share of words capitalised, of letters upper case, of characters digits."""
    words = [w for w in text.split() if w[:1].isalpha()]
    capitalised = sum(w[0].isupper() for w in words) / len(words) if words else 0.0
    letters = sum(map(str.isalpha, text))
    upper = sum(map(str.isupper, text)) / letters if letters else 0.0
    digits = sum(map(str.isdigit, text)) / len(text) if text else 0.0
    return capitalised, upper, digits


def features(lines: list[Line], body_start: int, url: str, chosen: list[int]) -> Floats:
    """One row of `FEATURES` for each candidate index in `chosen`."""
    lede = _content_words(" ".join(line.text[:1000] for line in lines[body_start:][:LEDE_LINES]))
    url_words = _content_words(url.split("?", 1)[0].replace("-", " ").replace("_", " "))
    window = range(max(0, body_start - ABOVE - 4), min(len(lines), body_start + INTO + 4))
    meta = {j: _meta(lines[j]) for j in window}
    flags = [meta.get(j, False) for j in range(len(lines))]
    texts = [lines[j].text[: MAX_CHARS * 4].casefold() for j in window]  # bounded work
    lengths = sorted((lines[i].words for i in chosen), reverse=True)
    above: list[int] = []  # sorted; `chosen` runs top to bottom
    rows = []
    for i in chosen:
        line = lines[i]
        folded = line.text.casefold()
        words = _content_words(line.text)
        capitalised, upper, digits = _letters(line.text)
        prev_line = lines[i - 1] if i > 0 else None
        next_line = lines[i + 1] if i + 1 < len(lines) else None
        rows.append(
            [
                body_start - i,
                i,
                i / len(lines),
                line.words,
                len(line.text),
                capitalised,
                upper,
                line.stop_share,
                float(line.ends_sentence),
                float(line.text.endswith(":")),
                line.commas,
                digits,
                len(_SEPARATOR.findall(line.text)),
                _share(words, lede),
                _share(words, url_words),
                line.repeats,
                sum(folded in other for other in texts) - 1,
                float(find_date(line.text) is not None),
                float(flags[i]),
                float(line.time_only),
                float(line.date_only),
                float(line.cta),
                float(line.rail),
                float(line.menu),
                float(line.caption),
                _nearest(flags, i, 1),
                _nearest(flags, i, -1),
                prev_line.words if prev_line else 0,
                next_line.words if next_line else 0,
                float(next_line.ends_sentence) if next_line else 0.0,
                len(above) - bisect_right(above, line.words),
                lengths.index(line.words),
            ]
        )
        insort(above, line.words)  # the lengths of the candidates above the next one
    return np.array(rows, dtype=np.float64).reshape(len(chosen), len(FEATURES))


@cache
def load(path: Path = MODEL_PATH) -> ClassForest | None:
    """The shipped model; None when there is none (the title is then left empty)."""
    if not path.exists():
        return None
    forest = load_forest(path)
    if forest.features != FEATURES:
        raise ModelFormatError(f"{path} was trained on other features: retrain it")
    return forest


def choose_title(lines: list[Line], body_start: int, url: str) -> int | None:
    """The index of the candidate line the model scores highest (None: no candidate)."""
    forest = load()
    chosen = candidates(lines, body_start)
    if forest is None or not chosen:
        return None
    scores = forest.scores(features(lines, body_start, url, chosen))[:, 0]
    return chosen[int(np.argmax(scores))]
