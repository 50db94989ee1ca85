"""What kind of page this is (`shared.events.PageType`), decided by the shipped model.

The model (`extractor/models/page_type.json`, written by `make train`; its card beside it)
is gradient-boosted trees over the page's features (`page_features`), evaluated with numpy
(`extractor.class_trees`). It is read once per process: the extractor service loads it at
start (`load`), so a missing or stale model file stops the service before it reads a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from extractor import class_trees
from extractor.html.dom import Tree
from extractor.html.page_features import FEATURES, page_features
from shared.events import PAGE_TYPES, PageType

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "page_type.json"


@dataclass(frozen=True, slots=True)
class PageTypeModel:
    forest: class_trees.ClassForest
    types: tuple[PageType, ...]  # the forest's classes, as wire page types

    def probabilities(self, row: list[float]) -> dict[PageType, float]:
        p = self.forest.probabilities(np.array([row], dtype=np.float64))[0]
        return dict(zip(self.types, map(float, p), strict=True))

    def predict(self, row: list[float]) -> PageType:
        p = self.forest.probabilities(np.array([row], dtype=np.float64))[0]
        return self.types[int(np.argmax(p))]


def from_forest(forest: class_trees.ClassForest) -> PageTypeModel:
    """The model, once its features and classes are checked against this code's."""
    if forest.features != FEATURES:
        raise class_trees.ModelFormatError(
            "the page-type model was trained on other features: run `make train`"
        )
    unknown = [c for c in forest.classes if c not in PAGE_TYPES]
    if unknown:
        raise class_trees.ModelFormatError(f"the page-type model has unknown types {unknown}")
    types = tuple(t for c in forest.classes for t in PAGE_TYPES if t == c)
    return PageTypeModel(forest, types)


@cache
def load(path: Path = MODEL_PATH) -> PageTypeModel:
    """The model at `path`, read once per process."""
    return from_forest(class_trees.load(path))


def page_type(url: str, html: str, parser: LexborHTMLParser, tree: Tree) -> PageType:
    """The page's type by the shipped model."""
    return load().predict(page_features(url, html, parser, tree))


def page_type_probabilities(
    url: str, html: str, parser: LexborHTMLParser, tree: Tree
) -> dict[PageType, float]:
    """The shipped model's probability of each type (the engine's type is the likeliest; the
    quality estimate reads how sure it was)."""
    return load().probabilities(page_features(url, html, parser, tree))
