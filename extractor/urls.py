"""URL normalisation and the article id: pure functions.

The article id is derived from the canonical URL, normalised so that the same article under
trivially different URLs (scheme, `www.`, default port, fragment, tracking parameters, query
order, trailing slash) gets one id.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
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
        "outputtype",
        "amp",
        "__twitter_impression",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """A stable form of `url` for comparison; not meant to be fetched."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    netloc = f"{host}:{port}" if port else host
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def article_id(canonical_url: str) -> str:
    """The article id: a hash of the normalised URL without its scheme (http == https)."""
    normal = normalise_url(canonical_url)
    key = normal.split("://", 1)[-1]
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def choose_canonical(url: str, declared: str | None) -> str:
    """The page's declared canonical URL when it is plausible, else the fetched URL.

    A canonical that points at a site's home page (or another site's) while the fetched URL is
    deeper is a common template mistake; trusting it would fold every article into one.
    """
    if not declared:
        return url
    absolute = urljoin(url, declared.strip())
    got, want = urlsplit(absolute), urlsplit(url)
    if got.scheme not in ("http", "https") or not got.hostname:
        return url
    if got.path in ("", "/") and want.path not in ("", "/"):
        return url
    return absolute
