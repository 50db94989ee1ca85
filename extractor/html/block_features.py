"""A feature vector for every text block of a page: what the main-content model reads.

The blocks are the whole page's (`blocks.linearise` over the flattened tree, nothing pruned),
so the model can take what the rules would have pruned. Training (`bench.block_dataset`) and
the engine call `page_features` on the same tree, so the features are the same at both times.

Feature groups (names in `FEATURES`; docs/extraction.md says why each is there):
- the block's text: length, words, link density, punctuation, stop words, digits, capitals;
- its kind (paragraph, heading level, list item, cell...) and the tags above it;
- class/id/role cues on the block's own element and its parent, and on any ancestor;
- its containers (1, 2 and 4 levels up): text, link density, share of the page's text;
- its place: position in the page, depth, whether the rule engine chose it;
- its neighbours: the previous and next blocks, means over windows of 3 and 10 blocks;
- the page: its number of blocks, text, link density, the share the rules chose, and what
  its metadata (schema.org or OpenGraph type, date, authors) and address say of its kind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from extractor.html.block_text import TEXT_NAMES, text_columns
from extractor.html.blocks import Block, linearise
from extractor.html.body import Stats, stats
from extractor.html.class_names import class_weight, is_boilerplate
from extractor.html.dom import TEXT, Tree
from extractor.html.page_metadata import Metadata
from extractor.patterns import PatternBits

Matrix = npt.NDArray[np.float64]
Nodes = npt.NDArray[np.int64]

_CUES = {
    "content": r"content|article|\bpost|entry|story|\bbody|\btext|prose|markdown|single",
    "main": r"\bmain\b|\bmain-|primary",
    "comment": r"comment|disqus|repl(?:y|ies)|respon",
    "nav": r"nav|menu|breadcrumb|paginat|pager",
    "side": r"sidebar|aside|widget|\brail|complementary",
    "foot": r"foot|copyright|contentinfo|legal",
    "head": r"header|masthead|banner|topbar",
    "share": r"share|social|follow|sharing",
    "related": r"related|recommend|popular|trending|\bmore\b|also",
    "ad": r"\bads?\b|advert|sponsor|promo|\bad-|-ad\b|dfp|gpt",
    "meta": r"meta|byline|author|\bdate|time|\btags?\b|categor",
    "caption": r"caption|credit|figure|photo|image|\bimg|gallery|media",
    "prompt": r"newsletter|subscri|signup|cookie|consent|gdpr|modal|popup|login|paywall",
    "title": r"title|headline|heading",
    "product": r"product|price|cart|shop|sku|spec|detail|buy",
    "forum": r"thread|message|forum|topic|discussion|\bqa\b|answer|question",
    "doc": r"\bdoc|toc\b|api|reference|manual|guide",
    "list": r"list|grid|card|item|teaser|tile|feed|archive",
    "summary": r"summary|lead|intro|excerpt|standfirst|abstract|\bdek\b|subtitle|descr",
    "hidden": r"hidden|collapse|dropdown|sr-only|tooltip",
}
_ANCESTOR_TAGS = (
    "article", "main", "section", "aside", "nav", "header", "footer", "form", "table", "ul",
    "ol", "li", "figure", "blockquote", "dl", "details", "pre", "a",
)  # fmt: skip
_TAG_BIT = {tag: 1 << i for i, tag in enumerate(_ANCESTOR_TAGS)}
_KINDS = ("p", "h1", "h2", "h3", "h4", "li", "dt", "dd", "blockquote", "pre", "td", "th")
_KIND_INDEX = {kind: i for i, kind in enumerate(_KINDS)} | {"h5": 4, "h6": 4}
_LEVELS = (1, 2, 4)
_SEPARATORS = "|»·•/›>"

_TYPE_WORDS = {
    "article": ("article", "newsarticle", "blogposting", "reportagenewsarticle", "report"),
    "product": ("product", "offer", "productgroup"),
    "website": ("website", "webpage", "organization"),
    "discussion": ("discussionforumposting", "qapage", "question", "socialmediaposting"),
    "collection": ("collectionpage", "itemlist", "searchresultspage", "category"),
}
_META_NAMES = (
    *(f"type_{name}" for name in _TYPE_WORDS), "published", "authors", "description",
    "ld_body",
)  # fmt: skip
_NEIGHBOURED = ("log_chars", "link_density", "in_rules", "heading", "punct_ratio", "stopwords")
_WINDOWED = ("in_rules", "link_density", "log_chars", "stopwords", "heading")
FEATURES: tuple[str, ...] = (
    *TEXT_NAMES,
    *(f"kind_{kind}" for kind in _KINDS),
    "heading",
    *(f"under_{tag}" for tag in _ANCESTOR_TAGS),
    *(f"cue_{name}" for name in _CUES),
    *(f"cue_any_{name}" for name in _CUES),
    "class_weight", "class_weight_any", "boilerplate_any",
    *(f"up{n}_{what}" for n in _LEVELS for what in ("log_chars", "link_density", "share", "para")),
    "depth", "relative_depth", "position", "char_position", "in_rules", "in_rules_span",
    "rules_distance",
    *(f"{side}_{name}" for side in ("prev", "next") for name in _NEIGHBOURED),
    *(f"w{width}_{name}" for width in (3, 10) for name in _WINDOWED),
    "page_log_blocks", "page_log_chars", "page_link_density", "page_rules_share",
    "repeated", "title_start",
    "page_has_article", "page_has_main", "page_title_shown",
    *(f"meta_{name}" for name in _META_NAMES),
    "url_depth", "url_slug_words", "url_digits", "url_query", "url_home",
)  # fmt: skip
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass(slots=True)
class PageBlocks:
    """The page's blocks, one row of `FEATURES` for each, and the element 1, 2 and 4 levels
    above each block's own (its containers: blocks that share one are read together)."""

    blocks: list[Block]
    features: Matrix
    containers: Nodes


