"""What kind of page this is (`shared.events.PageType`), decided by the shipped model.

The model (`extractor/models/page_type.json`, written by `make train`; its card beside it)
is gradient-boosted trees over the page's features (`page_features`), evaluated with numpy
(`extractor.class_trees`). It is read once per process: the extractor service loads it at
start (`load`), so a missing or stale model file stops the service before it reads a page.

The decision (`choose`) leans to `article`: search shows articles unless asked for other
types, so an article typed otherwise is hidden from a news reader, while a page wrongly typed
`article` is shown with what it is. A page is an article when the model gives that type at
least `ARTICLE_FLOOR`, else it is the most probable type.
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
ARTICLE_FLOOR = 0.3
"""The probability of `article` from which a page is an article (the argmax's own floor being
1/7). Chosen on the cross-validated probabilities, where it maximises the F2 of "typed article"
(recall counted twice: a hidden article costs more than a stray page); the card has the
figures."""


@dataclass(frozen=True, slots=True)
class PageTypeModel:
    forest: class_trees.ClassForest
    types: tuple[PageType, ...]  # the forest's classes, as wire page types

    def probabilities(self, row: list[float]) -> dict[PageType, float]:
        p = self.forest.probabilities(np.array([row], dtype=np.float64))[0]
        return dict(zip(self.types, map(float, p), strict=True))

    def predict(self, row: list[float]) -> PageType:
        return choose(self.probabilities(row))


def choose(probabilities: dict[PageType, float]) -> PageType:
    """The page's type from the model's probabilities: `article` where its probability reaches
    `ARTICLE_FLOOR`, else the most probable (the first of equals, as an argmax)."""
    if probabilities.get("article", 0.0) >= ARTICLE_FLOOR:
        return "article"
    return max(probabilities, key=probabilities.__getitem__)


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
    """The shipped model's probability of each type (the engine's type is `choose`'s; the
    quality estimate reads how sure the model was)."""
    return load().probabilities(page_features(url, html, parser, tree))


def probabilities_of(row: list[float]) -> dict[PageType, float]:
    """`page_type_probabilities` of a page whose `page_features` are `row`."""
    return load().probabilities(row)
