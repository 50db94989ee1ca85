"""Export a trained LightGBM booster of one score (binary or cross-entropy objective) to the
`pagewire.class_trees/1` JSON of one class that `extractor.class_trees` evaluates with numpy
(the runtime needs no LightGBM); the reader applies the sigmoid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extractor.class_trees import FORMAT

_SIGMOID_OBJECTIVES = ("binary", "cross_entropy", "xentropy")


def reproducible(seed: int) -> dict[str, Any]:
    """LightGBM settings under which a training run gives the same trees every time."""
    return {
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 1,
        "verbose": -1,
    }


class UnsupportedModel(ValueError):
    """A split the numpy evaluator cannot reproduce (categorical, zero-as-missing)."""


def flatten(root: dict[str, Any]) -> dict[str, list[Any]]:
    """One tree's nested dump as arrays; a child `c < 0` is the leaf `~c`."""
    if "split_index" not in root:  # a tree of one leaf
        return {"feature": [], "threshold": [], "left": [], "right": [], "leaf_value": [
            float(root["leaf_value"])
        ]}  # fmt: skip
    inner: dict[int, dict[str, Any]] = {}
    leaves: dict[int, float] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if "split_index" not in node:
            leaves[int(node["leaf_index"])] = float(node["leaf_value"])
            continue
        if node.get("decision_type") != "<=" or node.get("missing_type") == "Zero":
            raise UnsupportedModel(f"unsupported split: {node.get('decision_type')!r}")
        inner[int(node["split_index"])] = node
        stack += [node["left_child"], node["right_child"]]

    def child(node: dict[str, Any]) -> int:
        return int(node["split_index"]) if "split_index" in node else ~int(node["leaf_index"])

    order = range(len(inner))
    return {
        "feature": [int(inner[j]["split_feature"]) for j in order],
        "threshold": [float(inner[j]["threshold"]) for j in order],
        "left": [child(inner[j]["left_child"]) for j in order],
        "right": [child(inner[j]["right_child"]) for j in order],
        "leaf_value": [leaves[k] for k in range(len(leaves))],
    }


def export(dump: dict[str, Any], features: Sequence[str]) -> dict[str, Any]:
    """The JSON model of a booster's `dump_model()`, for rows of `features`."""
    if list(dump.get("feature_names", features)) != [f.replace(" ", "_") for f in features]:
        raise UnsupportedModel("the booster was trained on other features")
    objective = str(dump.get("objective", "")).split()[0] if dump.get("objective") else ""
    if not objective.startswith(_SIGMOID_OBJECTIVES):
        raise UnsupportedModel(f"a probability model is expected, not {objective!r}")
    trees = [flatten(info["tree_structure"]) for info in dump["tree_info"]]
    return {"format": FORMAT, "features": list(features), "classes": ["main"], "trees": trees}
