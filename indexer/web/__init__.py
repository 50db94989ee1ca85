"""The search page: server-rendered HTML, every value escaped, no JavaScript, no CDN."""

from indexer.web.page import (
    STYLESHEET,
    render_article_page,
    render_error_page,
    render_search_page,
)

__all__ = ["STYLESHEET", "render_article_page", "render_error_page", "render_search_page"]
