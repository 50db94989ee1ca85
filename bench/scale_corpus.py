"""Generated articles for the scale benchmark: many, fast, and deterministic.

Each language has its own vocabulary of made-up words (syllables of that language plus its
usual endings, so the stemmers have work to do), drawn with a Zipf distribution into one
long pre-generated word stream per language; an article's body is a few slices of its
language's stream (so the phrases the benchmark asks for really occur), 300-1500 words in
paragraphs. Sites (Zipf-weighted), authors (each writing for a few sites), dates spread
over ten years. `batch(seed, start, count)` gives the same articles for the same arguments.
Each carries its near-duplicate band terms (`dedup_signature`), as the extractor publishes
them, so the indexer's own work is what the benchmark times.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared import dedup
from shared.events import PageExtracted

LANGUAGES = {"en": 45, "de": 12, "fr": 12, "es": 10, "it": 6, "nl": 5, "pt": 5, "sv": 5}
"""Language -> share of the articles (percent)."""
_SYLLABLES = {
    "en": "th er on an re he in ed nd ha at en es of or nt ea ti to it st io le is ou ar as de",
    "de": "ein ich sch der die und gen ver ung ber ach auf ten lic ste ist wer hau mit zei al",
    "fr": "le de en re es on ou an ai la ne te ent que pa ch eu ti co mi lo ra vi",
    "es": "de la en el es os ar ra ta ci co do re se nt po ma to al lo ca mi",
    "it": "di la to re co ni ta no el ra zi al pe me ti lo ca se do li ma",
    "nl": "en de ee er an te ge ij aa oo ve he ie ui ke be wa la di ho",
    "pt": "de os ra es ta co ar do ma se nt po ca ão lo mi te ci re ne",
    "sv": "en de ar er an et st tt ka ll ng ör ti ig sk fr la me vå gå",
}
_ENDINGS = {
    "en": ("", "", "", "s", "ing", "ed", "ly", "ness", "er", "ation"),
    "de": ("", "", "en", "ung", "er", "lich", "es", "keit"),
    "fr": ("", "", "e", "es", "ment", "tion", "er", "ait", "eux"),
    "es": ("", "", "a", "os", "as", "ción", "ar", "mente", "ado"),
    "it": ("", "", "a", "i", "e", "zione", "are", "mente", "ato"),
    "nl": ("", "", "en", "heid", "er", "ing", "lijk"),
    "pt": ("", "", "a", "os", "ção", "ar", "mente", "ado"),
    "sv": ("", "", "en", "ar", "er", "het", "ning", "lig"),
}
VOCABULARY = 30_000
"""Distinct words per language."""
STREAM = 600_000
"""Words in each language's pre-generated stream."""
SITES, AUTHORS = 2_000, 6_000
SYNDICATED = 0.05
"""Share of articles that are near duplicates of an earlier one."""
START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN_MINUTES = 10 * 365 * 24 * 60


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    words: list[str]
    """The vocabulary, most frequent first."""
    stream: list[str]
    """Zipf-drawn words with sentence punctuation, the text articles are cut from."""


def _vocabulary(code: str, rng: random.Random) -> list[str]:
    syllables, endings = _SYLLABLES[code].split(), _ENDINGS[code]
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        size = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
        word = "".join(rng.choices(syllables, k=size)) + rng.choice(endings)
        if len(word) >= 2:
            words[word] = None
    return list(words)


def _stream(words: list[str], rng: random.Random) -> list[str]:
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))
    out = rng.choices(words, cum_weights=cumulative, k=STREAM)
    at = 0
    while at < STREAM:  # sentences of 6-24 words
        out[at] = out[at].capitalize()
        at += rng.randint(6, 24)
        out[min(at, STREAM) - 1] += "."
    return out


class Generator:
    """Deterministic article maker; building it takes a few seconds (the word streams)."""

    def __init__(self, seed: int = 7) -> None:
        rng = random.Random(seed)
        self.seed = seed
        self.languages = {}
        for code in LANGUAGES:
            words = _vocabulary(code, rng)
            self.languages[code] = Language(code, words, _stream(words, rng))
        self._codes = list(LANGUAGES)
        self._language_weights = list(itertools.accumulate(LANGUAGES.values()))
        self._site_weights = list(itertools.accumulate(1 / (r + 1) for r in range(SITES)))
        self.sites = [f"{_name(rng)}-{i}.example" for i, _ in enumerate(range(SITES))]
        self.authors = [f"{_name(rng).title()} {_name(rng).title()}" for _ in range(AUTHORS)]

    def batch(self, start: int, count: int, *, signed: bool = True) -> list[PageExtracted]:
        """Articles `start` to `start + count - 1` (the same ones on every call); `signed`
        False leaves out the near-duplicate signature (for an index that has no use for it)."""
        return [self.article(n, signed=signed) for n in range(start, start + count)]

    def _text(self, number: int) -> tuple[str, list[str], str, str]:
        """Language, paragraphs, title and description of article `number`."""
        rng = random.Random(number * 1_000_003 + self.seed)
        code = rng.choices(self._codes, cum_weights=self._language_weights)[0]
        stream = self.languages[code].stream
        target = rng.randint(300, 1500)
        paragraphs, words = [], 0
        while words < target:
            size = min(rng.randint(40, 160), target - words)
            at = rng.randrange(len(stream) - size)
            paragraphs.append(" ".join(stream[at : at + size]))
            words += size
        at = rng.randrange(len(stream) - 30)
        title = " ".join(stream[at : at + rng.randint(4, 10)]).rstrip(".,").capitalize()
        description = " ".join(stream[at + 10 : at + 10 + rng.randint(15, 30)])
        return code, paragraphs, title, description

    def article(self, number: int, *, signed: bool = True) -> PageExtracted:
        """Article `number`; `SYNDICATED` of them copy an earlier one (another site, another
        lead paragraph): near duplicates."""
        rng = random.Random(number * 7_919 + self.seed + 1)
        source = number
        if number >= 100 and rng.random() < SYNDICATED:
            source = number - rng.randint(1, min(number, 5_000))
        code, paragraphs, title, description = self._text(source)
        if source != number:
            stream = self.languages[code].stream
            at = rng.randrange(len(stream) - 60)
            paragraphs = [" ".join(stream[at : at + 40]), *paragraphs[1:]]
        text = "\n\n".join(paragraphs)
        words = text.count(" ") + len(paragraphs)
        site_rank = rng.choices(range(SITES), cum_weights=self._site_weights)[0]
        site = self.sites[site_rank]
        author = self.authors[(site_rank * 3 + rng.randrange(3)) % AUTHORS]
        published = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        url = f"https://{site}/{published:%Y/%m}/a{number}"
        return PageExtracted(
            id=f"a{number}", url=url, canonical_url=url, title=title, description=description,
            authors=[author], published=published, site_name=site.split(".")[0],
            language=code, text=text, markdown=text, word_count=words,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            dedup_signature=dedup.encoded_bands(text) if signed else None,
            fetched_at=published + timedelta(hours=1),
            extracted_at=published + timedelta(hours=1, seconds=5),
        )  # fmt: skip

    def batches(self, total: int, size: int) -> Iterator[list[PageExtracted]]:
        for start in range(0, total, size):
            yield self.batch(start, min(size, total - start))


def _name(rng: random.Random) -> str:
    return "".join(rng.choices("bcdfghklmnprstvz", k=1) + rng.choices("aeiou", k=1)
                   + rng.choices("bcdfghklmnprstvz", k=1) + rng.choices("aeiou", k=1))  # fmt: skip
