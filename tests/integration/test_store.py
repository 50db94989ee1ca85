"""TantivyStore against a real index in tmp_path: what is stored, found, ranked and shown."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indexer.errors import QueryError, StoreError, StoreLockedError
from indexer.search_models import SearchPage, SearchRequest
from indexer.store import TantivyStore
from tests.factories import article


def search(store: TantivyStore, q: str = "", **params: object) -> SearchPage:
    return store.search(SearchRequest.build(q, **params))  # type: ignore[arg-type]


def ids(page: SearchPage) -> list[str]:
    return [hit.id for hit in page.hits]


class TestUpsert:
    def test_redelivery_leaves_one_document(self, store: TantivyStore) -> None:
        event = article("a", title="Tea")
        assert store.upsert([event]) == 1
        assert store.upsert([event]) == 0
        assert store.count() == 1
        assert search(store, "tea").total == 1

    def test_newer_fetch_replaces(self, store: TantivyStore) -> None:
        store.upsert([article("a", title="Old tea", fetched_minutes=0)])
        assert store.upsert([article("a", title="New coffee", fetched_minutes=10)]) == 1
        assert store.count() == 1
        assert store.get("a") == article("a", title="New coffee", fetched_minutes=10)
        assert search(store, "tea").total == 0
        assert ids(search(store, "coffee")) == ["a"]

    def test_older_does_not_replace_newer(self, store: TantivyStore) -> None:
        store.upsert([article("a", title="New coffee", fetched_minutes=10)])
        assert store.upsert([article("a", title="Old tea", fetched_minutes=0)]) == 0
        stored = store.get("a")
        assert stored is not None and stored.title == "New coffee"

    def test_later_extraction_of_same_fetch_replaces(self, store: TantivyStore) -> None:
        store.upsert([article("a", title="First", extracted_minutes=1)])
        store.upsert([article("a", title="Second", extracted_minutes=2)])
        stored = store.get("a")
        assert stored is not None and stored.title == "Second"

    def test_without_fetch_time_extraction_time_decides(self, store: TantivyStore) -> None:
        store.upsert([article("a", title="Later", fetched_minutes=None, extracted_minutes=9)])
        store.upsert([article("a", title="Earlier", fetched_minutes=None, extracted_minutes=3)])
        stored = store.get("a")
        assert stored is not None and stored.title == "Later"

    def test_duplicates_in_one_batch_collapse_to_newest(self, store: TantivyStore) -> None:
        batch = [
            article("a", title="Middle", fetched_minutes=5),
            article("a", title="Newest", fetched_minutes=9),
            article("a", title="Oldest", fetched_minutes=1),
            article("b", title="Other"),
        ]
        assert store.upsert(batch) == 2
        assert store.count() == 2
        stored = store.get("a")
        assert stored is not None and stored.title == "Newest"

    def test_empty_batch(self, store: TantivyStore) -> None:
        assert store.upsert([]) == 0

    def test_get_unknown(self, store: TantivyStore) -> None:
        assert store.get("nope") is None

    def test_naive_and_ancient_dates_are_stored(self, store: TantivyStore) -> None:
        odd = article("a", published=datetime(1200, 1, 1), fetched_at=datetime(2024, 1, 1))
        assert store.upsert([odd]) == 1
        assert store.get("a") == odd

    def test_reopen_after_close_keeps_data(self, tmp_path: Path) -> None:
        with TantivyStore.open(tmp_path / "ix") as first:
            first.upsert([article("a", title="Persistent tea")])
        with TantivyStore.open(tmp_path / "ix") as second:
            assert second.count() == 1
            assert ids(search(second, "tea")) == ["a"]
            assert second.upsert([article("a", title="Persistent tea")]) == 0

    def test_one_writer_per_directory(self, store: TantivyStore, tmp_path: Path) -> None:
        with pytest.raises(StoreLockedError):
            TantivyStore.open(tmp_path / "index")
        with TantivyStore.open(tmp_path / "index", read_only=True) as reader:
            assert reader.count() == 0
            with pytest.raises(StoreError, match="read-only"):
                reader.upsert([article()])

    def test_closed_store_refuses(self, tmp_path: Path) -> None:
        closed = TantivyStore.open(tmp_path / "c")
        closed.close()
        with pytest.raises(StoreError, match="closed"):
            closed.upsert([article()])
        with pytest.raises(StoreError, match="closed"):
            closed.count()

    def test_concurrent_writes_and_reads(self, store: TantivyStore) -> None:
        errors: list[BaseException] = []

        def write(worker: int) -> None:
            try:
                for i in range(10):
                    store.upsert([article(f"{worker}-{i}", title="Concurrent tea")])
                    search(store, "tea")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert search(store, "tea").total == 40


@pytest.fixture
def corpus(store: TantivyStore) -> TantivyStore:
    store.upsert([
        article("title", title="Climate change in the Alps", text="Glaciers retreat every year.",
                description="A report from the high valleys",
                site="news.example", language="en-GB", authors=["Jane Doe"],
                published=datetime(2024, 3, 10, tzinfo=UTC)),
        article("body", title="Mountain report", text="A note on climate, among other things.",
                description="Notes from a walk in the hills",
                site="blog.example", language="en", authors=["John Roe"],
                published=datetime(2023, 7, 1, tzinfo=UTC)),
        article("desc", title="Weekly digest", description="Climate, football and the weather",
                text="Football results and transfers.", site="blog.example", language="de",
                published=datetime(2022, 1, 5, tzinfo=UTC)),
        article("photo", title="Photography basics", text="Photographers take photos of change.",
                description="How to take better pictures outdoors",
                site="www.news.example", authors=["Jane Doe", "Ann Poe"]),
        article("xss", title="Escaping <b>matters</b>",
                text="Never trust <script>alert('x')</script> in text & attributes."),
    ])  # fmt: skip
    return store


class TestSearch:
    def test_finds_by_title_and_body(self, corpus: TantivyStore) -> None:
        assert set(ids(search(corpus, "glaciers"))) == {"title"}
        assert set(ids(search(corpus, "alps"))) == {"title"}

    def test_title_outranks_description_outranks_body(self, corpus: TantivyStore) -> None:
        assert ids(search(corpus, "climate")) == ["title", "desc", "body"]

    def test_all_words_must_match(self, corpus: TantivyStore) -> None:
        assert ids(search(corpus, "climate glaciers")) == ["title"]
        assert search(corpus, "climate photographers").total == 0

    def test_phrase(self, corpus: TantivyStore) -> None:
        assert ids(search(corpus, '"climate change"')) == ["title"]
        assert search(corpus, '"change climate"').total == 0

    def test_exclusion(self, corpus: TantivyStore) -> None:
        assert set(ids(search(corpus, "climate -football"))) == {"title", "body"}
        assert set(ids(search(corpus, 'climate -"other things"'))) == {"title", "desc"}

    def test_exclusion_only(self, corpus: TantivyStore) -> None:
        assert set(ids(search(corpus, "-climate"))) == {"photo", "xss"}

    def test_or(self, corpus: TantivyStore) -> None:
        assert set(ids(search(corpus, "glaciers OR transfers"))) == {"title", "desc"}

    def test_prefix(self, corpus: TantivyStore) -> None:
        assert ids(search(corpus, "photog*")) == ["photo"]
        assert search(corpus, "zzzz*").total == 0

    def test_accents_and_case_are_folded(self, corpus: TantivyStore) -> None:
        corpus.upsert([article("cafe", title="Café CRÈME")])
        assert ids(search(corpus, "cafe creme")) == ["cafe"]
        assert ids(search(corpus, "CAFÉ")) == ["cafe"]

    def test_hyphenated_word_is_a_phrase(self, corpus: TantivyStore) -> None:
        corpus.upsert([article("mail", text="Send an e-mail today.")])
        assert ids(search(corpus, "e-mail")) == ["mail"]

    def test_typo_falls_back_to_fuzzy(self, corpus: TantivyStore) -> None:
        page = search(corpus, "glaciars")
        assert page.fuzzy is True
        assert ids(page) == ["title"]
        assert page.hits[0].snippet == "<mark>Glaciers</mark> retreat every year"
        assert search(corpus, "glaciers").fuzzy is False

    def test_known_words_are_not_typos(self, corpus: TantivyStore) -> None:
        # Both words are in the index, just never together: nothing is "corrected".
        page = search(corpus, "glaciers football")
        assert (page.total, page.fuzzy) == (0, False)

    def test_hostile_syntax_is_plain_text(self, corpus: TantivyStore) -> None:
        for q in [
            "(climate)",
            "climate^",
            "climate~",
            "[climate",
            "{climate}",
            "+climate!",
            "\\climate",
        ]:
            assert "title" in ids(search(corpus, q)), q
        assert ids(search(corpus, "alps:climate")) == []  # a phrase of two plain words
        assert ids(search(corpus, "climate:change")) == ["title"]

    def test_filters(self, corpus: TantivyStore) -> None:
        assert set(ids(search(corpus, "", site="blog.example"))) == {"body", "desc"}
        assert set(ids(search(corpus, "", site="https://news.example/"))) == {"title", "photo"}
        assert ids(search(corpus, "climate", language="EN")) == ["title", "body"]
        assert set(ids(search(corpus, "", author="jane doe"))) == {"title", "photo"}
        assert ids(search(corpus, "", since="2023-01-01", until="2023-12-31")) == ["body"]
        assert ids(search(corpus, "", until="2022-01-05")) == ["desc"]

    def test_sort_by_date(self, corpus: TantivyStore) -> None:
        dated = {"since": "2000-01-01"}
        assert ids(search(corpus, "", sort="newest", **dated)) == ["title", "body", "desc"]
        assert ids(search(corpus, "", sort="oldest", **dated)) == ["desc", "body", "title"]
        assert all(hit.score is None for hit in search(corpus, "", sort="newest").hits)

    def test_cursor_pages_through_everything(self, corpus: TantivyStore) -> None:
        seen: list[str] = []
        page = search(corpus, "", limit=2)
        seen += ids(page)
        while page.next_cursor:
            page = search(corpus, "", limit=2, cursor=page.next_cursor)
            seen += ids(page)
        assert sorted(seen) == sorted(["title", "body", "desc", "photo", "xss"])

    def test_hit_fields(self, corpus: TantivyStore) -> None:
        (hit,) = search(corpus, "glaciers").hits
        assert hit.title == "Climate change in the Alps"
        assert hit.url == "https://news.example/title"
        assert (hit.site, hit.language, hit.authors) == ("news.example", "en", ["Jane Doe"])
        assert hit.published == datetime(2024, 3, 10, tzinfo=UTC)
        assert hit.score is not None and hit.score > 0

    def test_snippet_marks_matches(self, corpus: TantivyStore) -> None:
        (hit,) = search(corpus, "glaciers").hits
        assert hit.snippet == "<mark>Glaciers</mark> retreat every year"

    def test_snippet_escapes_html(self, corpus: TantivyStore) -> None:
        (hit,) = search(corpus, "script").hits
        assert "<script>" not in hit.snippet
        assert "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)" in hit.snippet
        assert "&amp;" in hit.snippet

    def test_snippet_marks_non_ascii_words_at_the_right_place(self, store: TantivyStore) -> None:
        store.upsert([article("u", text="Ünïcödé prose about the crème brûlée recipe.")])
        (hit,) = search(store, "brulee").hits
        assert "<mark>brûlée</mark> recipe" in hit.snippet

    def test_snippet_without_body_match_is_the_escaped_lead(self, corpus: TantivyStore) -> None:
        (hit,) = search(corpus, "escaping").hits
        expected = (
            "Never trust &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
            " in text &amp; attributes."
        )
        assert hit.snippet == expected

    def test_facets(self, corpus: TantivyStore) -> None:
        facets = search(corpus, "climate", facets=True).facets
        assert {(f.value, f.count) for f in facets["site"]} == {
            ("news.example", 1),
            ("blog.example", 2),
        }
        assert {f.value for f in facets["language"]} == {"en", "de"}
        assert {(f.value, f.count) for f in facets["author"]} == {("Jane Doe", 1), ("John Roe", 1)}
        assert {f.value for f in facets["month"]} == {"2024-03", "2023-07", "2022-01"}

    def test_similar(self, corpus: TantivyStore) -> None:
        corpus.upsert(
            [article("glacier2", title="Glaciers retreat", text="Glaciers retreat in the Alps.")]
        )
        similar = corpus.similar("glacier2")
        assert similar is not None
        assert similar[0].id == "title"
        assert "glacier2" not in [hit.id for hit in similar]
        assert corpus.similar("unknown") is None


class TestStemming:
    @pytest.fixture
    def stemmed(self, store: TantivyStore) -> TantivyStore:
        store.upsert([
            article("runs", title="Morning runs", text="She runs every morning."),
            article("running", title="Running shoes", text="Running needs good shoes."),
            article("haus", title="Die Häuser am See", text="Alte Häuser.", language="de"),
            article("pl", title="Biegają szybko", text="Biegają.", language="pl"),
        ])  # fmt: skip
        return store

    def test_word_forms_match_and_exact_form_ranks_first(self, stemmed: TantivyStore) -> None:
        assert ids(search(stemmed, "running")) == ["running", "runs"]
        assert ids(search(stemmed, "runs")) == ["runs", "running"]

    def test_stemmed_in_the_articles_language(self, stemmed: TantivyStore) -> None:
        assert ids(search(stemmed, "haus")) == ["haus"]
        assert ids(search(stemmed, "haus", language="de")) == ["haus"]
        assert search(stemmed, "haus", language="en").total == 0

    def test_unsupported_language_matches_as_written(self, stemmed: TantivyStore) -> None:
        assert ids(search(stemmed, "biegają")) == ["pl"]
        assert ids(search(stemmed, "biegaja", language="pl")) == ["pl"]

    def test_phrases_are_not_stemmed(self, stemmed: TantivyStore) -> None:
        assert ids(search(stemmed, '"she running"')) == []
        assert ids(search(stemmed, '"she runs"')) == ["runs"]

    def test_snippet_marks_the_form_that_matched(self, stemmed: TantivyStore) -> None:
        hits = {hit.id: hit.snippet for hit in search(stemmed, "running").hits}
        assert hits["runs"] == "She <mark>runs</mark> every morning"
        assert hits["running"] == "<mark>Running</mark> needs good shoes"
        (german,) = search(stemmed, "haus").hits
        assert german.snippet == "Alte <mark>Häuser</mark>"

    def test_new_forms_are_found_after_a_commit(self, store: TantivyStore) -> None:
        store.upsert([article("a", text="She runs every morning.", language="en")])
        assert ids(search(store, "running")) == ["a"]
        store.upsert([article("b", text="They run daily.", language="en")])
        assert sorted(ids(search(store, "running"))) == ["a", "b"]  # "run" is new: not cached

    def test_a_language_new_to_the_index_is_stemmed_after_a_commit(
        self, store: TantivyStore
    ) -> None:
        store.upsert([article("en", text="Old houses by the lake.", language="en")])
        assert ids(search(store, "haus")) == []  # the index's languages are read (and cached)
        store.upsert([article("de", text="Alte Häuser am See.", language="de")])
        assert ids(search(store, "haus")) == ["de"]  # German is one of them now

    def test_ukrainian_word_forms(self, store: TantivyStore) -> None:
        store.upsert([
            article("uk", title="Нові книги", text="Бібліотека має нові книги.", language="uk"),
            article("ru", title="Новые книги", text="Библиотека получила книги.", language="ru"),
        ])  # fmt: skip
        assert ids(search(store, "книгами", language="uk")) == ["uk"]
        assert sorted(ids(search(store, "книгами"))) == ["ru", "uk"]
        (hit,) = search(store, "книгою", language="uk").hits
        assert "<mark>книги</mark>" in hit.snippet

    def test_a_stem_only_meets_articles_in_its_language(self, stemmed: TantivyStore) -> None:
        stemmed.upsert([article("en-lemon", text="Lemons and limes.", language="en")])
        # The Swedish stemmer reduces "lemonade" to "lemon"; English does not.
        assert ids(search(stemmed, "limes -lemonade")) == ["en-lemon"]


class TestStopWords:
    """A language's stop words are not required of articles in that language."""

    @pytest.fixture
    def mixed(self, store: TantivyStore) -> TantivyStore:
        store.upsert([
            article("en-the", text="Glaciers retreat in the Alps.", language="en"),
            article("en", text="Glaciers retreat fast.", language="en"),
            article("de", text="Die Glaciers schmelzen.", language="de"),
            article("de-no", text="Glaciers schmelzen.", language="de"),
        ])  # fmt: skip
        return store

    def test_stop_word_is_optional_in_its_own_language_only(self, mixed: TantivyStore) -> None:
        assert sorted(ids(search(mixed, "the glaciers"))) == ["en", "en-the"]
        assert sorted(ids(search(mixed, "die glaciers"))) == ["de", "de-no"]

    def test_stop_word_still_counts_where_it_occurs(self, mixed: TantivyStore) -> None:
        assert ids(search(mixed, "the glaciers"))[0] == "en-the"

    def test_a_query_of_stop_words_only_requires_them_all(self, mixed: TantivyStore) -> None:
        assert ids(search(mixed, "in the")) == ["en-the"]

    def test_phrases_keep_stop_words(self, mixed: TantivyStore) -> None:
        assert ids(search(mixed, '"in the alps"')) == ["en-the"]
        assert ids(search(mixed, '"the alps"', language="de")) == []


