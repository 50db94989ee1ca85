"""The site a host or URL belongs to, as one key: the rule every part of pagewire uses.

The extractor keys the article id (`extractor.urls`) and the site memory (`extractor.boilerplate`)
with it, the indexer the `site` field and filter (`indexer.search_models.site_key`), so a filter
matches what was stored and one site is one site everywhere. Pure code.

The rules, in order:

1. User info and the port are dropped, whatever the port: a site is a name, not a server
   address (the article id keeps a non-default port; `extractor.urls.normalise_url`).
2. Lower case; a Unicode name becomes its IDNA ASCII form (punycode, Python's `idna` codec):
   `Bücher.example` and `xn--bcher-kva.example` are one site. A name the codec cannot encode
   (an empty or over-long label) is kept as lower-case text.
3. Dots at either end are dropped: `example.com.` (the fully qualified form) is `example.com`.
4. The prefixes `www.`, `m.`, `mobile.` and `amp.` are dropped, repeatedly, while a dot remains
   after them: `www.m.example.com` is `example.com`, while `amp.dev` and `m.co` stay. The desktop,
   mobile and AMP variants of a site are one site; any other subdomain is a site of its own
   (without the public suffix list, `a.example.com` cannot be told from a tenant of a shared
   domain).

An IPv6 address keeps its text without the brackets (`[::1]:8080` is `::1`). Nothing that can
be parsed is refused: a name with characters no host has gives a key that matches nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["VARIANT_PREFIXES", "site_host", "site_of"]

VARIANT_PREFIXES = ("www.", "m.", "mobile.", "amp.")


def site_host(host: str) -> str:
    """The site of a host (`Example.COM.`, `user@www.example.com:8080`, `[::1]`); "" if none.

    Anything after the host (`example.com/a?b`) is ignored, so a host typed with a path works.
    """
    try:
        name = urlsplit("//" + host.strip()).hostname or ""
    except ValueError:  # an unclosed IPv6 bracket: "[::1"
        return ""
    return _without_prefixes(_ascii(name).strip("."))


def site_of(url: str) -> str:
    """The site of a URL's host; "" when it has none (`file:///a`, `not a url`) or cannot be
    parsed (`http://[oops`)."""
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return ""
    return site_host(netloc) if netloc else ""


def _ascii(name: str) -> str:
    if name.isascii():
        return name
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def _without_prefixes(name: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for prefix in VARIANT_PREFIXES:
            rest = name[len(prefix) :]
            if name.startswith(prefix) and "." in rest:
                name, stripped = rest, True
    return name
