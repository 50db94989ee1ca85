"""Render a `SearchPage` as a small HTML page. Snippets are already HTML-safe (store)."""

from __future__ import annotations

from html import escape

from indexer.search import SearchPage


def render_search_page(page: SearchPage) -> str:
    hits = "\n".join(
        f'<li><a href="{escape(h.url)}">{escape(h.title)}</a>'
        f"<p>{h.snippet}</p></li>"
        for h in page.hits
    )
    return (
        "<!doctype html><html><head><meta charset=utf-8><title>pagewire search</title></head>"
        f'<body><form action="/"><input name="q" value="{escape(page.query)}"></form>'
        f"<p>{page.total} results</p><ol>{hits}</ol></body></html>"
    )
