"""Parse a page with Lexbor and flatten its body into arrays, with every limit enforced here.

The rest of the engine never walks the DOM: it works on `Tree`, a pre-order list of the body's
elements and text nodes where each node knows its parent and where its subtree ends. Every
algorithm over it is a loop over index ranges, so depth costs nothing and nothing recurses.

Limits (see docs/extraction.md):
- the page is cut at `MAX_CHARS` characters before parsing;
- block elements nested deeper than `MAX_BLOCK_DEPTH` are unwrapped before parsing (Lexbor's
  tree builder is quadratic in that depth);
- the flattened body keeps at most `MAX_NODES` nodes; the rest of the page is ignored;
- a start tag keeps its first `MAX_ATTRS` attributes (Lexbor is quadratic in their number;
  `attribute_limit`).
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extractor.html.attribute_limit import trim_attributes
from extractor.patterns import trie

logger = logging.getLogger(__name__)

MAX_CHARS = 8_000_000
MAX_BLOCK_DEPTH = 1_000
MAX_NODES = 250_000
TEXT = "#text"

# Start tags that make Lexbor scan the whole stack of open elements (quadratic when nested).
_BLOCK_NAMES = [
    "div", "section", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "dl",
    "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol",
    "ul", "summary", "address", "form", "pre", "listing", "h1", "h2", "h3", "h4", "h5", "h6",
]  # fmt: skip
_BLOCK_TAG = re.compile(rf"<(/?){trie(_BLOCK_NAMES, anycase=True)}(?=[\s>/])")
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "head",
        "button",
        "select",
        "textarea",
        "input",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "link",
        "meta",
        "title",
        "base",
        "math",
        "option",
        "datalist",
        "dialog",
    ]
)
SKIP_TAGS_BUT_NOSCRIPT = SKIP_TAGS - {"noscript"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TAXONOMY = re.compile(r"(?:tag|category|post_tag|topic|format|status)-")
_KEPT_ATTRS = {"a": "href", "img": "src"}


@dataclass(slots=True)
class Tree:
    """The body as parallel arrays in document order. `end[i]` is one past i's last descendant."""

    tag: list[str] = field(default_factory=list)
    hint: list[str] = field(default_factory=list)  # lower-cased "class id role itemprop"
    text: list[str] = field(default_factory=list)  # whitespace-collapsed text of a text node
    parent: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    attr: dict[int, str] = field(default_factory=dict)  # href of <a>, src of <img>
    truncated: bool = False
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What passes compute from the whole tree and several read (`body.stats`), made once."""

    def __len__(self) -> int:
        return len(self.tag)


def prepare(html: str) -> str:
    """Cut an over-long page, trim crowded start tags, flatten pathological block nesting."""
    if len(html) > MAX_CHARS:
        logger.info("page of %d chars cut to %d", len(html), MAX_CHARS)
        html = html[:MAX_CHARS]
    html = trim_attributes(html)
    if html.count("<") - html.count("</") < MAX_BLOCK_DEPTH:
        return html  # fewer start tags than the limit: no nesting can be that deep
    marks = _BLOCK_TAG.findall(html)
    if max(itertools.accumulate(-1 if m else 1 for m in marks), default=0) <= MAX_BLOCK_DEPTH:
        return html
    logger.info("block nesting deeper than %d flattened", MAX_BLOCK_DEPTH)
    depth = 0

    def unwrap(match: re.Match[str]) -> str:
        nonlocal depth
        if match.group(1):
            depth -= 1
            return match.group(0) if depth + 1 <= MAX_BLOCK_DEPTH else "</span"
        depth += 1
        return match.group(0) if depth <= MAX_BLOCK_DEPTH else "<span"

    return _BLOCK_TAG.sub(unwrap, html)


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(prepare(html))


_HIDDEN_TOKENS = frozenset(
    [
        "hidden",
        "sr-only",
        "screen-reader-text",
        "visually-hidden",
        "visuallyhidden",
        "element-invisible",
        "a11y-hidden",
        "offscreen",
        "screenreader-only",
        "sr-only-focusable",
    ]
)


def _hidden_class(cls: str) -> bool:
    if not (
        "hidden" in cls
        or "sr-only" in cls
        or "screen" in cls
        or "invisible" in cls
        or "offscreen" in cls
    ):
        return False
    tokens = cls.split()
    # Responsive utility classes ("hidden md:block") hide only on some screens.
    return bool(_HIDDEN_TOKENS.intersection(tokens)) and not any(":" in t for t in tokens)


def _inspect(attrs: dict[str, str | None]) -> str | None:
    """The element's lower-cased hint string, or None when the element is hidden."""
    if "hidden" in attrs:
        return None
    style = attrs.get("style")
    if style and ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style):
        return None
    hint = attrs.get("class") or ""
    if hint:
        hint = hint.lower()
        if _hidden_class(hint):
            return None
        if "tag-" in hint or "category-" in hint:  # WordPress taxonomy slugs say nothing
            hint = " ".join(t for t in hint.split() if not _TAXONOMY.match(t))
    for key in ("id", "role", "itemprop"):
        value = attrs.get(key)
        if value:
            hint = f"{hint} {value.lower()}"
    return hint


