"""Gradient-boosted trees evaluated with numpy: the runtime half of a learned model.

The training command (`bench.train_blocks`) exports a LightGBM model to a small JSON file
(`bench.tree_export`); this module reads it and scores a feature matrix, with no training
library at run time. Format `pagewire.trees/1`:

    {"format": "pagewire.trees/1", "features": [names], "base_score": 0.0,
     "link": "sigmoid" | "identity",
     "trees": [{"feature": [...], "threshold": [...], "left": [...], "right": [...],
                "leaf_value": [...]}, ...]}

In a tree, internal node j splits on `feature[j]`: a value `<= threshold[j]` goes to `left[j]`,
others to `right[j]`; a child `c < 0` is the leaf `~c` (LightGBM's own encoding). Missing
values are not supported: the features never produce NaN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FORMAT = "pagewire.trees/1"
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class ModelFormatError(ValueError):
    """A model file this version cannot read."""


@dataclass(frozen=True, slots=True)
class Forest:
    """All trees' nodes in flat arrays. A leaf points to itself and its threshold is +inf, so
    every row takes the same number of steps, all trees at once; `child[2 * node + 1]` is the
    left child (the value was `<= threshold`), `child[2 * node]` the right one."""

    features: tuple[str, ...]
    feature: Ints
    threshold: Floats
    child: Ints
    value: Floats
    roots: Ints
    depth: int
    base_score: float
    sigmoid: bool

    def raw(self, x: Floats) -> Floats:
        """The sum of the trees' leaf values (plus the base score) for each row of `x`."""
        width = len(self.features)
        if x.ndim != 2 or x.shape[1] != width:
            raise ValueError(f"expected rows of {width} features, got {x.shape}")
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        base = (np.arange(len(x), dtype=np.int64) * width)[:, None]
        at = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        feature, threshold, child = self.feature, self.threshold, self.child
        for _ in range(self.depth):
            goes_left = flat[base + feature[at]] <= threshold[at]
            at = child[2 * at + goes_left]
        out: Floats = self.value[at].sum(axis=1) + self.base_score
        return out

    def predict(self, x: Floats) -> Floats:
        """Probabilities for a sigmoid model, raw scores otherwise."""
        raw = self.raw(x)
        if not self.sigmoid:
            return raw
        out: Floats = 1.0 / (1.0 + np.exp(-raw))
        return out


def _steps(left: list[int], right: list[int]) -> int:
    """Steps from the root to the deepest leaf: the deepest internal node's level (root 1)."""
    deepest, stack = 0, [(0, 1)] if left else []
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in (left[node], right[node]) if c >= 0)
    return deepest


def from_dict(data: dict[str, Any]) -> Forest:
    """A forest from the decoded JSON (see the module docstring)."""
    if data.get("format") != FORMAT:
        raise ModelFormatError(f"not a {FORMAT} model: {data.get('format')!r}")
    feature: list[int] = []
    threshold: list[float] = []
    child: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    for tree in data["trees"]:
        start, inner, leaves = len(feature), len(tree["feature"]), tree["leaf_value"]
        roots.append(start if inner else start + inner)

        def place(child: int, start: int = start, inner: int = inner) -> int:
            return start + child if child >= 0 else start + inner + ~child

        feature += tree["feature"] + [0] * len(leaves)
        threshold += tree["threshold"] + [float("inf")] * len(leaves)
        for right, left in zip(tree["right"], tree["left"], strict=True):
            child += [place(right), place(left)]
        for k in range(len(leaves)):
            child += [start + inner + k] * 2
        value += [0.0] * inner + list(leaves)
        depth = max(depth, _steps(tree["left"], tree["right"]))
    return Forest(
        features=tuple(data["features"]),
        feature=np.array(feature, dtype=np.int64),
        threshold=np.array(threshold, dtype=np.float64),
        child=np.array(child, dtype=np.int64),
        value=np.array(value, dtype=np.float64),
        roots=np.array(roots, dtype=np.int64),
        depth=depth,
        base_score=float(data.get("base_score", 0.0)),
        sigmoid=data.get("link", "identity") == "sigmoid",
    )


def load(path: Path) -> Forest:
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
