"""Test data: `article(...)` builds a valid `PageExtracted` with sensible defaults."""

from __future__ import annotations

import hashlib
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
