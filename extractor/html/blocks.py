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


# What kind of block an owner makes of its text; an owner of no kind passes its own owner's.
_KIND_OF = {tag: tag for tag in _KIND_TAGS} | {
    "td": "td", "th": "th", "figcaption": "figcaption", "caption": "figcaption",
}  # fmt: skip


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.link_chars = 0
        self.blocks: list[Block] = []

    def flush(self, node: int, kind: str, quote: bool) -> None:
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
            self.blocks.append(Block(text, kind, node, min(self.link_chars, len(text)), quote))
        self.link_chars = 0


def linearise(
    tree: Tree, start: int, stop: int, dead: list[bool] | None = None, *, limit: int = 0
) -> list[Block]:
    """Blocks of the nodes in [start, stop), skipping subtrees whose root is marked dead;
    with `limit`, the walk may stop once that many blocks are made (the first `limit` are
    the same; more may follow).

    A block's kind is its innermost owner's of a kind (`_KIND_OF`), "p" without one; it is
    in a quote when any of its owners is a blockquote. Both are kept on stacks beside the
    open owners, so a block costs the same at any depth."""
    builder = _Builder()
    parts = builder.parts  # (flush empties it in place)
    tags, texts, ends = tree.tag, tree.text, tree.end
    owners: list[int] = []  # open block elements, innermost last
    kinds: list[str] = ["p"]  # the kind of a block made at each depth of `owners` (and none)
    quotes: list[bool] = [False]
    links: list[int] = []  # end indices of open <a> elements
    i = start
    while i < stop:
        while owners and i >= ends[owners[-1]]:
            if parts:
                builder.flush(owners[-1], kinds[-1], quotes[-1])
            owners.pop()
            kinds.pop()
            quotes.pop()
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
                builder.flush(owners[-1] if owners else 0, kinds[-1], quotes[-1])
                if limit and len(builder.blocks) >= limit:
                    break
            owners.append(i)
            kinds.append(_KIND_OF.get(tag, kinds[-1]))
            quotes.append(quotes[-1] or tag == "blockquote")
        elif tag == "br":
            parts.append("\n")
        elif tag == "a":
            links.append(ends[i])
        i += 1
    while owners:
        builder.flush(owners[-1], kinds[-1], quotes[-1])
        owners.pop()
        kinds.pop()
        quotes.pop()
    builder.flush(0, "p", False)
    return builder.blocks