_token_cues = lru_cache(maxsize=65536)(PatternBits(list(_CUES.values())).bits)
"""The cues a class, id or role token matches (`_CUES` order, as bits)."""


@lru_cache(maxsize=16384)
def _cue_bits(hint: str) -> int:
    """The cues found in a hint: those of its tokens, since no cue pattern spans whitespace
    and a `\\b` at a token's edge reads the same whitespace as the edge of the string. Tokens
    repeat across pages ("container", "flex") where whole hints rarely do."""
    bits = 0
    for token in hint.split():
        bits |= _token_cues(token)
    return bits


@dataclass(slots=True)
class _Nodes:
    """Per-node facts propagated down the tree in document order. Depth is every node's; the
    other facts are set only on the block owners and the elements above them (`_ancestry`):
    nothing else reads them, and their class names cost a regex each."""

    depth: list[int]
    tags: list[int]  # bits of `_ANCESTOR_TAGS` on the node or above
    cues: list[int]  # bits of `_CUES` on the node or above
    weight: list[float]  # the nearest non-zero readability class weight, the node's or above
    boiler: list[bool]  # a boilerplate element on the node or above


def _depths(tree: Tree) -> list[int]:
    """Each element's number of elements above it (text nodes: 0)."""
    depth = [0] * len(tree)
    tag_of, parent_of = tree.tag, tree.parent
    for i, p in enumerate(parent_of):
        if p >= 0 and tag_of[i] != TEXT:
            depth[i] = depth[p] + 1
    return depth


def _ancestry(parent: list[int], owners: list[int]) -> list[int]:
    """The owners and every element above them, in document order (parents first)."""
    seen: set[int] = set()
    for owner in owners:
        i = owner
        while i >= 0 and i not in seen:
            seen.add(i)
            i = parent[i]
    return sorted(seen)


def _propagate(tree: Tree, owners: list[int]) -> _Nodes:
    n = len(tree)
    tags, cues = [0] * n, [0] * n
    weight, boiler = [0.0] * n, [False] * n
    tag_of, hint_of, parent_of = tree.tag, tree.hint, tree.parent
    for i in _ancestry(parent_of, owners):
        tag = tag_of[i]
        p = parent_of[i]
        hint = hint_of[i]
        bit = _TAG_BIT.get(tag, 0)
        if p < 0:
            tags[i], cues[i] = bit, _cue_bits(hint) if hint else 0
            weight[i] = class_weight(hint) if hint else 0.0
            continue
        tags[i] = tags[p] | bit
        boiler[i] = boiler[p] or is_boilerplate(tag, hint)
        if hint:
            cues[i] = cues[p] | _cue_bits(hint)
            weight[i] = class_weight(hint) or weight[p]
        else:
            cues[i], weight[i] = cues[p], weight[p]
    return _Nodes(_depths(tree), tags, cues, weight, boiler)


