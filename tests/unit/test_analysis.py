"""Word forms and stop words per language: the stemmers and the prefix a word's forms share."""

from __future__ import annotations

import threading

import pytest

from indexer import analysis


@pytest.mark.parametrize(
    ("stemmer", "words", "stem"),
    [
        ("english", ["running", "runs", "run"], "run"),
        ("english", ["happiness", "happy"], "happi"),
        ("german", ["hauser", "haus"], "haus"),
        ("french", ["maisons", "maison"], "maison"),
        ("russian", ["книгами", "книги"], "книг"),
        ("ukrainian", ["книгами", "книги", "книга", "книгою"], "книг"),
        ("ukrainian", ["писали", "писала", "писати"], "пис"),
    ],
)
def test_forms_share_a_stem(stemmer: str, words: list[str], stem: str) -> None:
    assert analysis.stems(stemmer, words) == [stem] * len(words)


def test_ukrainian_keeps_short_words_and_strips_the_reflexive_particle() -> None:
    assert analysis.stems("ukrainian", ["до", "не"]) == ["до", "не"]
    assert analysis.stems("ukrainian", ["вчитися", "вчитись"]) == ["вч", "вч"]


def test_stem_prefix_is_where_every_form_starts() -> None:
    assert analysis.stem_prefix("running", "run") == "run"
    assert analysis.stem_prefix("happiness", "happi") == "happ"  # `happy` starts so too
    assert analysis.stem_prefix("runs", "run") == "run"
    assert analysis.stem_prefix("ox", "ox") is None  # too short to widen
    assert analysis.stem_prefix("aalen", "al") is None  # the stem is not the word's start


def test_stemmer_for_languages() -> None:
    assert analysis.stemmer_for(None) == "english"
    assert analysis.stemmer_for("uk") == "ukrainian"
    assert analysis.stemmer_for("ja") is None
    for language in ("en", "de", "fr", "es", "it", "pt", "ru", "uk"):
        assert analysis.stopwords(language), language


def test_stemmers_can_be_used_from_many_threads() -> None:
    words = ["running", "houses", "happiness"] * 200
    expected = analysis.stems("english", words)
    results: list[list[str]] = []

    def work() -> None:
        for _ in range(20):
            results.append(analysis.stems("english", words))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 80
