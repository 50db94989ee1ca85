"""The headline: metadata titles checked against the page's <h1>, with the site name cut off."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"\s+(?:[|–—»«·•:/\\~>]|-{1,2}|::)\s+")
_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _is_site(part: str, site_name: str | None, host: str) -> bool:
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
    kept = [i for i, p in enumerate(parts) if not _is_site(p, site_name, host)]
    if kept and len(kept) < len(parts):
        lo, hi = kept[0], kept[-1]
        out = parts[lo]
        for i in range(lo + 1, hi + 1):
            out += seps[i - 1] + parts[i]
        return out.strip()
    # No part names the site: a short last part after a longer title is a site name.
    last, rest = parts[-1], title[: title.rfind(seps[-1])]
    if len(last.split()) <= 3 and len(rest) > 2 * len(last) and seps[-1].strip() in "|–—»·•":
        return rest.strip()
    return title


def choose_title(
    candidates: list[tuple[str, str]], h1s: list[str], site_name: str | None, host: str
) -> tuple[str | None, str | None]:
    """(title, source): an <h1> that a metadata title confirms, else the best metadata title."""
    cleaned = [(strip_site(t, site_name, host), s) for t, s in candidates if t]
    keys = {_key(t) for t, _ in cleaned} | {_key(t) for t, _ in candidates if t}
    for h1 in h1s:
        key = _key(h1)
        if key and (key in keys or any(k.startswith(key) and len(key) > 20 for k in keys)):
            return h1, "dom"
    if cleaned:
        return cleaned[0]
    if h1s:
        return h1s[0], "dom"
    return None, None
