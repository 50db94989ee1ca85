"""How well the body was extracted, estimated: `Article.extraction_quality`, in [0, 1].

The estimate is the expected F1 of the body against what a person would call the page's main
content. A consumer routes the pages it doubts elsewhere (another extractor, a person). The
model (`extractor/models/quality.json`, written by `make train`; its card beside it) is
gradient-boosted trees trained on the measured F1 of the engine's body on development pages
whose site the main-content model never saw (`bench.train_quality`), over what the engine knows
when it has decided (`Evidence`, turned into `FEATURES` by `features`):

- how sure the block model was: its scores of the kept and the dropped blocks, how many sit
  near the threshold, how scattered the kept blocks are;
- whether the rules agree: the share of the body's text in blocks the rule engine also chose,
  and of the rules' text in the body's blocks;
- the body: its length, blocks, link density, headings and list items, its share of the page;
- the page: its type's probabilities (product and listing pages are extracted worse than
  articles), how sure the type model was, which metadata it declares.

Only a page whose body the learned model chose gets an estimate.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from extractor.class_trees import ClassForest, ModelFormatError
from extractor.class_trees import from_dict as forest_from_dict
from extractor.html.blocks import HEADINGS, Block
from extractor.html.main_blocks import Choice
from extractor.html.page_metadata import Metadata
from shared.events import PAGE_TYPES, PageType

FORMAT = "pagewire.quality/1"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "quality.json"
NEAR = 0.15
"""A block scoring within this of the threshold is one the model was unsure of."""

FEATURES: tuple[str, ...] = (
    "candidates_log",
    "kept_log",
    "kept_share",
    "kept_words_share",
    "kept_score_mean",
    "kept_score_min",
    "dropped_score_max",
    "dropped_score_mean",
    "near_threshold_words",
    "uncertainty",
    "kept_runs_log",
    "gap_words_share",
    "fell_back",
    "rules_precision",
    "rules_recall",
    "body_words_log",
    "body_blocks_log",
    "body_words_per_block",
    "body_vs_choice",
    "body_page_share",
    "body_link_density",
    "body_heading_share",
    "body_list_share",
    "has_title",
    "has_published",
    "has_authors",
    "has_description",
    "has_ld_body",
    "declares_article",
    "type_max",
    "type_entropy",
    *(f"type_{t}" for t in PAGE_TYPES),
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the engine knows once it has decided a page's body."""

    choice: Choice  # the block model's decision
    rule_blocks: list[Block]  # the rule engine's body
    body: list[Block]  # the body published (after the title, JSON-LD and template steps)
    types: dict[PageType, float]  # the page-type model's probabilities
    meta: Metadata
    page_chars: int  # characters of text on the whole page


class QualityEstimator(Protocol):
    def estimate(self, evidence: Evidence) -> float:
        """The expected F1 of the body, in [0, 1]."""
        ...


def _words(blocks: list[Block]) -> list[int]:
    """Each block's words as whitespace splits them (a weight: cheaper than tokens)."""
    return [len(b.text.split()) for b in blocks]


def _shared_chars(blocks: list[Block], other: list[Block]) -> float:
    """The share of `blocks`' characters in blocks whose text `other` also has."""
    texts = {b.text for b in other}
    total = sum(len(b.text) for b in blocks)
    return sum(len(b.text) for b in blocks if b.text in texts) / total if total else 0.0


def _mean(values: np.ndarray, weights: np.ndarray, empty: float) -> float:
    total = float(weights.sum())
    return float((values * weights).sum() / total) if total else empty


