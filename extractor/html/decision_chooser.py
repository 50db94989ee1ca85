"""The learned decision chooser: which (smoothing, threshold) decision keeps a page's body.

The block model scores every block of a page; a decision (`main_blocks.Decision`: how much a
block's score is blended with its neighbours', and the score from which a block is kept)
turns those scores into a body. The page type's default decision suits most pages of the
type, but not all: the best decision page by page scores far better than any fixed one. The
chooser (`extractor/models/chooser.json`, written by `make train`, its card beside it) reads,
for each candidate decision, what the body would be (its share of the page, its blocks, their
link density, how sure the model was of the kept and the dropped blocks, the gaps, how far
the decision lies from the default, whether it agrees with the rules) beside the page's type
probabilities, and estimates the page's F1 under it. The best estimate wins, but only when
it beats the default decision's by `margin`: a departure must pay for the risk of a wrong
estimate. Trees evaluated with numpy (`extractor.class_trees`), like the block model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from extractor.class_trees import ClassForest, Floats, ModelFormatError, smooth
from extractor.class_trees import from_dict as forest_from_dict
from extractor.html.block_features import FEATURES as BLOCK_FEATURES
from extractor.html.main_blocks import Decision
from shared.events import PAGE_TYPES

FORMAT = "pagewire.decision_chooser/1"

_NEAR = 0.05
_READ = ("log_words", "log_chars", "link_density", "in_rules", "heading", "kind_li")
_COLUMN = {name: BLOCK_FEATURES.index(name) for name in _READ}

PAGE_NAMES: tuple[str, ...] = (
    *(f"type_{t}" for t in PAGE_TYPES if t != "other"),
    "page_log_blocks",
    "page_log_words",
    "page_mean_p",
    "page_sure_share",
    "page_unsure_share",
    "default_smoothing",
    "default_threshold",
)
CANDIDATE_NAMES: tuple[str, ...] = (
    "smoothing",
    "threshold",
    "threshold_shift",
    "kept_nothing",
    "kept_blocks_share",
    "kept_words_share",
    "kept_log_words",
    "kept_log_blocks",
    "kept_link_density",
    "kept_mean_p",
    "dropped_mean_p",
    "kept_min_margin",
    "dropped_max_margin",
    "near_words_share",
    "runs_log",
    "gap_words_share",
    "rules_precision",
    "rules_recall",
    "words_vs_default",
    "kept_heading_share",
    "kept_list_share",
    "added_words_share",
    "removed_words_share",
    "added_mean_p",
    "removed_mean_p",
    "added_link_density",
    "removed_link_density",
    "added_inside_share",
)
FEATURES = PAGE_NAMES + CANDIDATE_NAMES


Mask = np.ndarray[Any, np.dtype[np.bool_]]


def _weighted(values: Floats, weights: Floats, empty: float) -> Floats:
    """Each row's mean of `values` weighted by `weights` (rows: candidates)."""
    total = weights.sum(axis=1)
    mean = (np.broadcast_to(values, weights.shape) * weights).sum(axis=1)
    out: Floats = np.where(total > 0, mean / np.maximum(total, 1e-12), empty)
    return out


def _runs(kept: Mask) -> Floats:
    """How many separate runs of kept blocks each row has."""
    padded = np.pad(kept.astype(np.int8), ((0, 0), (1, 0)))
    out: Floats = (np.diff(padded, axis=1) == 1).sum(axis=1).astype(np.float64)
    return out


def _gaps(kept: Mask, words: Floats) -> Floats:
    """Words dropped between the first and the last kept block, per row."""
    n = kept.shape[1]
    index = np.arange(n)
    first = np.where(kept.any(axis=1), kept.argmax(axis=1), n)
    last = np.where(kept.any(axis=1), n - 1 - kept[:, ::-1].argmax(axis=1), -1)
    inside = (index >= first[:, None]) & (index <= last[:, None]) & ~kept
    out: Floats = (inside * words).sum(axis=1)
    return out


def _edge(chosen: Mask, scores: Floats, t: Floats, lowest: bool) -> Floats:
    """The lowest score of the chosen blocks (or the highest), less the threshold; -1 when
    none is chosen."""
    fill = np.inf if lowest else -np.inf
    masked = np.where(chosen, scores, fill)
    found = masked.min(axis=1) if lowest else masked.max(axis=1)
    out: Floats = np.where(chosen.any(axis=1), found - t, -1.0)
    return out


@dataclass(frozen=True, slots=True)
class _Page:
    """What the chooser reads of each block: words, characters, linked characters, whether
    the rules chose it, whether it is a heading or a list item, its probability."""

    words: Floats
    chars: Floats
    links: Floats
    ruled: Floats
    heading: Floats
    item: Floats
    p: Floats

    @classmethod
    def of(cls, x: Floats, p: Floats) -> _Page:
        x = x.astype(np.float32).astype(np.float64)  # as the training library read them
        chars = np.expm1(x[:, _COLUMN["log_chars"]]).round()
        return cls(
            np.expm1(x[:, _COLUMN["log_words"]]).round() + 1.0,
            chars,
            chars * x[:, _COLUMN["link_density"]],
            (x[:, _COLUMN["in_rules"]] > 0.5).astype(np.float64),
            x[:, _COLUMN["heading"]],
            x[:, _COLUMN["kind_li"]],
            p,
        )

    def shares(self, mask: Mask) -> tuple[Floats, Floats]:
        """Each row's words and link density of the blocks in `mask`."""
        chars = np.maximum((mask * self.chars).sum(axis=1), 1.0)
        return (mask * self.words).sum(axis=1), (mask * self.links).sum(axis=1) / chars


