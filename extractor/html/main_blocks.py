"""The learned main-content decision: which of a page's blocks are its main content.

The model (`extractor/models/blocks.json`, written by `make train`) gives each block of the
page (`block_features`) a probability of being main content, in two stages: the first reads
the block's own features, the second those again with the first stage's probabilities around
the block (`block_context`: its neighbours, its containers, the page). A block's score is its
second-stage probability blended with its neighbours' (`smoothing`: a lone caption between two
paragraphs stays in, a lone paragraph in a sidebar stays out); blocks scoring at least
`threshold` are the body. Both numbers were chosen by cross-validation, not on the pages they
are scored on, the threshold for each page type (the page-type model's guess, `page_type`): a
listing or a collection keeps more of its short, doubtful blocks than an article does. A
decision chooser (`decision_chooser`, shipped in `chooser.json`) may then replace the type's
decision page by page with another candidate whose body it expects to score better.

The kept blocks lose the lines `junk.strip_junk` reads as boilerplate ("Share", "Advertisement",
"All rights reserved"...: the cross-validated figures are better with it). The engine asks a
`BlockChooser`; when the model keeps nothing, the rule engine's blocks stand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from extractor.class_trees import ClassForest, Floats, ModelFormatError, probability, smooth
from extractor.class_trees import from_dict as forest_from_dict
from extractor.html.block_context import CONTEXT, context_features
from extractor.html.block_features import FEATURES, PageBlocks, page_features
from extractor.html.blocks import Block
from extractor.html.dom import Tree
from extractor.html.junk import strip_junk
from extractor.html.page_metadata import Metadata
from extractor.html.page_type import PageTypeModel, from_forest
from extractor.html.page_type import choose as choose_type
from extractor.html.page_type import load as shipped_page_types
from shared.events import PAGE_TYPES

if TYPE_CHECKING:
    from extractor.html.decision_chooser import DecisionChooser

FORMAT = "pagewire.blocks/1"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "blocks.json"
CHOOSER_PATH = MODEL_PATH.with_name("chooser.json")


class BlockChooser(Protocol):
    def choose(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> list[Block]:
        """The page's main-content blocks, given the rule engine's choice and the page-type
        model's features of the page (`page_features`)."""
        ...


@dataclass(frozen=True, slots=True)
class Choice:
    """The model's decision on a page, with what it was sure of: the blocks it scored, each
    one's score (smoothed) and the threshold (`extractor.html.quality` reads them)."""

    blocks: list[Block]  # the body's blocks
    candidates: list[Block]
    scores: Floats
    threshold: float


