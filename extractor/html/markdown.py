"""Render the body's blocks as plain text and as Markdown (blocks apart by a blank line)."""

from __future__ import annotations

import re

from extractor.html.blocks import Block

_MD_SPECIAL = re.compile(r"^([#>*+-]|\d+[.)])(\s)")


def to_text(blocks: list[Block]) -> str:
    return "\n\n".join(b.text for b in blocks)


def _escape(line: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1\2", line)


def _render(block: Block) -> str:
    kind = block.kind
    if kind == "pre":
        return f"```\n{block.text}\n```"
    lines = [_escape(line) for line in block.text.split("\n")]
    if kind in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "#" * int(kind[1]) + " " + " ".join(lines)
    text = "  \n".join(lines)
    if kind == "li":
        text = "- " + text.replace("\n", "\n  ")
    if block.in_quote:
        text = "\n".join("> " + line for line in text.split("\n"))
    return text


def to_markdown(blocks: list[Block]) -> str:
    return "\n\n".join(_render(b) for b in blocks)
