"""The regex tries: the same matches as a plain alternation (longest first), in any case."""

from __future__ import annotations

import re

from extractor.patterns import Folded, PatternBits, trie

WORDS = ["date", "datum", "dat", "published", "publié", "опубликовано", "mis en ligne", "h1"]
TEXT = (
    "Date: 2020. DATUM 3, dat, Published by, PUBLIÉ le, Опубликовано, MIS EN LIGNE, <H1>, "
    "datx, publ, mis en"
)


def test_a_trie_finds_what_an_alternation_finds() -> None:
    plain = re.compile("|".join(sorted(WORDS, key=len, reverse=True)), re.IGNORECASE)
    tried = re.compile(trie(WORDS, anycase=True))
    assert tried.findall(TEXT) == plain.findall(TEXT)
    assert len(tried.findall(TEXT)) == 9  # "datx" holds "dat"; "publ", "mis en" hold none


def test_a_trie_is_case_sensitive_unless_asked() -> None:
    assert re.findall(trie("date|datum"), "Date date DATUM datum") == ["date", "datum"]


def test_a_trie_keeps_regex_characters_literal() -> None:
    assert re.fullmatch(trie(["a.b", "c+"]), "a.b")
    assert not re.fullmatch(trie(["a.b", "c+"]), "axb")
    assert re.fullmatch(trie(["a.b", "c+"]), "c+")


def test_a_folded_pattern_gives_the_texts_own_spans() -> None:
    label = Folded(r"\bposted by\s+(.*)$", re.MULTILINE)
    text = "Home\nPOSTED BY Jane Doe\nNews"
    (match,) = label.finditer(text)
    assert text[match.start(1) : match.end(1)] == "Jane Doe"


def test_a_folded_pattern_reads_a_text_whose_lower_case_is_longer() -> None:
    label = Folded(r"\bposted by\s+(.*)$", re.MULTILINE)
    text = "İstanbul\nPosted by Jane Doe"  # "İ".lower() is two characters
    (match,) = label.finditer(text)
    assert text[match.start(1) : match.end(1)] == "Jane Doe"


def test_pattern_bits_say_which_patterns_search_finds() -> None:
    patterns = [
        r"comment|\bshare|most-?popular|\bads?\b|-ad\b",
        r"\b(?:navigation|banner)\b|repl(?:y|ies)",
        r"[0-9]+px|\w+-grid",  # no literal opening: always searched
        r"\btags?\b|\bqa\b",
    ]
    texts = [
        "comments", "post-share", "share", "mostpopular", "most-popular", "ads", "ad-slot",
        "head", "side-ad", "navigation", "main-navigation", "banners", "reply", "replies",
        "repl", "12px", "card-grid", "tag", "tags", "tagged", "qa", "faq", "", "x",
    ]  # fmt: skip
    bits = PatternBits(patterns)
    for text in texts:
        expected = sum(1 << i for i, p in enumerate(patterns) if re.search(p, text))
        assert bits.bits(text) == expected, text
    assert bits.bits("side-ad comments") == 0b1
    assert bits.bits("main-navigation 12px") == 0b110
