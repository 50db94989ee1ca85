"""URL normalisation and the article id: pure functions.

The article id is derived from the canonical URL, normalised so that the same article under
trivially different URLs gets one id:

- scheme (http == https), default ports, the fragment;
- the host as `shared.hosts.site_host` keys a site: case, IDNA, a trailing dot, the `www.`,
  `m.`, `mobile.` and `amp.` prefixes (while a registrable-looking name remains: `amp.dev`
  stays `amp.dev`);
- tracking parameters (`utm_*`, `fbclid`...), the order of the query's parameters;
- AMP variants: an `amp` path segment (`/amp/story`, `/story/amp`), `.amp.html` and `.amp`
  endings, `?amp`, `?amp=1`, `outputType=amp`, `output=amp`, and Google's AMP cache URLs
  (`*.cdn.ampproject.org/c/s/host/path`, `google.com/amp/s/host/path`);
- `index.html` (`.htm`, `.php`) at the end of the path, and a trailing slash.

So the AMP page a canonical page links with `rel=amphtml` gets the canonical page's id when
its URL follows one of these schemes, and in any case when the AMP page declares its
canonical (`choose_canonical` accepts a canonical on the same site).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from shared.hosts import site_host

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs", "amp_", "__amp")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mkt_tok",
        "ref",
        "ref_src",
        "cmpid",
        "ocid",
        "icid",
        "ncid",
        "s_cid",
        "sr_share",
        "share",
        "smid",
        "cid",
        "amp",
        "usqp",
        "__twitter_impression",
    }
)
_AMP_VALUED = frozenset({"outputtype", "output", "format"})
"""Parameters that only mark an AMP variant when their value is `amp`."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_INDEX_PAGES = frozenset({"index.html", "index.htm", "index.php"})
_AMP_CACHE_PATH = re.compile(r"^/(?:[cvi]/)?(s/)?([^/]+\.[^/]+)(/.*)?$", re.IGNORECASE)


def _is_tracking(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered in _AMP_VALUED:
        return value.strip().lower() == "amp"
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _unwrap_amp_cache(url: str) -> str:
    """The publisher's URL behind a Google AMP cache or viewer URL; others unchanged."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return url
    if host.endswith(".cdn.ampproject.org"):
        path = parts.path
    elif host.startswith(("google.", "www.google.")) and parts.path.startswith("/amp/"):
        path = parts.path[len("/amp") :]
    else:
        return url
    match = _AMP_CACHE_PATH.match(path)
    if match is None:
        return url
    secure, origin, rest = match.groups()
    scheme = "https" if secure else "http"
    return str(urlunsplit((scheme, origin, rest or "/", parts.query, "")))


def _normal_path(path: str) -> str:
    segments = [s for s in path.split("/") if s.lower() != "amp"]
    last = segments[-1] if segments else ""
    lowered = last.lower()
    if lowered in _INDEX_PAGES:
        segments[-1] = ""
    elif lowered.endswith(".amp.html"):
        segments[-1] = last[: -len(".amp.html")] + ".html"
    elif lowered.endswith(".amp") and len(last) > len(".amp"):
        segments[-1] = last[: -len(".amp")]
    path = "/".join(segments)
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def _port(netloc: str) -> int | None:
    """The explicit port of a netloc; None when absent or not a port number."""
    try:
        return urlsplit("//" + netloc).port
    except ValueError:
        return None


def normalise_url(url: str) -> str:
    """A stable form of `url` for comparison; not meant to be fetched."""
    try:
        parts = urlsplit(_unwrap_amp_cache(url.strip()))
    except ValueError:  # an unparseable host, e.g. "http://[x": the URL is its own normal form
        return url.strip()
    scheme = parts.scheme.lower() or "http"
    host = site_host(parts.netloc)
    port = _port(parts.netloc) if parts.netloc else None
    port = None if port == _DEFAULT_PORTS.get(scheme) else port
    netloc = f"{host}:{port}" if port else host
    path = _normal_path(parts.path or "/")
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, v)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def article_id(canonical_url: str) -> str:
    """The article id: a hash of the normalised URL without its scheme (http == https)."""
    normal = normalise_url(canonical_url)
    key = normal.split("://", 1)[-1]
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def same_site(a: str, b: str) -> bool:
    """Whether two hosts belong to one site (`shared.hosts.site_host`): equal, or one under
    the other.

    `amp.example.com`, `m.example.com` and `edition.example.com` are all on `example.com`;
    `a.example.com` and `b.example.com` are not on one site (without the public suffix
    list, siblings cannot be told from unrelated tenants of a shared domain).
    """
    a, b = site_host(a), site_host(b)
    return bool(a) and bool(b) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def choose_canonical(url: str, declared: str | None) -> str:
    """The page's declared canonical URL when it is plausible, else the fetched URL.

    Plausible: http(s), on the same site as the fetched URL (`same_site`), and not the
    site's home page while the fetched URL is deeper (a common template mistake; trusting
    it would fold every article into one). A canonical on another site (a syndicated copy
    crediting the original) is not taken: the copy keeps its own id, so it never replaces
    the original's document, and the index groups the two as near duplicates instead.
    """
    if not declared:
        return url
    try:
        absolute = urljoin(url, declared.strip())
        got, want = urlsplit(absolute), urlsplit(_unwrap_amp_cache(url))
    except ValueError:
        return url
    if got.scheme not in ("http", "https") or not site_host(got.netloc):
        return url
    if site_host(want.netloc) and not same_site(got.netloc, want.netloc):
        return url
    if got.path in ("", "/") and want.path not in ("", "/"):
        return url
    return absolute
