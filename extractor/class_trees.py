"""Gradient-boosted trees over several classes, evaluated with numpy (no training library).

The training command (`bench.train_page_type`) exports a LightGBM multiclass model to a JSON
file of format `pagewire.class_trees/1`:

    {"format": "pagewire.class_trees/1", "features": [names], "classes": [names],
     "trees": [{"feature": [...], "threshold": [...], "left": [...], "right": [...],
                "leaf_value": [...]}, ...]}

Tree `i` adds to the score of class `i % len(classes)` (LightGBM's order: one tree per class
per boosting round); the probabilities are the softmax of the scores. In a tree, internal node
`j` sends a value `<= threshold[j]` to `left[j]` and others to `right[j]`; a child `c < 0` is
the leaf `~c` (LightGBM's encoding, the one `pagewire.trees/1` uses for a single score).
Features never hold NaN: the evaluator does not model missing values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FORMAT = "pagewire.class_trees/1"
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]


class ModelFormatError(ValueError):
    """A model file this version cannot read."""


@dataclass(frozen=True, slots=True)
class ClassForest:
    """Every tree's nodes in flat arrays, so one page walks all trees at once. A leaf points to
    itself with threshold +inf, so all trees take `depth` steps; `child[2 * node + 1]` is the
    left child (the value was `<= threshold`), `child[2 * node]` the right one."""

    features: tuple[str, ...]
    classes: tuple[str, ...]
    feature: Ints
    threshold: Floats
    child: Ints
    value: Floats
    roots: Ints
    depth: int

    def scores(self, x: Floats) -> Floats:
        """Each row's raw score per class: shape (rows, classes). Each step gathers into the
        same few buffers (`mode="clip"`: no bounds check, the indices are the forest's own),
        not into fresh arrays: a page of 300 blocks and 200 trees walks 60,000 nodes a step."""
        width = len(self.features)
        if x.ndim != 2 or x.shape[1] != width:
            raise ValueError(f"expected rows of {width} features, got {x.shape}")
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        base = np.repeat(np.arange(len(x), dtype=np.intp) * width, len(self.roots))
        at = np.tile(self.roots, len(x))
        column, below = np.empty_like(at), np.empty_like(at)
        value, threshold = np.empty(len(at)), np.empty(len(at))
        goes_left = np.empty(len(at), dtype=bool)
        for _ in range(self.depth):
            np.take(self.feature, at, out=column, mode="clip")
            column += base
            np.take(flat, column, out=value, mode="clip")
            np.take(self.threshold, at, out=threshold, mode="clip")
            np.less_equal(value, threshold, out=goes_left)
            np.multiply(at, 2, out=below)
            below += goes_left
            np.take(self.child, below, out=at, mode="clip")
        per_tree = self.value[at].reshape(len(x), -1, len(self.classes))
        out: Floats = per_tree.sum(axis=1)
        return out

    def probabilities(self, x: Floats) -> Floats:
        """Softmax of the scores: each row sums to 1."""
        scores = self.scores(x)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        out: Floats = exp / exp.sum(axis=1, keepdims=True)
        return out


def _steps(left: list[int], right: list[int]) -> int:
    """Steps from the root to the deepest leaf: the deepest internal node's level (root 1)."""
    deepest, stack = 0, [(0, 1)] if left else []
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in (left[node], right[node]) if c >= 0)
    return deepest


def from_dict(data: dict[str, Any]) -> ClassForest:
    """A forest from the decoded JSON (see the module docstring)."""
    if data.get("format") != FORMAT:
        raise ModelFormatError(f"not a {FORMAT} model: {data.get('format')!r}")
    classes, trees = tuple(data["classes"]), data["trees"]
    if not classes or len(trees) % len(classes):
        raise ModelFormatError(f"{len(trees)} trees cannot be split among {len(classes)} classes")
    feature: list[int] = []
    threshold: list[float] = []
    child: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    for tree in trees:
        start, inner, leaves = len(feature), len(tree["feature"]), tree["leaf_value"]
        roots.append(start if inner else start + inner)

        def place(c: int, start: int = start, inner: int = inner) -> int:
            return start + c if c >= 0 else start + inner + ~c

        feature += tree["feature"] + [0] * len(leaves)
        threshold += tree["threshold"] + [float("inf")] * len(leaves)
        for right, left in zip(tree["right"], tree["left"], strict=True):
            child += [place(right), place(left)]
        for k in range(len(leaves)):
            child += [start + inner + k] * 2
        value += [0.0] * inner + list(leaves)
        depth = max(depth, _steps(tree["left"], tree["right"]))
    return ClassForest(
        features=tuple(data["features"]),
        classes=classes,
        feature=np.array(feature, dtype=np.intp),
        threshold=np.array(threshold, dtype=np.float64),
        child=np.array(child, dtype=np.intp),
        value=np.array(value, dtype=np.float64),
        roots=np.array(roots, dtype=np.intp),
        depth=depth,
    )


def load(path: Path) -> ClassForest:
    return from_dict(json.loads(path.read_text(encoding="utf-8")))


def probability(forest: ClassForest, x: Floats) -> Floats:
    """The forest's one score per row as a probability (its objective is cross-entropy)."""
    if not len(x):
        return np.zeros(0)
    out: Floats = 1.0 / (1.0 + np.exp(-forest.scores(x)[:, 0]))
    return out


def smooth(p: Floats, weight: float) -> Floats:
    """Each value blended with the mean of its two neighbours (an edge counts itself): the
    block and line models' scores are read with their neighbours'."""
    if len(p) < 2 or not weight:
        return p
    before = np.concatenate((p[:1], p[:-1]))
    after = np.concatenate((p[1:], p[-1:]))
    out: Floats = (1.0 - weight) * p + weight * (before + after) / 2.0
    return out
