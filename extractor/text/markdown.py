"""Render an extracted article as Markdown: the title as `#`, subheadings as `##`, paragraphs."""

from __future__ import annotations

import re

__all__ = ["is_subheading", "to_markdown"]

_SUBHEADING_MAX_WORDS = 12
_SENTENCE_END = (".", "!", "?", "。", "！", "？", ":", ";", ",", "…", '"', "”", "»", ")")
_LIST_ITEM = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s")
_ESCAPE = re.compile(r"^([#>])")


def is_subheading(paragraph: str) -> bool:
    """A short paragraph without a sentence end, not a list item: a heading inside the body."""
    words = len(paragraph.split())
    return (
        1 <= words <= _SUBHEADING_MAX_WORDS
        and not paragraph.endswith(_SENTENCE_END)
        and not _LIST_ITEM.match(paragraph)
    )


def to_markdown(title: str, paragraphs: list[str]) -> str:
    blocks = [f"# {title}"] if title else []
    for paragraph in paragraphs:
        if _LIST_ITEM.match(paragraph):
            blocks.append(paragraph)
        elif is_subheading(paragraph):
            blocks.append(f"## {paragraph}")
        else:
            blocks.append(_ESCAPE.sub(r"\\\1", paragraph))
    return "\n\n".join(blocks)
