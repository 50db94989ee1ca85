"""Word forms and stop words per language, for search time. Pure code: no tantivy, no I/O.

The index holds each word once, as written (lowercased, accents folded). Stemming happens
when a query is built (`indexer.tantivy_query`): a query word is widened to the other words
of the index that share its stem under the stemmer of each language the index holds, and each
group of forms only meets articles written in that language. So the index is analysed once (a
second, stemmed copy of every text field would double the indexing work), any stemmer can be
used, including ones the index library lacks (Ukrainian), and a stemmer can change without a
rebuild.

Stemmers: Snowball through PyStemmer (C, the Snowball project's own binding); Ukrainian,
which Snowball lacks, gets a light suffix-stripping stemmer (`_ukrainian`), in the manner
of Savoy's light stemmers: it removes inflectional endings only, and it only ever groups
words that the index already holds, so a wrong merge costs a little precision, never an error.

Stop words (`shared.stopwords`: the most frequent function words of each language) are
not required by a query in articles of that language; see `indexer.tantivy_query`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

import Stemmer

from shared.stopwords import STOPWORDS

__all__ = [
    "DEFAULT_LANGUAGE",
    "STEMMERS",
    "analysis_language",
    "stem_prefix",
    "stemmer_for",
    "stems",
    "stopwords",
]

STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian", "eu": "basque",
    "fa": "persian", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "nn": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "uk": "ukrainian", "yi": "yiddish",
}  # fmt: skip
"""Languages (ISO 639-1) with a stemmer; others are matched as written."""
DEFAULT_LANGUAGE = "en"
"""Articles that do not say their language are analysed as English."""
MIN_STEM = 3
"""Words shorter than this are not widened (their forms would be mostly unrelated words)."""

_local = threading.local()
"""PyStemmer's stemmer objects are not thread-safe: one set per thread."""


def analysis_language(language: str | None) -> str:
    """The language an article is analysed in: its own, else the default."""
    return language or DEFAULT_LANGUAGE


def stemmer_for(language: str | None) -> str | None:
    """The stemmer for a language key: unknown means English, unsupported means none."""
    return STEMMERS.get(analysis_language(language))


def stopwords(language: str) -> frozenset[str]:
    """The language's stop words as written (lower case); empty when it has no list."""
    return STOPWORDS.get(language, frozenset())


def stems(stemmer: str, words: Sequence[str]) -> list[str]:
    """Each word's stem (words are lower case, as the index holds them)."""
    return _stem_function(stemmer)(list(words))


@functools.lru_cache(maxsize=8192)
def stem(stemmer: str, word: str) -> str:
    return _stem_function(stemmer)([word])[0]


def stem_prefix(word: str, stem_: str) -> str | None:
    """The start every form of `word` sharing its stem is likely to have: the common start
    of the word and its stem, less the stem's last letter (`happiness` -> `happi` -> `happ`,
    which `happy` has too), at least `MIN_STEM` letters; None for short words."""
    if len(word) < MIN_STEM:
        return None
    common = 0
    for a, b in zip(word, stem_, strict=False):
        if a != b:
            break
        common += 1
    keep = max(MIN_STEM, min(common, len(stem_) - 1))
    return word[:keep] if common >= MIN_STEM else None


def _stem_function(stemmer: str) -> Callable[[list[str]], list[str]]:
    if stemmer == "ukrainian":
        return _ukrainian_words
    cache: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if stemmer not in cache:
        cache[stemmer] = Stemmer.Stemmer(stemmer)
    found: Callable[[list[str]], list[str]] = cache[stemmer].stemWords
    return found


# -- Ukrainian --------------------------------------------------------------------------------

_UK_REFLEXIVE = ("ся", "сь")
# fmt: off
_UK_ENDINGS = tuple(
    sorted(
        {
            # adjectives and participles
            "ими",
            "іми",
            "ого",
            "ому",
            "ему",
            "ій",
            "ий",
            "ої",
            "ою",
            "ею",
            "ім",
            "им",
            "их",
            "іх",
            "а",
            "я",
            "е",
            "є",
            "і",
            "ї",
            "у",
            "ю",
            "о",
            # nouns
            "ами",
            "ями",
            "ові",
            "еві",
            "єві",
            "ах",
            "ях",
            "ам",
            "ям",
            "ів",
            "їв",
            "ей",
            "ом",
            "ем",
            "єм",
            "єю",
            "и",
            "ь",
            # verbs
            "ити",
            "ати",
            "яти",
            "іти",
            "ють",
            "ують",
            "уть",
            "ать",
            "ять",
            "ить",
            "іть",
            "ете",
            "ите",
            "емо",
            "имо",
            "ала",
            "ало",
            "али",
            "ила",
            "или",
            "ило",
            "ув",
            "ав",
            "ив",
            "ла",
            "ло",
            "ли",
            "ти",
            "ть",
            "в",
        },
        key=len,
        reverse=True,
    )
)
# fmt: on
_UK_MIN_STEM = 2


def _ukrainian(word: str) -> str:
    """A light Ukrainian stemmer: the reflexive particle, then the longest inflectional
    ending that leaves at least two letters (`книгами` -> `книг`, `писали` -> `пис`)."""
    for particle in _UK_REFLEXIVE:
        if word.endswith(particle) and len(word) - len(particle) > _UK_MIN_STEM:
            word = word[: -len(particle)]
            break
    for ending in _UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _UK_MIN_STEM:
            return word[: -len(ending)]
    return word


def _ukrainian_words(words: list[str]) -> list[str]:
    return [_ukrainian(w) for w in words]
