"""Test data: `article(...)` builds a valid `PageExtracted` with sensible defaults;
`article_page(...)` the HTML of a news page that the extractor takes as an article."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.events import PageExtracted

BASE_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def article(
    id: str = "a1",
    *,
    title: str = "A title",
    text: str = "Some body text.",
    site: str = "example.com",
    fetched_minutes: int | None = 0,
    extracted_minutes: int = 1,
    **fields: Any,
) -> PageExtracted:
    """An article from `https://{site}/{id}`; times are minutes after `BASE_TIME`."""
    url = f"https://{site}/{id}"
    values: dict[str, Any] = {
        "id": id,
        "url": url,
        "canonical_url": url,
        "title": title,
        "text": text,
        "markdown": text,
        "word_count": len(text.split()),
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "fetched_at": None
        if fetched_minutes is None
        else BASE_TIME + timedelta(minutes=fetched_minutes),
        "extracted_at": BASE_TIME + timedelta(minutes=extracted_minutes),
    }
    values.update(fields)
    return PageExtracted(**values)


def article_page(title: str, paragraphs: Sequence[str], *, site_name: str | None = None) -> str:
    """A news page: navigation, the article (`title` as its heading, one `<p>` a paragraph),
    a footer; with `site_name`, the site's name after the title and in `og:site_name`."""
    head = f"<title>{title}</title>"
    if site_name is not None:
        head = f"<title>{title} | {site_name}</title>"
        head += f'\n<meta property="og:site_name" content="{site_name}">'
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head>{head}</head><body>\n'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>\n'
        f"<article><h1>{title}</h1>\n{body}</article><footer>Contact us</footer></body></html>"
    )