def test_filter_by_section_or_tag(store: TantivyStore) -> None:
    store.upsert([
        article("world", text="Tide news", section="World News", tags=["Oceans", "Climate"]),
        article("sport", text="Tide news", section="Sport", tags=["Sailing"]),
    ])  # fmt: skip
    assert ids(search(store, "tide", tag="world  news")) == ["world"]
    assert ids(search(store, "tide", tag="SAILING")) == ["sport"]
    assert ids(search(store, "", tag="climate")) == ["world"]
    assert search(store, "tide", tag="politics").total == 0


class TestRecency:
    def test_recency_boost_lifts_recent_articles(self, store: TantivyStore) -> None:
        now = datetime.now(UTC)
        store.upsert([
            article("old", title="Tide tables", text="Tide tables and tide times.",
                    published=now - timedelta(days=400)),
            article("new", title="Tide tables", text="Tide tables for the week.",
                    published=now - timedelta(days=1)),
        ])  # fmt: skip
        assert ids(search(store, "tide")) == ["old", "new"]  # "tide" twice: BM25 prefers it
        boosted = search(store, "tide", recency=30)
        assert ids(boosted) == ["new", "old"]
        assert boosted.hits[0].score is not None and boosted.hits[1].score is not None
        assert boosted.hits[0].score > boosted.hits[1].score
        # The boost only reorders by relevance: date orders ignore it.
        assert ids(search(store, "tide", sort="oldest", recency=30)) == ["old", "new"]

    def test_recency_is_validated(self) -> None:
        for bad in (0, -3, 100_000):
            with pytest.raises(QueryError, match="recency"):
                SearchRequest.build("tide", recency=bad)


