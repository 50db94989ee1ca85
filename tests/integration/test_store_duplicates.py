"""Duplicates folded, against a real index: URL variants are one document, syndicated copies
(near duplicates on other sites) one result with `also_on`, consistently across pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import tantivy

from extractor.core import extract_page
from indexer.errors import StoreError
from indexer.search_models import SearchPage, SearchRequest
from indexer.store import TantivyStore
from shared import dedup
from shared.events import PageExtracted, PageFetched
from tests.factories import article
from tests.unit.test_dedup import OTHER, WIRE


def search(store: TantivyStore, q: str = "", **params: object) -> SearchPage:
    return store.search(SearchRequest.build(q, **params))  # type: ignore[arg-type]


def copy(site: str, header: str, footer: str = "", *, minutes: int = 0) -> PageExtracted:
    text = f"{header}\n{WIRE}\n{footer}".strip()
    return article(
        f"wire-{site}", site=site, title="Floods cut off valley villages", text=text,
        fetched_minutes=minutes, published=datetime(2024, 5, 1, 9, minutes, tzinfo=UTC),
    )  # fmt: skip


SYNDICATED = [
    copy("wire.example.com", "(Wire) —", minutes=0),
    copy("valleypost.example.org", "By Staff | The Valley Post", "(c) Valley Post", minutes=5),
    copy("dailyherald.example.net", "Daily Herald — News in brief", "Read more news.", minutes=9),
]  # fmt: skip


def story(n: int, site: str, *, minutes: int = 0) -> PageExtracted:
    """A long article `n` (texts of different n are different stories) on `site`."""
    words = " ".join(f"topic{n}word{i}" for i in range(60))
    return article(
        f"s{n}-{site}", site=site, title=f"Story {n} about valleys", text=f"{words} {site}",
        fetched_minutes=minutes, published=datetime(2024, 5, 2, 0, n, tzinfo=UTC),
    )  # fmt: skip


class TestSyndicatedCopies:
    def test_three_sites_syndicating_one_story_give_one_result(self, store: TantivyStore) -> None:
        for event in SYNDICATED:  # one at a time: each copy meets the indexed ones
            store.upsert([event])
        store.upsert([article("other", title="Orchestra season", text=OTHER)])
        assert store.count() == 4
        page = search(store, "floods valley")
        assert page.total == 3  # documents
        assert len(page.hits) == 1
        (hit,) = page.hits
        assert {a.site for a in hit.also_on} | {hit.site} == {
            "wire.example.com", "valleypost.example.org", "dailyherald.example.net",
        }  # fmt: skip
        assert len(hit.also_on) == 2
        assert all(a.url.startswith("https://") and a.id for a in hit.also_on)

    def test_copies_in_one_batch_are_grouped_too(self, store: TantivyStore) -> None:
        assert store.upsert(SYNDICATED) == 3
        page = search(store, "floods")
        assert len(page.hits) == 1 and len(page.hits[0].also_on) == 2

    def test_the_best_ranked_copy_is_shown(self, store: TantivyStore) -> None:
        store.upsert(SYNDICATED)
        assert search(store, sort="newest").hits[0].id == "wire-dailyherald.example.net"
        assert search(store, sort="oldest").hits[0].id == "wire-wire.example.com"
        # "valley post" matches one copy's header only: that copy is the only match.
        only = search(store, '"valley post"')
        assert [h.id for h in only.hits] == ["wire-valleypost.example.org"]
        assert len(only.hits[0].also_on) == 2

    def test_a_filter_shows_the_copy_it_selects(self, store: TantivyStore) -> None:
        store.upsert(SYNDICATED)
        page = search(store, "floods", site="dailyherald.example.net")
        assert [h.id for h in page.hits] == ["wire-dailyherald.example.net"]
        assert {a.site for a in page.hits[0].also_on} == {
            "wire.example.com", "valleypost.example.org",
        }  # fmt: skip

    def test_facets_count_documents(self, store: TantivyStore) -> None:
        store.upsert(SYNDICATED)
        page = search(store, "floods", facets=True)
        assert sum(f.count for f in page.facets["site"]) == 3
        assert page.total == 3

    def test_different_stories_and_short_texts_stay_apart(self, store: TantivyStore) -> None:
        store.upsert([story(1, "a.example.com"), story(2, "a.example.com")])
        store.upsert([article("x", title="Tea one"), article("y", title="Tea two")])
        assert len(search(store, "valleys").hits) == 2
        assert len(search(store, "tea").hits) == 2
        assert all(not h.also_on for h in search(store).hits)

    def test_similar_leaves_out_the_copies(self, store: TantivyStore) -> None:
        store.upsert([*SYNDICATED, article("other", title="Orchestra", text=OTHER)])
        similar = store.similar("wire-wire.example.com")
        assert similar is not None
        assert not {h.id for h in similar} & {e.id for e in SYNDICATED}

    def test_a_replaced_copy_stays_in_its_cluster(self, store: TantivyStore) -> None:
        store.upsert(SYNDICATED)
        first = SYNDICATED[0]
        newer = first.model_copy(update={"fetched_at": datetime(2024, 6, 1, tzinfo=UTC)})
        assert store.upsert([newer]) == 1
        later = SYNDICATED[1].model_copy(update={"fetched_at": datetime(2024, 6, 2, tzinfo=UTC)})
        assert store.upsert([later]) == 1
        page = search(store, "floods")
        assert len(page.hits) == 1 and len(page.hits[0].also_on) == 2

    def test_a_copy_rewritten_into_another_story_leaves_the_cluster(
        self, store: TantivyStore
    ) -> None:
        store.upsert(SYNDICATED)
        changed = SYNDICATED[2].model_copy(
            update={"text": OTHER, "fetched_at": datetime(2024, 6, 1, tzinfo=UTC)}
        )
        store.upsert([changed])
        assert len(search(store).hits) == 2


class TestPagination:
    @pytest.mark.parametrize("sort", ["relevance", "newest", "oldest", "recency"])
    @pytest.mark.parametrize("limit", [1, 2, 3])
    def test_every_cluster_shows_once_across_pages(
        self, store: TantivyStore, sort: str, limit: int
    ) -> None:
        sites = ["a.example.com", "b.example.org", "c.example.net"]
        # Story n has n % 3 + 1 copies, indexed in interleaved batches.
        events = [story(n, sites[k], minutes=k) for n in range(8) for k in range(n % 3 + 1)]
        store.upsert(events[::2])
        store.upsert(events[1::2])
        shown: list[str] = []
        copies = 0
        cursor: str | None = None
        for _ in range(20):
            order = {"sort": "relevance", "recency": 30} if sort == "recency" else {"sort": sort}
            page = search(store, "valleys", limit=limit, cursor=cursor, **order)
            assert page.hits, "a page is never empty while a cursor points to it"
            assert len(page.hits) <= limit
            shown += [h.id.split("-")[0] for h in page.hits]
            copies += sum(len(h.also_on) for h in page.hits)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert sorted(shown) == [f"s{n}" for n in range(8)]
        assert copies == len(events) - 8

    def test_a_big_cluster_does_not_starve_a_page(self, store: TantivyStore) -> None:
        sites = [f"site{i}.example.com" for i in range(40)]
        store.upsert([copy(site, f"{site} header") for site in sites])
        store.upsert([story(1, "a.example.com"), article("floodsx", title="floods", text=OTHER)])
        page = search(store, "floods", limit=1, sort="newest")
        ids = [h.id for h in page.hits]
        pages = [ids]
        while page.next_cursor:
            page = search(store, "floods", limit=1, sort="newest", cursor=page.next_cursor)
            pages.append([h.id for h in page.hits])
        assert len(pages) == 2 and all(len(p) == 1 for p in pages)
        assert sum(len(h.also_on) for h in search(store, "floods").hits) == 10  # ALSO_ON_MAX


class TestUrlVariants:
    def test_an_amp_page_and_its_canonical_page_are_one_document(self, store: TantivyStore) -> None:
        body = "".join(f"<p>{p}</p>" for p in WIRE.split(". "))
        canonical = "https://www.example.com/news/floods"
        pages = [
            PageFetched(
                url=canonical,
                content=_html(
                    body, '<link rel="amphtml" href="https://amp.example.com/news/floods">'
                ),
                fetched_at=datetime(2024, 5, 1, 10, tzinfo=UTC),
            ),
            PageFetched(
                url="https://amp.example.com/news/floods?amp=1",
                content=_html(body, f'<link rel="canonical" href="{canonical}">'),
                fetched_at=datetime(2024, 5, 1, 11, tzinfo=UTC),
            ),
            PageFetched(  # an AMP page that forgot its canonical
                url="https://m.example.com/news/floods/amp/",
                content=_html(body),
                fetched_at=datetime(2024, 5, 1, 12, tzinfo=UTC),
            ),
        ]
        events = [extract_page(p) for p in pages]
        assert all(isinstance(e, PageExtracted) for e in events), events
        assert len({e.id for e in events if isinstance(e, PageExtracted)}) == 1
        for event in events:
            assert isinstance(event, PageExtracted)
            store.upsert([event])
        assert store.count() == 1
        assert search(store, "floods").total == 1


class TestSignatureFromTheExtractor:
    """The band terms an event carries (`dedup_signature`) save the indexer computing them;
    they only ever bring candidates, which the texts then confirm or not."""

    def test_the_extractor_publishes_the_band_terms_of_the_text(self) -> None:
        page = PageFetched(url="https://wire.example.com/floods", content=_html(f"<p>{WIRE}</p>"))
        event = extract_page(page)
        assert isinstance(event, PageExtracted)
        assert dedup.decode(event.dedup_signature) == dedup.bands(event.text)
        typed = '<meta property="og:type" content="article">'  # short, and still an article
        short_page = _html("<p>Rescue teams reached the villages.</p>", typed)
        short = extract_page(PageFetched(url="https://a.example/s", content=short_page))
        assert isinstance(short, PageExtracted) and short.dedup_signature is None

    def test_copies_with_and_without_the_signature_are_grouped(self, store: TantivyStore) -> None:
        first, second, third = SYNDICATED
        signed = first.model_copy(update={"dedup_signature": _signature(first.text)})
        other_scheme = third.model_copy(
            update={"dedup_signature": "minhash-1x1-v0:" + "0" * 16 * dedup.BANDS}
        )
        for event in (signed, second, other_scheme):
            store.upsert([event])
        page = search(store, "floods")
        assert page.total == 3 and len(page.hits) == 1 and len(page.hits[0].also_on) == 2

    def test_borrowed_band_terms_do_not_make_an_article_a_copy(self, store: TantivyStore) -> None:
        store.upsert([SYNDICATED[0]])
        impostor = article(
            "impostor", site="other.example", title="Orchestra season", text=OTHER,
            dedup_signature=_signature(SYNDICATED[0].text),
        )  # fmt: skip
        store.upsert([impostor])
        page = search(store, "orchestra")
        assert [h.id for h in page.hits] == ["impostor"] and page.hits[0].also_on == []
        assert len(search(store, "floods").hits[0].also_on) == 0

    def test_the_carried_band_terms_are_the_ones_indexed(self, store: TantivyStore) -> None:
        # Wrong terms (another text's) are used as given: they can cost a grouping, as here,
        # and never make one (above).
        first, second, _ = SYNDICATED
        store.upsert([first.model_copy(update={"dedup_signature": _signature(OTHER)})])
        store.upsert([second])
        assert len(search(store, "floods").hits) == 2


def _signature(text: str) -> str:
    value = dedup.encoded_bands(text)
    assert value is not None
    return value


def _html(body: str, head: str = "") -> str:
    return (
        "<!doctype html><html lang='en'><head><title>Floods cut off valley villages</title>"
        f"{head}</head><body><article><h1>Floods cut off valley villages</h1>{body}"
        "</article></body></html>"
    )


def test_an_index_with_an_older_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_bytes_field("doc", stored=True)  # the event as bytes, before the text field
    old = tantivy.Index(builder.build(), path=str(tmp_path))
    del old
    with pytest.raises(StoreError, match="another schema"):
        TantivyStore.open(tmp_path)
