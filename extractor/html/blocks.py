"""Linearise a flattened tree into text blocks (paragraphs, headings, list items, quotes...).

A block is the text between two block-level boundaries. It remembers the element that owns it
(the innermost block element around it) and what kind of block it is, which is all the body
scorer and the Markdown writer need.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.html.dom import TEXT, Tree

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "figure",
        "figcaption",
        "hr",
        "address",
        "center",
        "form",
        "fieldset",
        "details",
        "summary",
        "menu",
        "hgroup",
        "body",
        "html",
    ]
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_KIND_TAGS = ("pre", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote")


@dataclass(slots=True)
class Block:
    text: str
    kind: str  # "p", "h1".."h6", "li", "dt", "dd", "blockquote", "pre", "td", "figcaption"
    node: int  # the innermost block element that owns this text
    link_chars: int = 0
    in_quote: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


class _Builder:
    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.parts: list[str] = []
        self.link_chars = 0
        self.blocks: list[Block] = []

    def flush(self, owners: list[int]) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts.clear()
        if "\n" in raw:  # line breaks (<br>) inside the block
            lines = [" ".join(line.split()) for line in raw.split("\n")]
            text = "\n".join(line for line in lines if line)
        else:
            text = " ".join(raw.split())
        if text:
            kind, quote = _kind(self.tree, owners)
            node = owners[-1] if owners else 0
            self.blocks.append(Block(text, kind, node, min(self.link_chars, len(text)), quote))
        self.link_chars = 0


def _kind(tree: Tree, owners: list[int]) -> tuple[str, bool]:
    tags = [tree.tag[i] for i in owners]
    quote = "blockquote" in tags
    for tag in reversed(tags):
        if tag in _KIND_TAGS:
            return tag, quote
        if tag in ("td", "th", "figcaption", "caption"):
            return ("figcaption" if tag == "caption" else tag), quote
    return "p", quote


def linearise(
    tree: Tree, start: int, stop: int, dead: list[bool] | None = None, *, limit: int = 0
) -> list[Block]:
    """Blocks of the nodes in [start, stop), skipping subtrees whose root is marked dead;
    with `limit`, the walk may stop once that many blocks are made (the first `limit` are
    the same; more may follow)."""
    builder = _Builder(tree)
    parts = builder.parts  # (flush empties it in place)
    tags, texts, ends = tree.tag, tree.text, tree.end
    owners: list[int] = []  # open block elements, innermost last
    links: list[int] = []  # end indices of open <a> elements
    i = start
    while i < stop:
        while owners and i >= ends[owners[-1]]:
            if parts:
                builder.flush(owners)
            owners.pop()
        while links and i >= links[-1]:
            links.pop()
        if dead is not None and dead[i]:
            i = ends[i]
            continue
        tag = tags[i]
        if tag == TEXT:
            text = texts[i]
            parts.append(text)
            if links:
                builder.link_chars += len(text.strip())
        elif tag in BLOCK_TAGS:
            if parts:
                builder.flush(owners)
                if limit and len(builder.blocks) >= limit:
                    break
            owners.append(i)
        elif tag == "br":
            parts.append("\n")
        elif tag == "a":
            links.append(ends[i])
        i += 1
    while owners:
        builder.flush(owners)
        owners.pop()
    builder.flush(owners)
    return builder.blocks