@runtime_checkable
class ScoringChooser(BlockChooser, Protocol):
    def decide(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> Choice:
        """`choose`, with the scores behind the choice."""
        ...


Decision = tuple[float, float]
"""(smoothing, threshold)."""


@dataclass(frozen=True, slots=True)
class BlocksModel:
    first: ClassForest
    second: ClassForest | None
    threshold: float
    smoothing: float
    by_type: Mapping[str, Decision] = field(default_factory=dict)
    """The decision for a page of each type, where it differs from the default one."""
    page_types: PageTypeModel | None = None
    """The page-type model that reads the page (None: the shipped one)."""
    chooser: DecisionChooser | None = None
    """Picks the decision page by page among candidates (None: the page type's decision)."""

    def probabilities(self, page: PageBlocks) -> Floats:
        """Each block's probability of being main content, before smoothing. Features go
        through float32, as the training library read them."""
        x = page.features.astype(np.float32).astype(np.float64)
        p = probability(self.first, x)
        if self.second is None:
            return p
        both = np.hstack((x, context_features(x, page.containers, p)))
        return probability(self.second, both.astype(np.float32).astype(np.float64))

    def scores(self, page: PageBlocks) -> Floats:
        """The blocks' scores under the default decision's smoothing."""
        return smooth(self.probabilities(page), self.smoothing)

    def decision(self, type_row: list[float]) -> Decision:
        """(smoothing, threshold) for a page of these page-type features."""
        if not self.by_type:
            return self.smoothing, self.threshold
        return self.by_type.get(self._types().predict(type_row), (self.smoothing, self.threshold))

    def _types(self) -> PageTypeModel:
        return self.page_types or shipped_page_types()

    def page_decision(self, page: PageBlocks, p: Floats, type_row: list[float]) -> Decision:
        """The page's decision: its type's, or the chooser's pick given the blocks' features
        `page` and probabilities `p`."""
        if self.chooser is None:
            return self.decision(type_row)
        types = self._types().probabilities(type_row)
        default = self.by_type.get(choose_type(types), (self.smoothing, self.threshold))
        row = [types.get(t, 0.0) for t in PAGE_TYPES if t != "other"]
        return self.chooser.choose(page.features, p, row, default)

    def choose(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> list[Block]:
        return self.decide(tree, rule_blocks, meta, url, type_row).blocks

    def decide(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> Choice:
        page = page_features(tree, rule_blocks, meta, url)
        if not page.blocks:
            return Choice(rule_blocks, [], np.zeros(0), self.decision(type_row)[1])
        p = self.probabilities(page)
        smoothing, threshold = self.page_decision(page, p, type_row)
        scores = smooth(p, smoothing)
        keep = scores >= threshold
        chosen = [block for block, kept in zip(page.blocks, keep, strict=True) if kept]
        body = strip_junk(chosen) or chosen or rule_blocks
        return Choice(body, page.blocks, scores, threshold)


def model_from_dict(
    data: dict[str, Any],
    page_types: PageTypeModel | None = None,
    chooser: DecisionChooser | None = None,
) -> BlocksModel:
    """The model from its decoded JSON: `first` and, optionally, `second` (each a
    `pagewire.class_trees/1` forest of one class, "main") and the `decision` (threshold,
    smoothing; optionally `by_type`, the same two for pages of a type). The page type is
    `page_types`'s guess, else that of the page-type forest the model carries (`page_types`,
    as a cross-validation fold's model does), else the shipped model's. The decision chooser
    is `chooser`, else the one the model carries (`chooser`, as a fold's model does), else
    none."""
    from extractor.html.decision_chooser import from_dict as chooser_from_dict

    if data.get("format") != FORMAT:
        raise ModelFormatError(f"not a {FORMAT} model: {data.get('format')!r}")
    first = forest_from_dict(data["first"])
    second = forest_from_dict(data["second"]) if data.get("second") else None
    if first.features != FEATURES or (second and second.features != FEATURES + CONTEXT):
        raise ModelFormatError("the model was trained on other block features: retrain it")
    if page_types is None and data.get("page_types"):
        page_types = from_forest(forest_from_dict(data["page_types"]))
    if chooser is None and data.get("chooser"):
        chooser = chooser_from_dict(data["chooser"])
    decision = data["decision"]
    by_type = {
        kind: (float(d["smoothing"]), float(d["threshold"]))
        for kind, d in decision.get("by_type", {}).items()
    }
    return BlocksModel(
        first,
        second,
        float(decision["threshold"]),
        float(decision["smoothing"]),
        by_type,
        page_types,
        chooser,
    )


def load(path: Path = MODEL_PATH, chooser: Path | None = CHOOSER_PATH) -> BlocksModel:
    """The model at `path`, with the decision chooser at `chooser` (None: without one)."""
    from extractor.html.decision_chooser import from_dict as chooser_from_dict

    picker = None
    if chooser is not None:
        picker = chooser_from_dict(json.loads(chooser.read_text(encoding="utf-8")))
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")), chooser=picker)


@cache
def shipped() -> BlocksModel:
    """The model shipped in the package, read once."""
    return load()


class ShippedModel:
    """The shipped model as a chooser, read on first use. A service calls `load()` at start,
    so that a missing or stale model file stops it there rather than on its first page."""

    def load(self) -> BlocksModel:
        return shipped()

    def choose(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> list[Block]:
        return shipped().choose(tree, rule_blocks, meta, url, type_row)

    def decide(
        self, tree: Tree, rule_blocks: list[Block], meta: Metadata, url: str, type_row: list[float]
    ) -> Choice:
        return shipped().decide(tree, rule_blocks, meta, url, type_row)


SHIPPED = ShippedModel()
