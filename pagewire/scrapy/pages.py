"""A Scrapy response as a raw page (pure: no I/O), or the reason it is not one."""

from __future__ import annotations

from datetime import datetime

from scrapy.http import HtmlResponse, Response
from scrapy.http.headers import Headers

from pagewire.publish import make_page
from shared.events import PageFetched

PRIVATE_HEADERS = frozenset({"set-cookie", "set-cookie2"})
"""Headers left out of the raw page: a session cookie is the crawler's secret, not the page's."""


def skip_reason(response: Response) -> str | None:
    """Why a response is not published (a stats key), or None when it is an HTML page."""
    if not isinstance(response, HtmlResponse):
        return "not_html"
    if not 200 <= response.status < 300:
        return f"status_{response.status}"
    return None


def http_headers(headers: Headers) -> dict[str, str]:
    """Response headers as the wire contract's strings: names as sent, repeated values joined
    with ", " (RFC 9110 5.3), bytes read as Latin-1 (what HTTP/1.1 allows)."""
    out: dict[str, str] = {}
    for name, values in headers.items():
        key = name.decode("latin-1")
        if key.lower() not in PRIVATE_HEADERS:
            out[key] = ", ".join(v.decode("latin-1") for v in values)
    return out


def raw_page(response: Response, fetched_at: datetime, source: str) -> PageFetched:
    """The raw page of an HTML response: its final URL (after redirects), its body as
    received (decompressed), its headers and fetch time; `InvalidMessage` if the URL breaks the
    contract."""
    return make_page(response.body, response.url, source=source,
                     headers=http_headers(response.headers), fetched_at=fetched_at)  # fmt: skip
