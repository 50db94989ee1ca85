"""The query language and SearchRequest validation: pure, no index, no I/O."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import QueryError
from indexer.query_parser import MAX_CLAUSES, AnyOf, ParsedQuery, Phrase, Word, parse_query
from indexer.search_models import (
    MAX_OFFSET,
    SearchRequest,
    Sort,
    author_key,
    encode_cursor,
    language_key,
    parse_bound,
    site_key,
)


def words(*texts: str) -> tuple[Word, ...]:
    return tuple(Word(t) for t in texts)


class TestLanguage:
    def test_words_are_all_required(self) -> None:
        assert parse_query("climate change") == ParsedQuery(required=words("climate", "change"))

    def test_quoted_phrase(self) -> None:
        parsed = parse_query('"climate change" now')
        assert parsed.required == (Phrase(("climate", "change")), Word("now"))

    def test_unbalanced_quote_runs_to_the_end(self) -> None:
        assert parse_query('tea "green leaf').required == (Word("tea"), Phrase(("green", "leaf")))

    def test_smart_quotes_are_quotes(self) -> None:
        assert parse_query("\u201cgreen tea\u201d").required == (Phrase(("green", "tea")),)

    def test_one_word_phrase_is_a_word(self) -> None:
        assert parse_query('"tea"').required == (Word("tea"),)

    def test_exclusion_of_words_and_phrases(self) -> None:
        parsed = parse_query('match -football -"world cup"')
        assert parsed.required == (Word("match"),)
        assert parsed.excluded == (Word("football"), Phrase(("world", "cup")))

    def test_or_binds_tighter_than_and(self) -> None:
        parsed = parse_query('tea OR coffee OR "hot chocolate" cake')
        group = AnyOf((Word("tea"), Word("coffee"), Phrase(("hot", "chocolate"))))
        assert parsed.required == (group, Word("cake"))

    def test_lowercase_or_is_a_word(self) -> None:
        assert parse_query("tea or coffee").required == words("tea", "or", "coffee")

    @pytest.mark.parametrize("text", ["OR tea", "tea OR", "tea OR OR", "OR OR tea"])
    def test_dangling_or_is_ignored(self, text: str) -> None:
        assert parse_query(text).required == words("tea")

    def test_or_next_to_an_exclusion_is_ignored(self) -> None:
        parsed = parse_query("tea OR -coffee cake")
        assert parsed.required == words("tea", "cake")
        assert parsed.excluded == words("coffee")

    def test_prefix(self) -> None:
        assert parse_query("photo*").required == (Word("photo", prefix=True),)

    def test_prefix_needs_two_letters(self) -> None:
        with pytest.raises(QueryError, match="at least 2 letters"):
            parse_query("a*")

    @pytest.mark.parametrize("text", ["title:foo", "foo^2", "foo~", "[a TO b]", "(x)", "a&&b"])
    def test_tantivy_syntax_is_plain_text(self, text: str) -> None:
        parsed = parse_query(text)
        assert parsed.required
        assert all(isinstance(c, Word) and not c.prefix for c in parsed.required)

    @pytest.mark.parametrize("text", ["OR", "-", '""', "- OR *", "^~:()", "***", '"" OR -'])
    def test_only_operators_is_an_error(self, text: str) -> None:
        with pytest.raises(QueryError, match="no words"):
            parse_query(text)

    @pytest.mark.parametrize("text", ["", "   ", "\t\n"])
    def test_empty_matches_everything(self, text: str) -> None:
        assert parse_query(text).matches_all

    def test_control_and_format_characters_are_dropped(self) -> None:
        assert parse_query("tea\x00cake co\u00adoperate").required == words(
            "tea", "cake", "cooperate"
        )

    def test_fullwidth_letters_are_normalised(self) -> None:
        assert parse_query("\uff54\uff45\uff41").required == words("tea")

    def test_too_long(self) -> None:
        with pytest.raises(QueryError, match="too long"):
            parse_query("a" * 101, max_length=100)

    def test_too_many_clauses(self) -> None:
        with pytest.raises(QueryError, match="too many"):
            parse_query(" ".join(f"w{i}" for i in range(MAX_CLAUSES + 1)))

    def test_repeated_words_collapse(self) -> None:
        assert parse_query("tea tea TEA").required == words("tea", "TEA")

    def test_positive_words(self) -> None:
        assert parse_query('a OR "b c" -d e').positive_words() == ["a", "b", "c", "e"]


class TestSearchRequest:
    def test_defaults(self) -> None:
        request = SearchRequest.build("tea")
        assert (request.limit, request.offset, request.sort) == (10, 0, Sort.RELEVANCE)

    @pytest.mark.parametrize("limit", [0, -1, 101])
    def test_limit_out_of_range(self, limit: int) -> None:
        with pytest.raises(QueryError, match="limit"):
            SearchRequest.build("tea", limit=limit, max_results=100)

    def test_unknown_sort(self) -> None:
        with pytest.raises(QueryError, match="sort must be one of"):
            SearchRequest.build("tea", sort="random")

    def test_filters_are_normalised(self) -> None:
        request = SearchRequest.build(
            "tea", site="https://WWW.Example.com/x", language="en-GB", author="  Jane   DOE "
        )
        assert request.filters.site == "example.com"
        assert request.filters.language == "en"
        assert request.filters.author == "jane doe"

    def test_unusable_filter_is_an_error(self) -> None:
        with pytest.raises(QueryError, match="site"):
            SearchRequest.build("tea", site="http://[")
        with pytest.raises(QueryError, match="language"):
            SearchRequest.build("tea", language="-_")

    def test_blank_filter_is_no_filter(self) -> None:
        assert SearchRequest.build("tea", site="  ", author="\x00").filters.site is None

    def test_a_date_covers_the_whole_day(self) -> None:
        request = SearchRequest.build("", since="2024-05-01", until="2024-05-31")
        assert request.filters.since == datetime(2024, 5, 1, tzinfo=UTC)
        assert request.filters.until == datetime(2024, 6, 1, tzinfo=UTC)

    def test_iso_times_become_utc(self) -> None:
        request = SearchRequest.build("", since="2024-05-01T12:00:00+02:00")
        assert request.filters.since == datetime(2024, 5, 1, 10, tzinfo=UTC)

    @pytest.mark.parametrize(
        "value",
        ["yesterday", "2024-13-01", "9999-12-31", "2024-05-01T25:00", "0001-01-01T00:00+14:00"],
    )
    def test_bad_or_overflowing_dates(self, value: str) -> None:
        with pytest.raises(QueryError, match="until"):
            SearchRequest.build("", until=value)

    def test_since_after_until(self) -> None:
        with pytest.raises(QueryError, match="earlier"):
            SearchRequest.build("", since="2024-06-01", until="2024-05-01")

    def test_cursor_round_trip(self) -> None:
        first = SearchRequest.build("tea", limit=5, site="a.com")
        cursor = first.next_cursor(total=12)
        assert cursor is not None
        second = SearchRequest.build("tea", limit=5, site="a.com", cursor=cursor)
        assert second.offset == 5
        assert second.next_cursor(total=10) is None

    def test_cursor_of_another_search(self) -> None:
        cursor = SearchRequest.build("tea").next_cursor(total=100)
        assert cursor is not None
        with pytest.raises(QueryError, match="different search"):
            SearchRequest.build("coffee", cursor=cursor)

    @pytest.mark.parametrize("cursor", ["x", "!!!", "bm9wZQ", encode_cursor(MAX_OFFSET + 1, "f")])
    def test_malformed_cursor(self, cursor: str) -> None:
        with pytest.raises(QueryError, match="cursor"):
            SearchRequest.build("tea", cursor=cursor)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("example.com", "example.com"), ("www.Example.COM.", "example.com"),
     ("http://user@sub.example.com:8080/a?b", "sub.example.com"), ("", None), ("http://[", None),
     ("https://www.Example.com:443/a", "example.com"),
     ("https://a.example?u=http://b.example", "a.example"),
     ("https://u:p@h.example#x", "h.example"), ("HTTPS://[::1]:8080/", "::1"),
     ("ftp://f.example/a", "f.example"), ("https://m.Example.com/a", "example.com"),
     ("example.com/news", "example.com"), ("//www.example.com/a", "example.com")],
)  # fmt: skip
def test_site_key(value: str, expected: str | None) -> None:
    assert site_key(value) == expected


def test_language_and_author_keys() -> None:
    assert language_key("pt_BR") == "pt"
    assert language_key(" ") is None
    assert author_key("Émile\tZOLA") == "émile zola"


hostile = st.text(
    alphabet=st.sampled_from(list('ab -"*():^~[]{}\\/!?OR\x00\u200b\u00ad\ud800\uff02\u201c'))
    | st.characters(),
    max_size=300,
)


@settings(max_examples=500, deadline=None)
@given(hostile)
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        parsed = parse_query(text)
    except QueryError as exc:
        assert str(exc)
        return
    assert len(parsed.required) + len(parsed.excluded) <= MAX_CLAUSES


@settings(max_examples=300, deadline=None)
@given(q=hostile, cursor=st.none() | st.text(max_size=40), since=st.none() | st.text(max_size=30),
       site=st.none() | hostile, sort=st.text(max_size=10), limit=st.integers(-5, 500))  # fmt: skip
def test_any_request_builds_or_raises_query_error(
    q: str, cursor: str | None, since: str | None, site: str | None, *, sort: str, limit: int
) -> None:
    with contextlib.suppress(QueryError):
        SearchRequest.build(q, cursor=cursor, since=since, until=since, site=site, sort=sort,
                            limit=limit, author=site, language=site)  # fmt: skip


@given(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=10))
def test_plain_words_are_kept_in_order(texts: list[str]) -> None:
    expected = tuple(dict.fromkeys(t for t in texts if t != "OR"))
    assert parse_query(" ".join(texts)).required == tuple(Word(t) for t in expected)


offsets = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23))


@given(st.datetimes(timezones=st.none() | st.builds(timezone, offsets)), st.booleans())
def test_any_iso_time_is_a_bound_or_a_query_error(moment: datetime, end: bool) -> None:
    try:
        bound = parse_bound("since", moment.isoformat(), end=end)
    except QueryError:
        return
    assert bound is not None and bound.tzinfo is UTC


def test_tag_key_ignores_case_and_spacing() -> None:
    from indexer.search_models import tag_key

    assert tag_key("  World\t NEWS ") == "world news"
    assert tag_key("Straße") == "strasse"  # casefold, as the index keys it
    assert tag_key("   ") is None