def _bits(values: list[int], width: int) -> Matrix:
    """Integers as rows of their `width` low bits (0.0 / 1.0)."""
    column = np.array(values, dtype=np.int64)[:, None]
    out: Matrix = ((column >> np.arange(width)) & 1).astype(np.float64)
    return out


def _block_rows(
    tree: Tree, st: Stats, nodes: _Nodes, blocks: list[Block], *, ruled: set[int], title: str
) -> tuple[Matrix, Nodes]:
    n = len(blocks)
    x = np.zeros((n, len(FEATURES)))
    x[:, : len(TEXT_NAMES)] = text_columns(blocks, title)
    owner = [block.node for block in blocks]
    hint, parent = tree.hint, tree.parent
    kinds = [_KIND_INDEX.get(block.kind, 0) for block in blocks]
    at = _INDEX["kind_p"]
    x[np.arange(n), at + np.array(kinds)] = 1.0
    x[:, _INDEX["heading"]] = [block.kind[0] == "h" for block in blocks]
    at = _INDEX["under_article"]
    x[:, at : at + len(_ANCESTOR_TAGS)] = _bits([nodes.tags[i] for i in owner], len(_ANCESTOR_TAGS))
    local = [_cue_bits(hint[i]) | _cue_bits(hint[max(parent[i], 0)]) for i in owner]
    at, width = _INDEX["cue_content"], len(_CUES)
    x[:, at : at + width] = _bits(local, width)
    x[:, at + width : at + 2 * width] = _bits([nodes.cues[i] for i in owner], width)
    x[:, _INDEX["class_weight"]] = [class_weight(hint[i]) / 25.0 for i in owner]
    x[:, _INDEX["class_weight_any"]] = [nodes.weight[i] / 25.0 for i in owner]
    x[:, _INDEX["boilerplate_any"]] = [nodes.boiler[i] for i in owner]
    containers = _container_columns(x, tree, st, np.array(owner, dtype=np.int64))
    depth = np.array([nodes.depth[i] for i in owner], dtype=np.float64)
    at = _INDEX["depth"]
    x[:, at] = depth
    x[:, at + 1] = depth / (max(nodes.depth, default=1) or 1)
    x[:, at + 2] = np.arange(n) / n
    sizes = np.array([len(block.text) for block in blocks], dtype=np.float64)
    x[:, at + 3] = (np.cumsum(sizes) - sizes) / max(st.text[0], 1)
    x[:, at + 4] = [i in ruled for i in owner]
    return x, containers


def _container_columns(x: Matrix, tree: Tree, st: Stats, owner: Nodes) -> Nodes:
    """Text, link density, page share and paragraph share of the containers 1, 2, 4 up;
    returns the containers."""
    parent = np.array(tree.parent, dtype=np.int64)
    parent = np.where(parent < 0, np.arange(len(parent)), parent)  # the root stays put
    end = np.array(tree.end, dtype=np.int64)
    text, links, para = (np.array(s.cum, dtype=np.float64) for s in (st.text, st.links, st.para))
    page = max(st.text[0], 1)
    up, done = owner, 0
    found = []
    for k, level in enumerate(_LEVELS):
        for _ in range(level - done):
            up = parent[up]
        done = level
        found.append(up)
        size = text[end[up]] - text[up]
        safe = np.maximum(size, 1.0)
        col = _INDEX["up1_log_chars"] + 4 * k
        x[:, col] = np.log1p(size)
        x[:, col + 1] = np.where(size > 0, (links[end[up]] - links[up]) / safe, 0.0)
        x[:, col + 2] = size / page
        x[:, col + 3] = np.where(size > 0, (para[end[up]] - para[up]) / safe, 0.0)
    return np.stack(found, axis=1)


def _rules_columns(x: Matrix) -> None:
    """Where the rules' choice lies: inside its first-to-last span, and how far from it."""
    chosen = np.flatnonzero(x[:, _INDEX["in_rules"]])
    n = len(x)
    if not len(chosen):
        x[:, _INDEX["rules_distance"]] = math.log1p(n)
        return
    x[chosen[0] : chosen[-1] + 1, _INDEX["in_rules_span"]] = 1.0
    positions = np.arange(n)
    right = np.searchsorted(chosen, positions)
    after = chosen[np.minimum(right, len(chosen) - 1)]
    before = chosen[np.maximum(right - 1, 0)]
    distance = np.minimum(np.abs(after - positions), np.abs(positions - before))
    x[:, _INDEX["rules_distance"]] = np.log1p(distance)


