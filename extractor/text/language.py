"""A minimal language detector: writing system first, then stopword counts for Latin/Cyrillic.

Good enough to tag an article's language (ISO 639-1) from a few sentences; returns None when
the text is too short or the evidence too thin. No I/O, no model.
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.text.stopwords import STOPWORDS

__all__ = ["detect_language"]

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 20_000
_MIN_HITS = 3
# (first code point, last code point, language) for scripts that name one language.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x3040, 0x30FF, "ja"),  # kana
    (0xAC00, 0xD7AF, "ko"),  # hangul syllables
    (0x0E00, 0x0E7F, "th"),
    (0x0370, 0x03FF, "el"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x10A0, 0x10FF, "ka"),
    (0x0530, 0x058F, "hy"),
    (0x4E00, 0x9FFF, "zh"),  # Han last: kana or hangul next to it decide first
)
_SCRIPT_SHARE = 0.2


def _script_language(sample: str) -> str | None:
    counts: Counter[str] = Counter()
    letters = 0
    for ch in sample:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if code < 0x0370:
            continue
        for first, last, lang in _SCRIPTS:
            if first <= code <= last:
                counts[lang] += 1
                break
    if not letters:
        return None
    for _first, _last, lang in _SCRIPTS:  # in priority order
        if counts[lang] / letters >= (0.05 if lang in ("ja", "ko") else _SCRIPT_SHARE):
            return lang
    return None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when unsure."""
    sample = text[:_SAMPLE]
    by_script = _script_language(sample)
    if by_script:
        return by_script
    words = Counter(w.lower() for w in _WORD.findall(sample))
    if not words:
        return None
    hits = {lang: sum(words[w] for w in stops) for lang, stops in STOPWORDS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    return best if hits[best] >= _MIN_HITS else None
