"""Parse a page with Lexbor and flatten its body into arrays, with every limit enforced here.

The rest of the engine never walks the DOM: it works on `Tree`, a pre-order list of the body's
elements and text nodes where each node knows its parent and where its subtree ends. Every
algorithm over it is a loop over index ranges, so depth costs nothing and nothing recurses.

Limits (see docs/extraction.md):
- the page is cut at `MAX_CHARS` characters before parsing;
- block elements nested deeper than `MAX_BLOCK_DEPTH` are unwrapped before parsing (Lexbor's
  tree builder is quadratic in that depth);
- the flattened body keeps at most `MAX_NODES` nodes; the rest of the page is ignored.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

logger = logging.getLogger(__name__)

MAX_CHARS = 8_000_000
MAX_BLOCK_DEPTH = 1_000
MAX_NODES = 250_000
TEXT = "#text"

# Start tags that make Lexbor scan the whole stack of open elements (quadratic when nested).
_BLOCK_TAG = re.compile(
    r"<(/?)(?:div|section|article|aside|blockquote|center|details|dialog|dir|dl|fieldset|"
    r"figcaption|figure|footer|header|hgroup|main|menu|nav|ol|ul|summary|address|form|pre|"
    r"listing|h[1-6])(?=[\s>/])",
    re.IGNORECASE,
)
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe head button select textarea input object embed "
    "canvas video audio map link meta title base math option datalist dialog".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
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

    def __len__(self) -> int:
        return len(self.tag)


def prepare(html: str) -> str:
    """Cut an over-long page and flatten pathological nesting of block elements."""
    if len(html) > MAX_CHARS:
        logger.info("page of %d chars cut to %d", len(html), MAX_CHARS)
        html = html[:MAX_CHARS]
    if html.count("<") < MAX_BLOCK_DEPTH:
        return html
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
    "hidden sr-only screen-reader-text visually-hidden visuallyhidden element-invisible "
    "a11y-hidden offscreen screenreader-only sr-only-focusable".split()
)
_HIDDEN_MARKS = ("hidden", "sr-only", "screen-reader", "invisible", "offscreen", "screenreader")


def _hidden_class(cls: str) -> bool:
    if not any(mark in cls for mark in _HIDDEN_MARKS):
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
    cls = attrs.get("class")
    if cls:
        cls = cls.lower()
        if _hidden_class(cls):
            return None
    parts = [cls, attrs.get("id"), attrs.get("role"), attrs.get("itemprop")]
    return " ".join(p for p in parts if p).lower()


def flatten(root: LexborNode | None) -> Tree:
    """Flatten `root`'s subtree, skipping scripts, styles, form controls and hidden elements."""
    tree = Tree()
    if root is None:
        return tree
    tags, hints, texts, parents, ends = tree.tag, tree.hint, tree.text, tree.parent, tree.end
    stack: list[tuple[LexborNode, int]] = [(root, -1)]
    open_: list[int] = []  # elements whose subtree is still being filled
    while stack:
        node, parent = stack.pop()
        while open_ and open_[-1] != parent:
            ends[open_.pop()] = len(tags)
        if len(tags) >= MAX_NODES:
            tree.truncated = True
            break
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if text is None:
                continue
            if not text.strip():
                if not texts or texts[-1] in ("", " "):
                    continue
                text = " "  # keeps words of neighbouring inline elements apart
            else:
                inner = " ".join(text.split())
                if text[0].isspace():
                    inner = " " + inner
                if text[-1].isspace():
                    inner += " "
                text = inner
            ends.append(len(tags) + 1)
            tags.append(TEXT)
            hints.append("")
            texts.append(text)
            parents.append(parent)
            continue
        if tag is None or tag[0] == "-" or tag in SKIP_TAGS:
            continue
        attrs = node.attributes
        hint = _inspect(attrs) if attrs else ""
        if hint is None:
            continue
        index = len(tags)
        ends.append(index + 1)
        tags.append(tag)
        hints.append(hint)
        texts.append("")
        parents.append(parent)
        if tag in _KEPT_ATTRS:
            value = attrs.get(_KEPT_ATTRS[tag]) or (attrs.get("data-src") if tag == "img" else None)
            if value:
                tree.attr[index] = value
        open_.append(index)
        child = node.last_child
        while child is not None:
            stack.append((child, index))
            child = child.prev
    while open_:
        ends[open_.pop()] = len(tags)
    return tree