def _neighbour_columns(x: Matrix) -> None:
    n = len(x)
    sources = {
        name: x[:, _INDEX["stopword_ratio" if name == "stopwords" else name]]
        for name in {*_NEIGHBOURED, *_WINDOWED}
    }
    for name in _NEIGHBOURED:
        column = sources[name]
        x[1:, _INDEX[f"prev_{name}"]] = column[:-1]
        x[:-1, _INDEX[f"next_{name}"]] = column[1:]
    for width in (3, 10):
        for name in _WINDOWED:
            cum = np.concatenate(([0.0], np.cumsum(sources[name])))
            lo = np.maximum(np.arange(n) - width, 0)
            hi = np.minimum(np.arange(n) + width + 1, n)
            x[:, _INDEX[f"w{width}_{name}"]] = (cum[hi] - cum[lo]) / (hi - lo)


_REPEAT_KEY = 40


def _repeat_columns(x: Matrix, blocks: list[Block], title: str) -> None:
    """How often a block's opening recurs in other blocks (a teaser repeating the article's
    lead, an excerpt beside the post), and whether it opens with the page's title."""
    whole = "\x00".join(block.text for block in blocks)
    repeated, title_start = _INDEX["repeated"], _INDEX["title_start"]
    for i, block in enumerate(blocks):
        text = block.text
        if len(text) >= _REPEAT_KEY:
            x[i, repeated] = min(whole.count(text[:_REPEAT_KEY]) - 1, 3)
        if title and len(text) > len(title) and text[: len(title)].casefold() == title:
            x[i, title_start] = 1.0


def _page_columns(x: Matrix, meta: Metadata | None, url: str) -> None:
    """What the page's metadata and address say about the kind of page it is."""
    x[:, _INDEX["page_title_shown"]] = x[:, _INDEX["title_match"]].max()
    if meta is not None:
        kind = (meta.page_type or "").lower()
        for name, words in _TYPE_WORDS.items():
            x[:, _INDEX[f"meta_type_{name}"]] = float(any(kind.endswith(w) for w in words))
        x[:, _INDEX["meta_published"]] = float(meta.published is not None)
        x[:, _INDEX["meta_authors"]] = float(bool(meta.authors))
        x[:, _INDEX["meta_description"]] = float(bool(meta.description))
        x[:, _INDEX["meta_ld_body"]] = math.log1p(len(meta.article_body or ""))
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    x[:, _INDEX["url_depth"]] = len(segments)
    x[:, _INDEX["url_slug_words"]] = segments[-1].count("-") if segments else 0
    x[:, _INDEX["url_digits"]] = sum(c.isdigit() for c in parts.path)
    x[:, _INDEX["url_query"]] = float(bool(parts.query))
    x[:, _INDEX["url_home"]] = float(not segments)


def page_features(
    tree: Tree, rule_blocks: list[Block], meta: Metadata | None = None, url: str = ""
) -> PageBlocks:
    """The page's blocks with their features; `rule_blocks` are the rule engine's choice."""
    title = meta.title if meta is not None else None
    blocks = linearise(tree, 0, len(tree)) if len(tree) else []
    if not blocks:
        return PageBlocks([], np.zeros((0, len(FEATURES))), np.zeros((0, len(_LEVELS)), np.int64))
    st = stats(tree)
    nodes = _propagate(tree, [block.node for block in blocks])
    ruled = {b.node for b in rule_blocks}
    key = " ".join((title or "").split()).casefold()
    x, containers = _block_rows(tree, st, nodes, blocks, ruled=ruled, title=key)
    _rules_columns(x)
    _repeat_columns(x, blocks, key)
    _neighbour_columns(x)
    x[:, _INDEX["page_log_blocks"]] = math.log1p(len(blocks))
    x[:, _INDEX["page_log_chars"]] = math.log1p(st.text[0])
    x[:, _INDEX["page_link_density"]] = st.links[0] / st.text[0] if st.text[0] else 0.0
    ruled_chars = sum(len(b.text) for b in rule_blocks)
    x[:, _INDEX["page_rules_share"]] = ruled_chars / max(sum(len(b.text) for b in blocks), 1)
    x[:, _INDEX["page_has_article"]] = float("article" in tree.tag)
    x[:, _INDEX["page_has_main"]] = float("main" in tree.tag)
    _page_columns(x, meta, url)
    return PageBlocks(blocks, x, containers)
