"""The text engine's language detector: the HTML engine's (`extractor.html.language`), reused.

Script first (CJK, Cyrillic with Ukrainian letters, Arabic, ...), then stopword counts for
Latin-script text; None when the text is short or unclear.
"""

from __future__ import annotations

from extractor.html.language import detect_language

__all__ = ["detect_language"]
