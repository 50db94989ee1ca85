"""The search page as HTML, from a `SearchPage`: every value escaped, no scripts, no CDN.

`render_search_page(page, params)` renders results (with "also on" links to the other copies
of a syndicated article), facets and the next-page link; `params` are the request's own query
parameters, reused to build links. Snippets come from the store already escaped with `<mark>`
around matches, so they are the only raw HTML here. `render_article_page(article)` shows one
stored article as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from html import escape
from importlib import resources
from urllib.parse import quote, urlencode, urlsplit

from indexer.search_models import (
    ALL_TYPES,
    DEFAULT_TYPES,
    FacetCount,
    SearchHit,
    SearchPage,
    Sort,
    site_key,
)
from shared.events import PAGE_TYPES, PageExtracted

__all__ = ["STYLESHEET", "render_article_page", "render_error_page", "render_search_page"]

STYLESHEET = (resources.files("indexer.web") / "static" / "style.css").read_text("utf-8")
_FORM_FIELDS = (
    "q", "site", "language", "author", "tag", "since", "until", "type", "sort", "recency",
)  # fmt: skip
_FACET_TITLES = {"page_type": "type"}
_FACET_PARAMS = {"page_type": "type"}
RECENCY_DAYS = 30
"""The half-life of the page's "favour recent" boost."""


def render_search_page(page: SearchPage, params: Mapping[str, str]) -> str:
    hits = "\n".join(_hit(hit) for hit in page.hits) or "<li>No articles match.</li>"
    noun = "article" if params.get("type", DEFAULT_TYPES[0]) == DEFAULT_TYPES[0] else "page"
    summary = f"{page.total} {noun}{'s' if page.total != 1 else ''}"
    if page.fuzzy:
        summary += " (no exact match: showing similar words)"
    more = ""
    if page.next_cursor:
        next_page = _link(params, cursor=page.next_cursor)
        more = f'<nav class="pages"><a href="{next_page}">Next page →</a></nav>'
    body = (
        f'<section><p class="summary">{escape(summary)}</p><ol class="hits">{hits}</ol>{more}'
        f"</section><aside class=facets>{_facets(page.facets, params)}</aside>"
    )
    return _document(params, body)


def render_article_page(article: PageExtracted) -> str:
    """One article: its title, where it comes from and its text, every character escaped."""
    url = article.canonical_url or article.url
    meta = [article.site_name or site_key(url) or "", _day(article.published)]
    meta.append(", ".join(article.authors))
    paragraphs = "".join(
        f"<p>{escape(line)}</p>" for line in article.text.splitlines() if line.strip()
    )
    body = (
        f'<article class="view"><h1>{escape(article.title)}</h1>'
        f'<div class="meta">{escape(" · ".join(m for m in meta if m))}</div>'
        f'<p class="source"><a href="{escape(_safe_url(url))}" rel="noopener noreferrer">'
        f"{escape(url)}</a></p>{paragraphs}</article>"
    )
    return _document({}, body, title=f"{article.title} – pagewire")


def render_error_page(message: str, params: Mapping[str, str]) -> str:
    return _document(params, f'<section><p class="error">{escape(message)}</p></section>')


def _document(params: Mapping[str, str], body: str, title: str | None = None) -> str:
    if title is None:
        title = f"{params['q']} – pagewire" if params.get("q") else "pagewire search"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="/static/style.css">'
        f"</head><body><header>{_form(params)}</header><main>{body}</main></body></html>"
    )


def _form(params: Mapping[str, str]) -> str:
    def field(name: str, label: str, kind: str = "text") -> str:
        value = escape(params.get(name, ""))
        return (
            f'<input type="{kind}" name="{name}" value="{value}"'
            f' placeholder="{label}" aria-label="{label}">'
        )

    recent = " checked" if params.get("recency") else ""
    kind = params.get("type") or DEFAULT_TYPES[0]
    kinds = "".join(
        f'<option value="{t}"{" selected" if t == kind else ""}>{t}</option>'
        for t in (*PAGE_TYPES, ALL_TYPES)
    )
    current = params.get("sort", Sort.RELEVANCE.value)
    options = "".join(
        f'<option value="{s.value}"{" selected" if s.value == current else ""}>{s.value}</option>'
        for s in Sort
    )
    return (
        '<form action="/" method="get" role="search">'
        f'{field("q", "Search articles")}<button type="submit">Search</button>'
        f"{field('site', 'site')}{field('language', 'language')}{field('author', 'author')}"
        f"{field('tag', 'section or tag')}"
        f"{field('since', 'since', 'date')}{field('until', 'until', 'date')}"
        f'<select name="type" aria-label="page type">{kinds}</select>'
        f'<select name="sort" aria-label="sort">{options}</select>'
        f'<label><input type="checkbox" name="recency" value="{RECENCY_DAYS}"{recent}>'
        " favour recent</label></form>"
    )


def _hit(hit: SearchHit) -> str:
    meta = [hit.site_name or hit.site or "", _day(hit.published), ", ".join(hit.authors)]
    if hit.page_type != DEFAULT_TYPES[0]:
        meta.append(hit.page_type)
    return (
        f'<li><a class="title" href="{escape(_safe_url(hit.url))}" rel="noopener noreferrer">'
        f"{escape(hit.title)}</a>"
        f'<div class="meta">{escape(" · ".join(m for m in meta if m))}'
        f' · <a class="view" href="/view/{escape(quote(hit.id, safe=""))}">text</a></div>'
        f'<p class="snippet">{hit.snippet}</p>{_also_on(hit)}</li>'
    )


def _also_on(hit: SearchHit) -> str:
    if not hit.also_on:
        return ""
    links = ", ".join(
        f'<a href="{escape(_safe_url(copy.url))}" rel="noopener noreferrer">'
        f"{escape(copy.site or copy.url)}</a>"
        for copy in hit.also_on
    )
    return f'<div class="also">also on: {links}</div>'


def _facets(facets: Mapping[str, list[FacetCount]], params: Mapping[str, str]) -> str:
    parts = []
    for name, counts in facets.items():
        if not counts:
            continue
        items = "".join(
            f'<li><a href="{_link(params, **_facet_filter(name, c.value))}">'
            f"{escape(c.value)}</a> ({c.count})</li>"
            for c in counts
        )
        parts.append(f"<h3>{escape(_FACET_TITLES.get(name, name))}</h3><ul>{items}</ul>")
    return "".join(parts)


def _facet_filter(name: str, value: str) -> dict[str, str]:
    if name != "month":
        return {_FACET_PARAMS.get(name, name): value}
    year, month = (int(part) for part in value.split("-"))
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return {"since": first.isoformat(), "until": last.isoformat()}


def _link(params: Mapping[str, str], **changes: str) -> str:
    merged = {k: v for k, v in params.items() if k in _FORM_FIELDS and v}
    merged.update(changes)
    return escape("/?" + urlencode(merged))


def _safe_url(url: str) -> str:
    """Only http(s) links; anything else (javascript:, data:, unparseable) is a dead link."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. "http://[oops": an invalid IPv6 host
        return "#"
    return url if scheme in {"http", "https"} else "#"


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""
