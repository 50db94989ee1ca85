"""Make a plain-text dump of an HTML page, as a browser's select-all copy reads.

A tool of the tests and benchmarks (the text engine's input, made from the HTML corpora); the
services never call it.

Block elements start and end their own lines (a paragraph is set off by a blank line),
`<br>` breaks a line, table cells are separated by a tab, `<pre>` keeps its whitespace.
Navigation, menus, newsletter boxes and footers are kept, as a person copying the page gets
them; what a browser does not render is dropped: `<head>`, script, style, noscript, template
and other non-text elements, and hidden elements (`hidden` attribute, inline `display:none` or
`visibility:hidden`, `aria-hidden="true"`).

The traversal is iterative (an explicit stack), so any depth of nesting is safe; before parsing,
the page goes through the HTML engine's `prepare` (cut at its size limit, block elements nested
past its depth limit unwrapped, since Lexbor's tree builder is quadratic in that depth).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extractor.html.dom import prepare

__all__ = ["html_to_dump"]

_SKIP = frozenset(
    {
        "head", "script", "style", "noscript", "template", "title", "meta", "link", "base",
        "svg", "math", "iframe", "object", "embed", "canvas", "video", "audio", "map",
        "select", "datalist", "input", "textarea", "img", "picture", "source", "track",
    }
)  # fmt: skip
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
        "legend", "li", "main", "menu", "nav", "ol", "pre", "section", "summary", "table",
        "tbody", "thead", "tfoot", "tr", "ul", "listing", "plaintext", "xmp", "frameset",
    }
)  # fmt: skip
_PARAGRAPH = frozenset({"p"})
_CELL = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
# A match never runs past the next "<noscript": linear even with many unclosed ones.
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>(?:[^<]|<(?!/?noscript\b))*</noscript\s*>", re.IGNORECASE)


class _Pre(str):
    """Text from inside <pre>: its spaces and newlines are kept."""

    __slots__ = ()


_CELL_GAP = _Pre("\t")  # between table cells; dropped at the start of a line

# Output items: a str is text, an int is a required line-break count.
_Item = str | int
_Close = tuple[int]


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if not attrs:
        return False
    if "hidden" in attrs:
        return True
    if (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _breaks(tag: str) -> int:
    if tag in _PARAGRAPH:
        return 2
    return 1 if tag in _BLOCK else 0


def _open(node: LexborNode, tag: str, out: list[_Item], pre_depth: int) -> None:
    """Emit what an element contributes before its children."""
    if tag == "br":
        out.append(1 if pre_depth == 0 else _Pre("\n"))
    elif tag in _CELL and node.prev is not None:
        out.append(_CELL_GAP)
    n = _breaks(tag)
    if n:
        out.append(n)


def _text(node: LexborNode, pre_depth: int) -> str:
    raw = (node.text_content or "").replace("\u00a0", " ")
    return _Pre(raw) if pre_depth else _SPACES.sub(" ", raw)


def _walk(root: LexborNode) -> list[_Item]:
    out: list[_Item] = []
    stack: list[LexborNode | _Close] = [root]
    pre_depth = 0
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # closing marker: (breaks after the element,)
            if item[0] < 0:
                pre_depth -= 1
            elif item[0]:
                out.append(item[0])
            continue
        node = item
        if node.is_text_node:
            out.append(_text(node, pre_depth))
            continue
        if not node.is_element_node:
            continue
        tag = node.tag or ""
        if tag in _SKIP or _is_hidden(node):
            continue
        _open(node, tag, out, pre_depth)
        stack.append((_breaks(tag),))
        if tag in ("pre", "textarea", "listing", "xmp", "plaintext"):
            pre_depth += 1
            stack.append((-1,))
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend(children)
    return out


def _at_line_start(parts: list[str]) -> bool:
    return not parts or parts[-1].endswith(("\n", " ", "\t"))


def _assemble(items: list[_Item]) -> str:
    """Resolve break counts (the largest of a run wins) and collapse spaces across elements."""
    parts: list[str] = []
    pending = 0
    for item in items:
        if isinstance(item, int):
            pending = max(pending, item)
            continue
        text = item
        if not isinstance(item, _Pre) and (pending or _at_line_start(parts)):
            text = item.lstrip(" ")
        if not text or (item is _CELL_GAP and (pending or not parts or parts[-1].endswith("\n"))):
            continue
        if (pending or item is _CELL_GAP) and parts:
            parts[-1] = parts[-1].rstrip(" ")
        if pending and parts:
            parts.append("\n" * pending)
        pending = 0
        parts.append(text)
    return "\n".join(line.rstrip(" ") for line in "".join(parts).split("\n")).strip("\n")


def html_to_dump(html: str) -> str:
    """The text a browser's select-all copy of `html` gives (see the module doc)."""
    if not html or not html.strip():
        return ""
    # A browser with scripting on reads <noscript> content as raw text and shows none of it;
    # Lexbor parses it as markup, and an unclosed element inside can swallow the whole page.
    html = _NOSCRIPT.sub("", prepare(html))  # prepare: the HTML engine's size and depth limits
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return ""
    return _assemble(_walk(root))
