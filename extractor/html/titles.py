"""The headline: metadata titles checked against the page's <h1>, with the site name cut off."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"\s+(?:[|–—»«›‹·•/\\~>:]|-{1,2}|::)\s+")
_WORD = re.compile(r"\w+")
_SIMILAR = 0.6
_STRONG = frozenset("|»›·•/\\~>:")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def is_site(part: str, site_name: str | None, host: str) -> bool:
    key = _key(part)
    if not key:
        return True
    if site_name and key == _key(site_name):
        return True
    squashed = key.replace(" ", "")
    host_key = host.lower().removeprefix("www.")
    return len(squashed) >= 3 and (squashed in host_key.replace("-", "").replace(".", ""))


def strip_site(title: str, site_name: str | None, host: str) -> str:
    """Remove a site name glued to a title by a separator ("Title | Site", "Site - Title")."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATORS.findall(title)
    kept = [i for i, p in enumerate(parts) if not is_site(p, site_name, host)]
    if kept and len(kept) < len(parts):
        lo, hi = kept[0], kept[-1]
        inner = seps[lo:hi]
        if inner and all(sep.strip() in _STRONG for sep in inner):
            return max(parts[lo : hi + 1], key=lambda p: len(p.split())).strip()
        out = parts[lo]
        for i in range(lo + 1, hi + 1):
            out += seps[i - 1] + parts[i]
        return out.strip()
    if all(sep.strip() in _STRONG for sep in seps):
        # "Headline | Section | Site": the longest part is the headline.
        longest = max(parts, key=lambda p: len(p.split()))
        if len(longest.split()) >= 2:
            return longest.strip()
    last, rest = parts[-1], title[: title.rfind(seps[-1])]
    if len(last.split()) <= 3 and len(rest) > 2 * len(last):
        return rest.strip()
    return title


def _h1_ok(h1: str, site_name: str | None, host: str) -> bool:
    return 4 <= len(h1) <= 250 and not is_site(h1, site_name, host)


def _similar(a: str, b: str) -> bool:
    wa, wb = set(_key(a).split()), set(_key(b).split())
    return bool(wa and wb) and len(wa & wb) >= _SIMILAR * len(wa | wb)


def _longest_part(text: str) -> str:
    return max(_SEPARATORS.split(text), key=lambda p: len(p.split()))


def choose_title(
    candidates: list[tuple[str, str]], headings: list[str], site_name: str | None, host: str
) -> tuple[str | None, str | None]:
    """(title, source): a heading that metadata confirms, else the cleaned metadata title.

    `headings` are the page's <h1> texts, then its <h2> texts (old blogs title posts in h2).
    """
    keys: set[str] = set()
    for text, _ in candidates:
        keys.update(
            (_key(text), _key(strip_site(text, site_name, host)), _key(_longest_part(text)))
        )
    headlines = [h for h in headings if _h1_ok(h, site_name, host)]
    for heading in headlines:
        if _key(heading) in keys:
            return heading, "dom"
    for text, source in candidates:
        cleaned = strip_site(text, site_name, host)
        if cleaned:
            for heading in headlines[:3]:
                if _key(cleaned) in _key(heading):
                    return cleaned, source  # the heading adds a kicker ("Politics | ...")
                if _similar(heading, cleaned):
                    return heading, "dom"  # the visible headline, metadata reworded it
            return cleaned, source
    if headlines:
        return headlines[0], "dom"
    return None, None
