"""From a parsed query to a tantivy query, and from matches to snippets. Only tantivy here.

The user's query never reaches tantivy's query parser: `QueryBuilder` turns the AST of
`indexer.query_parser` into term, phrase, prefix and fuzzy queries built from tokens of the
same analyzer the index uses (`Analyzers`: lowercased, accents folded). Stemming and stop words
are applied here, per language (`indexer.analysis`): a word is widened to the forms of it
the index holds that share its stem in a language, and those forms only meet articles
analysed in that language (the `analysis` field); a language's stop words are not required
of articles in that language.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import tantivy

from indexer import analysis
from indexer.fields import FIELD_BOOSTS, PROXIMITY_WEIGHT, STEM_WEIGHT, clamp
from indexer.query_parser import AnyOf, ParsedQuery, Phrase, Unit, Word
from indexer.search_models import SearchRequest
from indexer.snippets import (
    SNIPPET_CHARS,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    highlight,
    lead,
    typo_distance,
    window,
)
from shared.events import PageExtracted

__all__ = [
    "STORED_ONLY",
    "TEXT_ANALYZER",
    "Analyzers",
    "QueryBuilder",
    "Snippets",
    "any_term",
    "snippet_words",
]

TEXT_ANALYZER = "pw_text"
STORED_ONLY = "pw_stored"
"""A text field's analyzer that yields no terms: the field is stored, never searched."""
PREFIX_EXPANSIONS = 32
VARIANT_SCAN = 64
"""Most terms sharing a word's stem prefix that are looked at for its forms (most frequent
first)."""
PROXIMITY_SLOP, MAX_PROXIMITY_WORDS = 3, 8
_Occur = tantivy.Occur


def analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


class Analyzers:
    """Words as the index holds them: lowercased, accents folded."""

    def __init__(self) -> None:
        self.plain = analyzer()
        self._stopwords: dict[str, frozenset[str]] = {}
        self.forms = FormsCache()

    def register(self, index: tantivy.Index) -> None:
        index.register_tokenizer(TEXT_ANALYZER, self.plain)
        nothing = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(
            tantivy.Filter.remove_long(1)  # a token must be shorter than 1 byte: none is
        )
        index.register_tokenizer(STORED_ONLY, nothing.build())

    def tokens(self, text: str) -> list[str]:
        return [t for t in self.plain.analyze(text) if t]

    def stopwords(self, language: str) -> frozenset[str]:
        """The language's stop words as the index holds them (folded: `für` -> `fur`)."""
        if language not in self._stopwords:
            words = analysis.stopwords(language)
            self._stopwords[language] = frozenset(self.tokens(" ".join(sorted(words))))
        return self._stopwords[language]


FormGroups = tuple[tuple[frozenset[str], tuple[str, ...]], ...]
"""A word's other forms, grouped: (forms, the languages in which they are its forms)."""


class FormsCache:
    """A word's forms for one state of the index (its document and segment counts: a commit
    or a merge changes them and empties the cache). Thread-safe; at most `SIZE` words."""

    SIZE = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[int, int] | None = None
        self._entries: dict[tuple[str, tuple[str, ...]], FormGroups] = {}
        self._languages: list[str] = []

    def get(
        self, searcher: tantivy.Searcher, token: str, languages: tuple[str, ...]
    ) -> FormGroups | None:
        with self._lock:
            self._sync(searcher)
            return self._entries.get((token, languages))

    def languages(self, searcher: tantivy.Searcher) -> list[str]:
        """The languages the index's articles are analysed in (read once per state)."""
        with self._lock:
            self._sync(searcher)
            if self._languages:
                return self._languages
        found = sorted(term for term, _ in searcher.terms_with_prefix("analysis", ""))
        with self._lock:
            if self._state == (searcher.num_docs, searcher.num_segments):
                self._languages = found
        return found

    def _sync(self, searcher: tantivy.Searcher) -> None:
        """Forget everything read from another state of the index (the lock held)."""
        if self._state != (state := (searcher.num_docs, searcher.num_segments)):
            self._state, self._entries, self._languages = state, {}, []

    def put(
        self, searcher: tantivy.Searcher, token: str, languages: tuple[str, ...], groups: FormGroups
    ) -> None:
        with self._lock:
            if self._state == (searcher.num_docs, searcher.num_segments):
                if len(self._entries) >= self.SIZE:
                    self._entries.clear()
                self._entries[(token, languages)] = groups


