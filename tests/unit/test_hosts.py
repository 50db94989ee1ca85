"""The one rule for a site's key (`shared.hosts`), and that every user applies the same one."""

from __future__ import annotations

import pytest

from extractor.urls import article_id, same_site
from indexer.search_models import site_key
from shared.hosts import site_host, site_of


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        # case, a trailing dot, the dots at either end
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        (".example.com", "example.com"),
        # user info and the port, any port
        ("user:secret@example.com:8443", "example.com"),
        ("example.com:443", "example.com"),
        ("example.com:notaport", "example.com"),
        # IDNA: Unicode names become their ASCII form; the ASCII form stays
        ("Bücher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("münchen\u3002de", "xn--mnchen-3ya.de"),  # an ideographic full stop separates labels
        # the desktop, mobile and AMP variants, repeatedly, while a dot remains
        ("www.example.com", "example.com"),
        ("m.example.com", "example.com"),
        ("mobile.example.com", "example.com"),
        ("amp.example.com", "example.com"),
        ("www.m.example.com", "example.com"),
        ("amp.dev", "amp.dev"),
        ("m.co", "m.co"),
        ("www2.example.com", "www2.example.com"),
        ("edition.example.com", "edition.example.com"),
        # what follows the host is ignored; IPv6 literals lose their brackets
        ("example.com/a?b#c", "example.com"),
        ("[::1]:8080", "::1"),
        # nothing there
        ("", ""),
        ("   ", ""),
        ("[::1", ""),
    ],
)
def test_site_host(host: str, expected: str) -> None:
    assert site_host(host) == expected


def test_a_name_idna_cannot_encode_is_kept_in_lower_case() -> None:
    too_long = "Ä" * 70 + ".example"
    assert site_host(too_long) == too_long.lower()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Example.org:8443/a?b=1", "example.org"),
        ("https://a.example?u=http://b.example", "a.example"),
        ("//m.example.com/a", "example.com"),
        ("http://Bücher.example/", "xn--bcher-kva.example"),
        ("file:///tmp/page.html", ""),
        ("not a url", ""),
        ("http://[::1", ""),
    ],
)
def test_site_of(url: str, expected: str) -> None:
    assert site_of(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://WWW.Bücher.example./a",
        "https://m.xn--bcher-kva.example:443/a",
        "https://user@amp.bücher.example/a",
    ],
)
def test_the_article_id_the_site_filter_and_the_site_memory_agree(url: str) -> None:
    canonical = "https://xn--bcher-kva.example/a"
    assert article_id(url) == article_id(canonical)
    assert site_key(url) == site_of(url) == "xn--bcher-kva.example"
    assert same_site(site_of(url), "bücher.example")
