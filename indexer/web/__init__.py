"""The search page: server-rendered HTML, every value escaped, no JavaScript, no CDN."""

from indexer.web.page import render_search_page

__all__ = ["render_search_page"]