def _page_row(page: _Page, types: Sequence[float], default: Decision) -> list[float]:
    total, p, words = float(page.words.sum()), page.p, page.words
    return [
        *types,
        math.log1p(len(p)),
        math.log1p(total),
        float((p * words).sum() / total),
        float(words[p >= 0.5].sum() / total),
        float(words[(p > 0.2) & (p < 0.8)].sum() / total),
        *default,
    ]


def _own(page: _Page, cand: Floats, scores: Floats, kept: Mask, base: Mask) -> list[Floats]:
    """The body each candidate keeps (rows: candidates)."""
    t, w, n = cand[:, 1], page.words, len(page.p)
    kept_words, link_density = page.shares(kept)
    ruled_words = (kept * (w * page.ruled)).sum(axis=1)
    rules_total = float((w * page.ruled).sum())
    every = np.broadcast_to(w, kept.shape)
    return [
        cand[:, 0],
        t,
        t - cand[0, 1],
        (kept_words == 0).astype(np.float64),
        kept.sum(axis=1) / n,
        kept_words / float(w.sum()),
        np.log1p(kept_words),
        np.log1p(kept.sum(axis=1)),
        link_density,
        _weighted(page.p, kept * w, 0.0),
        _weighted(page.p, ~kept * w, 0.0),
        _edge(kept, scores, t, lowest=True),
        _edge(~kept, scores, t, lowest=False),
        _weighted((np.abs(scores - t[:, None]) < _NEAR).astype(np.float64), every, 0.0),
        np.log1p(_runs(kept)),
        _gaps(kept, w) / np.maximum(kept_words, 1.0),
        ruled_words / np.maximum(kept_words, 1.0),
        ruled_words / rules_total if rules_total else np.zeros(len(t)),
        np.log((kept_words + 1.0) / ((base * w).sum(axis=1) + 1.0)),
        _weighted(page.heading, kept * w, 0.0),
        _weighted(page.item, kept * w, 0.0),
    ]


def _against(page: _Page, kept: Mask, base: Mask) -> list[Floats]:
    """What each candidate adds to and removes from the default's body: words (as a share
    of the default's), the blocks' mean probability and link density, and the share of the
    added words that lie within the default body's span (a gap filled, not a sidebar)."""
    added, removed = kept & ~base, ~kept & base
    own = max(float((base[0] * page.words).sum()), 1.0)
    at = np.flatnonzero(base[0])
    inside = np.zeros(len(page.p))
    if len(at):
        inside[at[0] : at[-1] + 1] = 1.0
    add_words, add_links = page.shares(added)
    removed_words, removed_links = page.shares(removed)
    return [
        add_words / own,
        removed_words / own,
        _weighted(page.p, added * page.words, -1.0),
        _weighted(page.p, removed * page.words, -1.0),
        add_links,
        removed_links,
        (added * (page.words * inside)).sum(axis=1) / np.maximum(add_words, 1.0),
    ]


def rows(
    x: Floats, p: Floats, types: Sequence[float], default: Decision, candidates: Sequence[Decision]
) -> Floats:
    """One row of `FEATURES` for each candidate decision on a page: `x` its blocks' features
    (`block_features.FEATURES`), `p` their probabilities before smoothing, `types` the
    page-type probabilities (`PAGE_TYPES` order, without `other`)."""
    if not len(p):  # nothing to keep: every decision falls back on the rules
        return np.zeros((len(candidates), len(FEATURES)))
    page = _Page.of(x, p)
    cand = np.array([default, *candidates], dtype=np.float64)
    scores = np.stack([smooth(p, float(s)) for s in cand[:, 0]])
    kept = scores >= cand[:, 1:2]
    base = np.broadcast_to(kept[0], kept.shape)
    columns = [*_own(page, cand, scores, kept, base), *_against(page, kept, base)]
    table = np.column_stack(columns)[1:]
    head = np.tile(np.array(_page_row(page, types, default)), (len(candidates), 1))
    return np.hstack((head, table))


@dataclass(frozen=True, slots=True)
class DecisionChooser:
    forest: ClassForest
    candidates: tuple[Decision, ...]
    margin: float
    """How much better than the default's a candidate's estimate must be to replace it."""

    def estimates(self, table: Floats) -> Floats:
        """The estimated F1 of each candidate's row (the forest's objective is cross-entropy
        on the F1: its score goes through a sigmoid)."""
        raw = self.forest.scores(table.astype(np.float32).astype(np.float64))[:, 0]
        out: Floats = 1.0 / (1.0 + np.exp(-raw))
        return out

    def choose(self, x: Floats, p: Floats, types: Sequence[float], default: Decision) -> Decision:
        """The decision for a page (see `rows` for the arguments)."""
        if not len(p):
            return default
        candidates = (default, *self.candidates)
        value = self.estimates(rows(x, p, types, default, candidates))
        best = int(np.argmax(value[1:])) + 1
        return candidates[best] if value[best] > value[0] + self.margin else default


def from_dict(data: dict[str, Any]) -> DecisionChooser:
    """The chooser from its decoded JSON: `forest` (a `pagewire.class_trees/1` forest of one
    score), `candidates` ([smoothing, threshold] pairs) and `margin`."""
    if data.get("format") != FORMAT:
        raise ModelFormatError(f"not a {FORMAT} model: {data.get('format')!r}")
    forest = forest_from_dict(data["forest"])
    if forest.features != FEATURES:
        raise ModelFormatError("the chooser was trained on other features: retrain it")
    candidates = tuple((float(s), float(t)) for s, t in data["candidates"])
    return DecisionChooser(forest, candidates, float(data["margin"]))