class QueryBuilder:
    """Turns a parsed query and filters into a tantivy query, without tantivy's parser."""

    def __init__(
        self, schema: tantivy.Schema, analyzers: Analyzers, searcher: tantivy.Searcher,
        request: SearchRequest, *, fuzzy: bool = False,
    ) -> None:  # fmt: skip
        self._schema = schema
        self._analyzers = analyzers
        self._searcher = searcher
        self._request = request
        self._fuzzy = fuzzy
        self._languages = (
            [request.filters.language]
            if request.filters.language
            else analyzers.forms.languages(searcher)
        )
        self._prefixed: dict[str, list[str]] = {}
        self._known_words: dict[str, bool] = {}
        self.variants: set[str] = set()
        """The other forms of the query's words that the query looks for (for snippets)."""
        self.fuzzable = False
        """Whether some word could match with a typo (set while building)."""
        self.fuzzed: list[str] = []
        """The words matched with typo tolerance (when built with `fuzzy`)."""
        self.without_types = tantivy.Query.all_query()
        """The query as built but for the page-type filter (for the page types' counts)."""

    def build(self) -> tantivy.Query:
        parsed, clauses = self._request.query, []
        clauses += [(_Occur.Must, q) for q in self._required(parsed)]
        excluded = (self._unit(unit, excluded=True) for unit in parsed.excluded)
        clauses += [(_Occur.MustNot, q) for q in excluded if q is not None]
        clauses += [(_Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in self._filters()]
        clauses += [(_Occur.Should, q) for q in self._proximity(parsed)]
        if not any(occur == _Occur.Must for occur, _ in clauses):
            clauses.append((_Occur.Must, tantivy.Query.all_query()))
        self.without_types = tantivy.Query.boolean_query(clauses)
        types = self._request.filters.page_types
        if types is None:
            return self.without_types
        only = tantivy.Query.const_score_query(any_term(self._schema, "page_type", types), 0.0)
        return tantivy.Query.boolean_query([(_Occur.Must, self.without_types), (_Occur.Must, only)])

    def _required(self, parsed: ParsedQuery) -> Iterator[tantivy.Query]:
        stop = [self._stop_in(clause) for clause in parsed.required]
        all_stop = all(stop)  # "to be or not to be": then every word is required
        for clause, stop_in in zip(parsed.required, stop, strict=True):
            if stop_in and not all_stop and set(stop_in) >= set(self._languages):
                continue  # a stop word in every language the index holds: only proximity
            units = clause.options if isinstance(clause, AnyOf) else (clause,)
            options = [q for q in map(self._unit, units) if q is not None]
            if stop_in and not all_stop:
                options.append(tantivy.Query.const_score_query(self._in_languages(stop_in), 0.0))
            if len(options) == 1:
                yield options[0]
            elif options:
                yield tantivy.Query.boolean_query([(_Occur.Should, q) for q in options])

    def _stop_in(self, clause: Unit | AnyOf) -> list[str]:
        """The languages in which the clause is a stop word (a plain word only): it is not
        required of articles in those languages, but still scores where it occurs."""
        if not isinstance(clause, Word) or clause.prefix:
            return []
        tokens = self._analyzers.tokens(clause.text)
        if len(tokens) != 1:
            return []
        return [lang for lang in self._languages if tokens[0] in self._analyzers.stopwords(lang)]

    def _in_languages(self, languages: Sequence[str]) -> tantivy.Query:
        return any_term(self._schema, "analysis", languages)

    def _proximity(self, parsed: ParsedQuery) -> Iterator[tantivy.Query]:
        """Extra score when the query's plain words stand close together, in query order."""
        words = [c.text for c in parsed.required if isinstance(c, Word) and not c.prefix]
        tokens = self._analyzers.tokens(" ".join(words))
        if not 2 <= len(tokens) <= MAX_PROXIMITY_WORDS:
            return
        phrase: list[str | tuple[int, str]] = list(tokens)
        yield tantivy.Query.disjunction_max_query(
            [
                tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(self._schema, name, phrase, slop=PROXIMITY_SLOP),
                    boost * PROXIMITY_WEIGHT,
                )
                for name, boost in FIELD_BOOSTS
            ]
        )

    def _unit(self, unit: Unit, *, excluded: bool = False) -> tantivy.Query | None:
        """The unit in any text field, the best field counting most; None if nothing to look up.

        Excluded units are always exact: typo tolerance never widens an exclusion.
        """
        text = " ".join(unit.words) if isinstance(unit, Phrase) else unit.text
        tokens = self._analyzers.tokens(text)
        if not tokens:
            return None
        prefix = isinstance(unit, Word) and unit.prefix
        per_field = [
            tantivy.Query.boost_query(self._field(name, tokens, prefix, excluded), boost)
            for name, boost in FIELD_BOOSTS
        ]
        if isinstance(unit, Word) and not prefix and len(tokens) == 1:
            per_field += self._word_forms(tokens[0])
        return tantivy.Query.disjunction_max_query(per_field, tie_breaker=0.3)

    def _word_forms(self, token: str) -> list[tantivy.Query]:
        languages = tuple(self._languages)
        groups = self._analyzers.forms.get(self._searcher, token, languages)
        if groups is None:
            groups = self._find_forms(token)
            self._analyzers.forms.put(self._searcher, token, languages, groups)
        queries = []
        for forms, in_languages in groups:
            self.variants |= forms
            in_fields = tantivy.Query.disjunction_max_query(
                [
                    tantivy.Query.boost_query(
                        any_term(self._schema, name, sorted(forms)), boost * STEM_WEIGHT
                    )
                    for name, boost in FIELD_BOOSTS
                ]
            )
            only = tantivy.Query.const_score_query(self._in_languages(in_languages), 0.0)
            queries.append(
                tantivy.Query.boolean_query([(_Occur.Must, in_fields), (_Occur.Must, only)])
            )
        return queries

    def _find_forms(self, token: str) -> FormGroups:
        """The other forms of a word, per language: index terms that share its stem in that
        language (languages with the same forms grouped; each group's query only meets
        articles analysed in those languages). The forms are looked for among the body's
        most frequent terms starting with the shortest of the stems' prefixes
        (`VARIANT_SCAN`): one walk of the term dictionary for all languages."""
        plans = []
        for language in self._languages:
            stemmer = analysis.stemmer_for(language)
            if stemmer is not None:
                stem = analysis.stem(stemmer, token)
                if prefix := analysis.stem_prefix(token, stem):
                    plans.append((language, stemmer, stem, prefix))
        if not plans:
            return ()
        shortest = min((prefix for *_, prefix in plans), key=len)
        scanned = [t for t in self._with_prefix(shortest) if t != token]
        groups: dict[frozenset[str], list[str]] = {}
        for language, stemmer, stem, prefix in plans:
            terms = [t for t in scanned if t.startswith(prefix)]
            if not terms:
                continue
            forms = frozenset(
                t for t, s in zip(terms, analysis.stems(stemmer, terms), strict=True) if s == stem
            )
            if forms:
                groups.setdefault(forms, []).append(language)
        return tuple((forms, tuple(langs)) for forms, langs in groups.items())

    def _with_prefix(self, prefix: str) -> list[str]:
        if prefix not in self._prefixed:
            found = self._searcher.terms_with_prefix("body", prefix, limit=VARIANT_SCAN)
            self._prefixed[prefix] = [term for term, _ in found]
        return self._prefixed[prefix]

    def _field(self, name: str, tokens: list[str], prefix: bool, exact: bool) -> tantivy.Query:
        schema = self._schema
        words: list[str | tuple[int, str]] = list(tokens)
        if prefix and len(tokens) > 1:
            return tantivy.Query.phrase_prefix_query(schema, name, words)
        if prefix:
            return self._expand(name, tokens[0])
        if len(tokens) > 1:
            return tantivy.Query.phrase_query(schema, name, words)
        token = tokens[0]
        if len(token) >= 4 and not token.isdigit() and not exact and not self._known(token):
            self.fuzzable = True
            if self._fuzzy:
                self.fuzzed += [] if token in self.fuzzed else [token]
                distance = typo_distance(token)
                return tantivy.Query.fuzzy_term_query(schema, name, token, distance=distance)
        return tantivy.Query.term_query(schema, name, token)

    def _known(self, token: str) -> bool:
        """Whether the index holds the word (in any text field): a known word is not taken
        for a typo, so a query of known words that match nothing together is not retried
        with typo tolerance (the slowest search there is)."""
        if token not in self._known_words:
            self._known_words[token] = any(
                self._searcher.doc_freq(name, token) > 0 for name, _ in FIELD_BOOSTS
            )
        return self._known_words[token]

    def _expand(self, name: str, prefix: str) -> tantivy.Query:
        """`photo*`: the most frequent terms starting with `photo`, each scored by BM25."""
        terms = self._searcher.terms_with_prefix(name, prefix, limit=PREFIX_EXPANSIONS)
        if not terms:
            return tantivy.Query.empty_query()
        return any_term(self._schema, name, [term for term, _ in terms])

    def _filters(self) -> Iterator[tantivy.Query]:
        f = self._request.filters
        terms = (("site", f.site), ("language", f.language), ("author", f.author), ("tag", f.tag))
        for name, value in terms:
            if value is not None:
                yield tantivy.Query.term_query(self._schema, name, value)
        if f.since is not None or f.until is not None:
            yield tantivy.Query.range_query(
                self._schema, "published", tantivy.FieldType.Date,
                lower_bound=None if f.since is None else clamp(f.since),
                upper_bound=None if f.until is None else clamp(f.until),
                include_upper=f.until is None,
            )  # fmt: skip