def test_index_with_another_schema_is_refused_with_advice(tmp_path: Path) -> None:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("something_else")
    tantivy.Index(builder.build(), path=str(tmp_path))
    with pytest.raises(StoreError, match="another schema"):
        TantivyStore.open(tmp_path)


def test_typo_tolerance_never_widens_an_exclusion(store: TantivyStore) -> None:
    store.upsert([article("a", text="green tea, lemon"), article("b", text="green tea, lemons")])
    assert ids(search(store, "tea -lemon")) == []  # "lemons" is excluded as a word form
    page = search(store, "grean -lemonade")  # the typo is fixed; "lemonade" stays exact
    assert page.fuzzy
    assert sorted(ids(page)) == ["a", "b"]


def test_words_standing_together_rank_first(store: TantivyStore) -> None:
    store.upsert([
        article("apart", title="Notes", text="Change is slow; the climate is not."),
        article("together", title="Notes",
                text="A new policy on climate change was announced today by the minister."),
    ])  # fmt: skip
    # Without the proximity boost the shorter text ("apart") would win on BM25 alone.
    assert ids(search(store, "climate change")) == ["together", "apart"]


class TestSnippetsOfLongBodies:
    """Long bodies: the snippet is looked for near the first match only (cheap), or not at
    all in the body when the article matched elsewhere."""

    FILLER = "Nothing of note happens in this sentence at all. " * 60

    def test_deep_match_is_marked(self, store: TantivyStore) -> None:
        text = self.FILLER + "Then the glaciers retreat fast. " + self.FILLER
        store.upsert([article("a", text=text)])
        (hit,) = search(store, "glaciers").hits
        assert hit.snippet.startswith("… ")
        assert "<mark>glaciers</mark> retreat fast" in hit.snippet

    def test_deep_stemmed_match_is_marked(self, store: TantivyStore) -> None:
        text = self.FILLER + "She runs every morning. " + self.FILLER
        store.upsert([article("a", text=text, language="en")])
        (hit,) = search(store, "running").hits
        assert "<mark>runs</mark> every morning" in hit.snippet

    def test_title_only_match_shows_the_lead(self, store: TantivyStore) -> None:
        store.upsert([article("a", title="Glaciers", text=self.FILLER, language="en")])
        (hit,) = search(store, "glaciers").hits
        assert hit.snippet.startswith("Nothing of note") and "<mark>" not in hit.snippet

    def test_prefix_query_finds_a_deep_match(self, store: TantivyStore) -> None:
        store.upsert([article("a", text=self.FILLER + "Photography is an art. " + self.FILLER)])
        (hit,) = search(store, "photo*").hits
        assert "<mark>Photography</mark> is an art" in hit.snippet


def test_a_newer_engine_replaces_the_same_fetch_and_an_older_never(store: TantivyStore) -> None:
    first = article("e1", text="first engine", engine_version=1)
    assert store.upsert([first]) == 1
    newer = article("e1", text="second engine", engine_version=2, extracted_minutes=2)
    late_old = article("e1", text="first engine again", engine_version=1, extracted_minutes=9)
    assert store.upsert([newer]) == 1
    assert store.upsert([late_old, newer]) == 0
    held = store.get("e1")
    assert held is not None and (held.text, held.engine_version) == ("second engine", 2)
    assert store.count() == 1