_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
"""Soft hyphens, zero-width spaces, word joiners and stray BOMs: invisible on the page and
inside words (`Mit\u00adtel\u00adal\u00adter`), so a reader copies, and a search matches,
the word without them."""


def _clean_text(raw: str | None, previous: str) -> str | None:
    """A text node's whitespace-collapsed text, edges kept as one space; None to skip it."""
    if not raw:
        return None
    if "\u00ad" in raw or "\u200b" in raw or "\u2060" in raw or "\ufeff" in raw:
        raw = _INVISIBLE.sub("", raw)  # (four `in` tests are cheaper than a search)
    inner = " ".join(raw.split())
    if not inner:
        return None if previous in ("", " ") else " "  # keeps neighbouring words apart
    if raw[0].isspace():
        inner = " " + inner
    if raw[-1].isspace():
        inner += " "
    return inner


def flatten(root: LexborNode | None, skip: frozenset[str] = SKIP_TAGS) -> Tree:  # noqa: PLR0915
    """Flatten `root`'s subtree, skipping scripts, styles, form controls and hidden elements.

    A depth-first walk with an explicit stack; each element pushes a marker (None) below its
    children, so that popping the marker says where its subtree ends. (One long loop: it runs
    for every node of every page, where the cost of a helper call shows.)
    """
    tree = Tree()
    if root is None:
        return tree
    tags, hints, texts, parents, ends = tree.tag, tree.hint, tree.text, tree.parent, tree.end
    nodes: list[LexborNode | None] = [root]
    owners = [-1]  # the index of each stacked node's parent (of a marker: its element)
    previous = ""  # the text of the last entry ("" after an element)
    while nodes:
        node, parent = nodes.pop(), owners.pop()
        if node is None:
            ends[parent] = len(tags)
            continue
        index = len(tags)
        if index >= MAX_NODES:
            tree.truncated = True
            break
        tag = node.tag
        if tag == "-text":
            if node.is_empty_text_node:  # whitespace only (most text nodes): no copy made
                if previous in ("", " "):
                    continue
                text = " "
            else:
                cleaned = _clean_text(node.text_content, previous)
                if cleaned is None:
                    continue
                text = cleaned
            ends.append(index + 1)
            tags.append(TEXT)
            hints.append("")
            texts.append(text)
            parents.append(parent)
            previous = text
            continue
        if tag is None or tag[0] == "-" or tag in skip:
            continue
        attrs = node.attributes
        hint: str | None = _inspect(attrs) if attrs else ""
        if hint is None:
            continue
        if tag in _KEPT_ATTRS:
            _keep_attr(tree, tag, attrs)
        ends.append(index + 1)
        tags.append(tag)
        hints.append(hint)
        texts.append("")
        parents.append(parent)
        previous = ""
        nodes.append(None)
        owners.append(index)
        child = node.last_child
        while child is not None:
            nodes.append(child)
            owners.append(index)
            child = child.prev
    for node, owner in zip(nodes, owners, strict=True):  # left open by MAX_NODES
        if node is None:
            ends[owner] = len(tags)
    return tree


def _keep_attr(tree: Tree, tag: str, attrs: dict[str, str | None]) -> None:
    value = attrs.get(_KEPT_ATTRS[tag]) or (attrs.get("data-src") if tag == "img" else None)
    if value:
        tree.attr[len(tree.tag)] = value
