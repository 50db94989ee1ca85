"""The second look: each block's first-stage probability read with its surroundings.

A block is main content more surely when its neighbours and the other blocks of its container
are, and less when it stands alone far from where the page's content lies (a teaser list below
an article, a lone paragraph in a sidebar). These features, beside the block's own, feed the
second model of `main_blocks`; they are computed from the block features and the first
model's probabilities only, so training (on out-of-fold probabilities) sees what run time sees.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from extractor.html.block_features import FEATURES, Matrix, Nodes

_WINDOWS = (1, 3, 10)
CONTEXT: tuple[str, ...] = (
    "p",
    *(f"p_w{w}" for w in _WINDOWS),
    "p_max3",
    "p_up1", "p_up2", "p_up4",
    "p_page_mean", "p_page_share", "p_in_span", "p_span_distance", "p_relative",
)  # fmt: skip
_LOG_CHARS = FEATURES.index("log_chars")
_KEEP = 0.5


def _windows(out: Matrix, p: Matrix) -> None:
    n = len(p)
    cum = np.concatenate(([0.0], np.cumsum(p)))
    positions = np.arange(n)
    for j, width in enumerate(_WINDOWS, start=1):
        lo = np.maximum(positions - width, 0)
        hi = np.minimum(positions + width + 1, n)
        out[:, j] = (cum[hi] - cum[lo]) / (hi - lo)
    padded = np.concatenate((np.full(3, -1.0), p, np.full(3, -1.0)))
    out[:, len(_WINDOWS) + 1] = sliding_window_view(padded, 7).max(axis=1)


def _containers(out: Matrix, p: Matrix, chars: Matrix, containers: Nodes) -> None:
    """The character-weighted mean probability of each block's container, at each level."""
    first = CONTEXT.index("p_up1")
    for k in range(containers.shape[1]):
        _, group = np.unique(containers[:, k], return_inverse=True)
        weight = np.bincount(group, weights=chars)
        mass = np.bincount(group, weights=chars * p)
        mean = np.divide(mass, weight, out=np.zeros_like(mass), where=weight > 0)
        out[:, first + k] = mean[group]


def context_features(x: Matrix, containers: Nodes, p: Matrix) -> Matrix:
    """One row of `CONTEXT` per block, from its features `x` (as the model reads them) and
    the first model's probabilities `p`."""
    n = len(p)
    out = np.zeros((n, len(CONTEXT)))
    if not n:
        return out
    out[:, 0] = p
    _windows(out, p)
    chars = np.expm1(x[:, _LOG_CHARS])
    _containers(out, p, chars, containers)
    total = max(chars.sum(), 1.0)
    out[:, CONTEXT.index("p_page_mean")] = (p * chars).sum() / total
    out[:, CONTEXT.index("p_page_share")] = chars[p >= _KEEP].sum() / total
    kept = np.flatnonzero(p >= _KEEP)
    positions = np.arange(n)
    if len(kept):
        inside = (positions >= kept[0]) & (positions <= kept[-1])
        out[:, CONTEXT.index("p_in_span")] = inside
        gap = np.maximum(kept[0] - positions, positions - kept[-1]).clip(min=0)
        out[:, CONTEXT.index("p_span_distance")] = np.log1p(gap)
    else:
        out[:, CONTEXT.index("p_span_distance")] = np.log1p(n)
    out[:, CONTEXT.index("p_relative")] = p / max(p.max(), 1e-9)
    return out
