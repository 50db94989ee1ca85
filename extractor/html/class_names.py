"""What class, id and role names say about an element: boilerplate, content, or nothing.

These are general web conventions (WordPress, Bootstrap, schema.org, ARIA...), never names
taken from a particular site.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.patterns import PatternBits

# Almost always boilerplate, even when a content word is also present ("post-comments").
STRONG_NEGATIVE = re.compile(
    r"comment|disqus|\bshare|sharing|sharedaddy|social|related|recommend|newsletter|"
    r"subscri|signup|sign-up|cookie|consent|gdpr|sidebar|breadcrumb|advert|\bads?\b|"
    r"\bad-|-ad\b|sponsor|outbrain|taboola|most-?popular|more-stories|read-?more|also-?read|"
    r"author-?bio|about-?the-?author|author-?box|author-?info|autor(?:en)?-?box|author-?card|"
    r"author-?profile|\bpopup|\bmodal\b|navigation|contentinfo|"
    r"\bcomplementary\b|\bbanner\b|\bsearch|\bprint-?only|jp-relatedposts|post-?nav|"
    r"nav-?links|pagination|\bpager\b|trending|\bpromo(?:s|tion|box)?\b|\bfollow|\blogin|"
    r"popmake"
)
# Boilerplate unless a content word is present too ("entry-footer" stays boilerplate,
# "main-content-header" is not).
NEGATIVE = re.compile(
    r"footer|\bmenu|navbar|\bnav\b|masthead|\btags?\b|tag-?list|taglist|byline|\bmeta\b|"
    r"post-meta|entry-meta|article-meta|toolbar|\bskip|copyright|rating|\bvote|"
    r"\bprev|\bnext|\bheader|dateline|\bdate\b|timestamp|\bauthor|\btools\b|overlay|"
    r"supplement|\bextra\b|\bcaption|credit|\bhidden\b|\bfooter|\bshop|\bstore|\bcart\b|"
    r"\bwidget|paywall|\blegend\b"
)
POSITIVE = re.compile(
    r"article|\bbody|content|entry|\bmain\b|\bpost\b|post-?body|post-?text|story|\btext|"
    r"\bblog|hentry|prose|markdown|articlebody|\bpage\b|single"
)
DEAD_TAGS = frozenset({"nav", "footer", "aside", "header", "figure", "figcaption"})
DEAD_ROLES = re.compile(r"\b(?:navigation|banner|contentinfo|complementary|dialog|search)\b")


_STRONG, _WEAK, _CONTENT = 1, 2, 4


_FLAGS = PatternBits([p.pattern for p in (STRONG_NEGATIVE, DEAD_ROLES, NEGATIVE, POSITIVE)])


@lru_cache(maxsize=65536)
def _token_flags(token: str) -> int:
    """What one class/id token says; tokens repeat across elements and pages, so cache them."""
    found = _FLAGS.bits(token)
    return (
        (_STRONG if found & 0b11 else 0)
        | (_WEAK if found & 0b100 else 0)
        | (_CONTENT if found & 0b1000 else 0)
    )


@lru_cache(maxsize=16384)
def _hint_flags(hint: str) -> int:
    flags = 0
    for token in hint.split():
        flags |= _token_flags(token)
    return flags


def is_boilerplate(tag: str, hint: str) -> bool:
    """True where an element, by its tag or names, is navigation, sharing, comments, ads..."""
    if tag in DEAD_TAGS:
        return True
    if not hint:
        return False
    flags = _hint_flags(hint)
    return bool(flags & _STRONG) or (bool(flags & _WEAK) and not flags & _CONTENT)


def class_weight(hint: str) -> float:
    """Readability's class weight: +25 for a content name, -25 for a boilerplate name."""
    if not hint:
        return 0.0
    flags = _hint_flags(hint)
    weight = 25.0 if flags & _CONTENT else 0.0
    if flags & (_STRONG | _WEAK):
        weight -= 25
    return weight
