"""A compact offline language detector: scripts first, then stopword counts for Latin text.

Both engines use it to tag an article's language when the page declares none (articles are
long); it returns None rather than guess on short or mixed text.
"""

from __future__ import annotations

import re
from collections import Counter

_STOPWORDS = {
    "en": "the and of to in is that for it with was on as are be this by have from at not",
    "de": "der die und das ist nicht ein eine zu den mit von sich auf für im dem auch es wird",
    "fr": "le la les et des est une un du que pour dans en qui pas sur au plus avec ce",
    "es": "el la de que y los las en un una por con para es del se no al lo como",
    "it": "il di che la per un una non sono della del con gli le ed è alla anche come",
    "pt": "o de que a e do da em um uma para com não os no na se dos mais como",
    "nl": "de het een en van is dat op te in niet zijn voor met die er ook maar",
    "sv": "och att det är som en på av för med till den har inte om jag ett var",
    "da": "og at det er som en på af for med til den har ikke om jeg et var",
    "no": "og at det er som en på av for med til den har ikke om jeg et var ble",
    "fi": "ja on ei se että oli hän mutta kun ovat myös tai kuin sen ole",
    "pl": "i w nie na się z że do to jest jak o co ale po od za tak",
    "cs": "a se na je že v to do s jsou by jak ale za pro jeho tak",
    "tr": "ve bir bu da de için ile ne çok daha olarak gibi olan ama kadar",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada adalah ke",
    "ro": "și în de la cu nu o să pe care este din mai un pentru sunt",
    "hu": "a az és hogy nem is egy van de meg csak már ez mint volt",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
STOPWORDS = frozenset().union(*_WORDS.values())
"""The most common words of every language above (a block of prose is full of them)."""
_TOKEN = re.compile(r"[^\W\d_]+")
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_SAMPLE = 5000
_MIN_HITS = 3


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code for `text`, or None when too short or unclear."""
    sample = text[:_SAMPLE]
    letters = sum(1 for c in sample if c.isalpha())
    if letters < 20:
        return None
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) > letters * 0.3:
            if code == "ru" and len(_UKRAINIAN.findall(sample)) > letters * 0.01:
                return "uk"
            return code
    counts: Counter[str] = Counter()
    for token in _TOKEN.findall(sample.lower()):
        for lang, words in _WORDS.items():
            if token in words:
                counts[lang] += 1
    if not counts:
        return None
    (best, hits), *rest = [*counts.most_common(2), ("", 0)]
    runner_up = rest[0][1]
    if hits < _MIN_HITS or hits < runner_up * 1.2:
        return None
    return best