def _score_features(choice: Choice) -> list[float]:
    """How sure the block model was, and how its kept blocks lie on the page."""
    s, t = choice.scores, choice.threshold
    words = np.array(_words(choice.candidates), dtype=np.float64) + 1.0
    kept = s >= t
    near = np.abs(s - t) < NEAR
    p = np.clip(s, 1e-6, 1 - 1e-6)
    entropy = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    at = np.flatnonzero(kept)
    runs = int(np.count_nonzero(np.diff(at) > 1)) + 1 if len(at) else 0
    span = slice(int(at[0]), int(at[-1]) + 1) if len(at) else slice(0, 0)
    gap = float(words[span][~kept[span]].sum())
    kept_words = float(words[kept].sum())
    return [
        math.log1p(len(s)),
        math.log1p(len(at)),
        len(at) / len(s) if len(s) else 0.0,
        kept_words / float(words.sum()) if len(s) else 0.0,
        _mean(s[kept], words[kept], 0.0),
        float(s[kept].min()) - t if len(at) else -1.0,
        float(s[~kept].max()) - t if len(at) < len(s) else -1.0,
        _mean(s[~kept], words[~kept], 0.0),
        _mean(near.astype(np.float64), words, 0.0),
        _mean(entropy, words, 0.0),
        math.log1p(runs),
        gap / kept_words if kept_words else 0.0,
        float(not len(at)),
    ]


def _body_features(evidence: Evidence) -> list[float]:
    """The body against the rules' choice and the page."""
    words = sum(_words(evidence.body))
    chosen = sum(_words(evidence.choice.blocks))
    chars = sum(len(b.text) for b in evidence.body)
    kinds = [b.kind for b in evidence.body]
    n = max(len(kinds), 1)
    return [
        _shared_chars(evidence.body, evidence.rule_blocks),
        _shared_chars(evidence.rule_blocks, evidence.body),
        math.log1p(words),
        math.log1p(len(kinds)),
        words / n,
        math.log((words + 1) / (chosen + 1)),
        chars / evidence.page_chars if evidence.page_chars else 0.0,
        sum(b.link_chars for b in evidence.body) / chars if chars else 0.0,
        sum(k in HEADINGS for k in kinds) / n,
        sum(k == "li" for k in kinds) / n,
    ]


def _page_features(evidence: Evidence) -> list[float]:
    meta = evidence.meta
    declared = meta.page_type or ""
    p = [evidence.types.get(t, 0.0) for t in PAGE_TYPES]
    entropy = -sum(q * math.log2(q) for q in p if q > 0)
    return [
        float(bool(meta.title)),
        float(meta.published is not None),
        float(bool(meta.authors)),
        float(bool(meta.description)),
        float(bool(meta.article_body)),
        float("article" in declared or "posting" in declared),
        max(p),
        entropy,
        *p,
    ]


def features(evidence: Evidence) -> list[float]:
    """The page's row of `FEATURES`."""
    return [*_score_features(evidence.choice), *_body_features(evidence), *_page_features(evidence)]


@dataclass(frozen=True, slots=True)
class QualityModel:
    forest: ClassForest

    def estimate(self, evidence: Evidence) -> float:
        """The forest's score as a probability (its objective is cross-entropy on F1)."""
        row = np.array([features(evidence)], dtype=np.float32).astype(np.float64)
        return float(1.0 / (1.0 + math.exp(-float(self.forest.scores(row)[0, 0]))))


def from_dict(data: dict[str, Any]) -> QualityModel:
    """The model from its decoded JSON: `format` and `forest` (a `pagewire.class_trees/1`
    forest of one score)."""
    if data.get("format") != FORMAT:
        raise ModelFormatError(f"not a {FORMAT} model: {data.get('format')!r}")
    forest = forest_from_dict(data["forest"])
    if forest.features != FEATURES:
        raise ModelFormatError("the quality model was trained on other features: retrain it")
    return QualityModel(forest)


@cache
def load(path: Path = MODEL_PATH) -> QualityModel:
    """The model at `path`, read once per process."""
    return from_dict(json.loads(path.read_text(encoding="utf-8")))


class ShippedModel:
    """The shipped model as an estimator, read on first use. A service calls `load()` at
    start, so that a missing or stale model file stops it there."""

    def load(self) -> QualityModel:
        return load()

    def estimate(self, evidence: Evidence) -> float:
        return load().estimate(evidence)


SHIPPED = ShippedModel()
