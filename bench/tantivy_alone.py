"""The search benchmark's floor: the same job done with tantivy alone.

A plain index with a simple schema (title and body with tantivy's default tokenizer, the body
stored, keyword fast fields, a date) and a search doing what a results page needs: the hits
with their count, the 10 stored bodies, tantivy's snippet generator, the facet aggregation
when asked. No stemming, no folding, no near-duplicate clusters, and no cache of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tantivy

from bench.search_timing import Params
from indexer.search_models import SearchRequest
from indexer.snippets import SNIPPET_CHARS
from shared.events import PageExtracted

FACETS = ("site", "language", "author", "month")


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=True)
    b.add_text_field("body", stored=True)
    for name in FACETS:
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    b.add_date_field("published", indexed=True, fast=True)
    return b.build()


def document(a: PageExtracted) -> tantivy.Document:
    assert a.published is not None
    return tantivy.Document(
        id=a.id, title=a.title, body=a.text, site=a.canonical_url.split("/")[2],
        language=a.language or "", author=a.authors[0].casefold(),
        month=f"{a.published:%Y-%m}", published=a.published,
    )  # fmt: skip


class TantivyAlone:
    """The same job done with tantivy alone: its default analyzer, no stemming, no folding."""

    def __init__(self, path: Path) -> None:
        self.schema = schema()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path))

    def search(self, params: Params) -> int:
        s, q = self.index.searcher(), self._query(params)
        result: Any = s.search(q, limit=10, count=True)
        generator = tantivy.SnippetGenerator.create(s, q, self.schema, "body")
        generator.set_max_num_chars(SNIPPET_CHARS)
        for _, address in result.hits:
            doc = s.doc(address)
            generator.snippet_from_doc(doc).to_html()
        if params.get("facets"):
            spec = {f: {"terms": {"field": f, "size": 10}} for f in FACETS}
            s.aggregate(q, spec)
        return int(result.count or 0)

    def _query(self, params: Params) -> tantivy.Query:
        schema, must = self.schema, []
        text = str(params.get("q", ""))
        for part in _parts(text):
            words = part.strip('"').split()
            if len(words) > 1:
                phrase: list[str | tuple[int, str]] = list(words)
                must.append(tantivy.Query.phrase_query(schema, "body", phrase))
            else:
                must.append(self.index.parse_query(words[0], ["title", "body"]))
        if "site" in params:
            must.append(tantivy.Query.term_query(schema, "site", params["site"]))
        if "language" in params:
            must.append(tantivy.Query.term_query(schema, "language", params["language"]))
        if "since" in params:
            since = SearchRequest.build(since=params["since"], until=params["until"]).filters
            must.append(
                tantivy.Query.range_query(
                    schema, "published", tantivy.FieldType.Date,
                    since.since, since.until, include_upper=False,
                )
            )  # fmt: skip
        occur = tantivy.Occur.Must
        return tantivy.Query.boolean_query([(occur, q) for q in must])


def _parts(text: str) -> list[str]:
    """`a "b c" d` -> ['a', '"b c"', 'd']."""
    out, rest = [], text
    while rest.strip():
        rest = rest.strip()
        if rest.startswith('"'):
            end = rest.index('"', 1)
            out.append(rest[: end + 1])
            rest = rest[end + 1 :]
        else:
            word, _, rest = rest.partition(" ")
            out.append(word)
    return out
