"""The learned line model of the text engine: which lines of a dump are main content, and the
page's type (see docs/extraction.md, "Plain-text dumps").

The model file (`extractor/models/text_lines.json`, written by `bench.train_lines`) holds two
forests of `pagewire.class_trees/1`: `lines`, one score per line (its probability of being main
content is the sigmoid), and `page_type`, the page's type from statistics of its lines and of
their probabilities. The decision blends each probability with its neighbours' (`smoothing`)
and keeps the lines at or over `threshold`; both were chosen on out-of-fold predictions, by
default and per guessed page type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from extractor import class_trees
from extractor.class_trees import ClassForest, probability, smooth
from extractor.text.line_features import FEATURES
from extractor.text.lines import Line

__all__ = [
    "FORMAT",
    "MODEL_PATH",
    "PAGE_FEATURES",
    "LinesModel",
    "load",
    "model_from_dict",
    "page_rows",
    "shipped",
    "smooth",
]

FORMAT = "pagewire.text_lines/1"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "text_lines.json"
Floats = npt.NDArray[np.float64]
Decision = tuple[float, float]
"""(smoothing, threshold)."""

_BINS = (0.1, 0.3, 0.5, 0.7, 0.9)
_PAGE_COLUMNS = (
    "log_words", "stop_share", "ends_sentence", "digit_share", "upper_share",
    "capitalised_share", "punct_share", "list_mark", "link_like", "question", "time_only",
    "date_only", "cta", "menu", "code", "table_row", "short_run", "comments",
)  # fmt: skip
PAGE_FEATURES: tuple[str, ...] = (
    *(f"mean_{name}" for name in _PAGE_COLUMNS),
    *(f"main_mean_{name}" for name in _PAGE_COLUMNS),
    *(f"p_over_{b}" for b in _BINS),
    "main_word_share", "main_log_words", "main_lines_log", "main_runs_log", "main_span",
    "main_first", "main_last", *(f for f in FEATURES if f.startswith("page_")),
    "long_line_share", "question_lines_log",
)  # fmt: skip
_INDEX = {name: FEATURES.index(name) for name in FEATURES}


def page_rows(rows: Floats, p: Floats, words: Floats) -> Floats:
    """The page-type features of a dump: means of its lines' shapes, over all lines and over
    the likely main lines (p >= 0.5), and how the probabilities spread. `words`: each line's
    word count."""
    n = len(rows)
    main = p >= 0.5
    cols = [_INDEX[name] for name in _PAGE_COLUMNS]
    all_mean = rows[:, cols].mean(axis=0)
    main_mean = rows[main][:, cols].mean(axis=0) if main.any() else np.zeros(len(cols))
    spread = [float((p >= b).mean()) for b in _BINS]
    kept = np.flatnonzero(main)
    runs = int(np.count_nonzero(np.diff(kept) > 1)) + 1 if len(kept) else 0
    total = max(words.sum(), 1.0)
    first = kept[0] / n if len(kept) else 1.0
    last = kept[-1] / n if len(kept) else 0.0
    page = rows[0, [_INDEX[f] for f in FEATURES if f.startswith("page_")]]
    questions = rows[:, _INDEX["question"]].sum()
    tail = [
        words[main].sum() / total,
        np.log1p(words[main].sum()),
        np.log1p(len(kept)),
        np.log1p(runs),
        last - first,
        first,
        last,
        *page,
        float((words >= 30).mean()),
        np.log1p(questions),
    ]
    return np.concatenate((all_mean, main_mean, spread, tail))[None, :]


@dataclass(frozen=True, slots=True)
class LinesModel:
    lines: ClassForest
    page_type: ClassForest | None
    default: Decision
    by_type: dict[str, Decision]

    def probabilities(self, rows: Floats) -> Floats:
        """Each line's probability of being main content, before smoothing. The rows are
        rounded to float32 first, as LightGBM read them in training."""
        return probability(self.lines, rows.astype(np.float32).astype(np.float64))

    def kind(self, rows: Floats, p: Floats, lines: list[Line]) -> str | None:
        """The page's most probable type, or None without a page-type forest."""
        if self.page_type is None or not len(rows):
            return None
        words = np.array([line.words for line in lines], dtype=np.float64)
        probs = self.page_type.probabilities(page_rows(rows, p, words))[0]
        return self.page_type.classes[int(np.argmax(probs))]

    def decide(self, p: Floats, kind: str | None) -> npt.NDArray[np.bool_]:
        """Which lines are main content, by the decision for the page's type."""
        smoothing, threshold = self.by_type.get(kind or "", self.default)
        out: npt.NDArray[np.bool_] = smooth(p, smoothing) >= threshold
        return out


def _decision(data: dict[str, Any]) -> Decision:
    return float(data["smoothing"]), float(data["threshold"])


def model_from_dict(data: dict[str, Any]) -> LinesModel:
    """The model of the decoded JSON; a file of another format or other features is refused."""
    if data.get("format") != FORMAT:
        raise class_trees.ModelFormatError(f"not a {FORMAT} model: {data.get('format')!r}")
    lines = class_trees.from_dict(data["lines"])
    if lines.features != FEATURES:
        raise class_trees.ModelFormatError("the line model was trained on other features")
    page_type = None
    if data.get("page_type") is not None:
        page_type = class_trees.from_dict(data["page_type"])
        if page_type.features != PAGE_FEATURES:
            raise class_trees.ModelFormatError("the page-type model has other features")
    decision = data["decision"]
    by_type = {kind: _decision(d) for kind, d in decision.get("by_type", {}).items()}
    return LinesModel(lines, page_type, _decision(decision), by_type)


def load(path: Path = MODEL_PATH) -> LinesModel:
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")))


@cache
def shipped() -> LinesModel:
    """The model shipped in the package, read once (the service loads it at start)."""
    return load()