def any_term(schema: tantivy.Schema, name: str, terms: Sequence[str]) -> tantivy.Query:
    """Documents holding any of `terms` in field `name`, each scored by BM25."""
    queries = [tantivy.Query.term_query(schema, name, t) for t in terms]
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(_Occur.Should, q) for q in queries])


def snippet_words(parsed: ParsedQuery, analyzers: Analyzers) -> list[str]:
    """The query's words as the index has them, for snippets to look for; none if one is a
    prefix (`photo*`), then snippets analyse the whole body."""
    units = [u for c in parsed.required for u in (c.options if isinstance(c, AnyOf) else (c,))]
    if any(isinstance(u, Word) and u.prefix for u in units):
        return []
    return analyzers.tokens(" ".join(parsed.positive_words()))


class Snippets:
    """The best passage of the body with the words that matched (as written or other forms)."""

    def __init__(
        self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema,
        words: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self._searcher, self._query, self._schema = searcher, query, schema
        self._words = words
        self._generator: tantivy.SnippetGenerator | None = None

    def html(self, article: PageExtracted) -> str:
        """The passage around the query's words, else the lead.

        `words` are the query's words and the other forms it looked for, as the index holds
        them. In a long body only a window around the first of them is analysed; a long
        ASCII body holding none of them (the same test as the index's tokenizer) matched in
        the title or description, and shows its lead. Other bodies are analysed whole.
        """
        text = article.text
        near_first = window(text, self._words)
        if near_first is not None:
            start, end = near_first
            if (found := self._snippet(text[start:end], cut=start > 0)) is not None:
                return found
        elif self._words and text.isascii() and len(text) > WINDOW_BEFORE + WINDOW_AFTER:
            return lead(article.description or text)
        return self._snippet(text) or lead(article.description or text)

    def _snippet(self, text: str, *, cut: bool = False) -> str | None:
        snippet = self._snippets().snippet_from_doc(tantivy.Document(body=text))
        spans = [(r.start, r.end) for r in snippet.highlighted()]
        if not (snippet.fragment() and spans):
            return None
        cut = cut or snippet.fragment_range().start > 0
        return highlight(snippet.fragment(), spans, cut=cut)

    def _snippets(self) -> tantivy.SnippetGenerator:
        if self._generator is None:
            self._generator = tantivy.SnippetGenerator.create(
                self._searcher, self._query, self._schema, "body"
            )
            self._generator.set_max_num_chars(SNIPPET_CHARS)
        return self._generator
