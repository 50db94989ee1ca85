"""A page's features for the page-type model (`extractor.page_type`): what kind of page it is.

Features are the page's shape, never its site or its words: URL path tokens that name a kind
of page in general ("docs", "forum", "product"), the schema.org and OpenGraph types it declares,
counts and shares of its structures (forms, inputs, prices, code, tables, lists, headings,
repeated sibling elements, comment and reply containers, breadcrumbs), its link density and the
length of its text. `FEATURES` names them in the order `page_features` returns them; the model
file lists the same names, and loading it checks they agree.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import accumulate
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from extractor.html.dom import TEXT, Tree

# URL path tokens that name a kind of page on many sites, grouped by the type they suggest.
_URL_TOKENS = {
    "url_article": "news article articles blog blogs story stories post posts opinion press",
    "url_product": "product products p item items dp shop store buy sku",
    "url_forum": "forum forums thread threads topic t discussion discussions community "
    "questions question q board viewtopic showthread answers comments talk chat discuss "
    "replies messages",
    "url_docs": "docs doc documentation api reference guide guides manual wiki learn "
    "tutorial tutorials developer developers kb handbook glossary book chapter started "
    "introduction overview howto notes spec sdk",
    "url_collection": "category categories c collection collections tag tags archive "
    "archives list browse search catalog department shop-all",
    "url_service": "services service pricing about contact solutions features plans support "
    "help company careers faq book booking",
}
_URL_SETS = {name: frozenset(words.split()) for name, words in _URL_TOKENS.items()}
_URL_SPLIT = re.compile(r"[/._\-?&=+,;:]+")
_HOST_LABELS = 2  # the registrable name's labels; those before it ("docs.", "shop.") are tokens
_URL_VERSION = re.compile(r"/v?\d+(?:\.\d+)+/|/v\d+/|/(?:latest|stable|current)/")
_URL_DATE = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d)(?:/|$)|(?:19|20)\d\d-[01]\d-[0-3]\d")

# schema.org types, grouped by the page type they point to.
_SCHEMA_GROUPS = {
    "ld_article": "article newsarticle blogposting reportagenewsarticle opinionnewsarticle "
    "analysisnewsarticle scholarlyarticle liveblogposting backgroundnewsarticle",
    "ld_product": "product offer aggregateoffer productgroup individualproduct productmodel",
    "ld_forum": "discussionforumposting qapage question answer comment socialmediaposting",
    "ld_collection": "collectionpage itemlist searchresultspage offercatalog",
    "ld_docs": "techarticle apireference softwaresourcecode howto",
    "ld_service": "service localbusiness professionalservice contactpage aboutpage faqpage "
    "softwareapplication webapplication event organization",
    "ld_breadcrumb": "breadcrumblist",
    "ld_rating": "aggregaterating review rating",
}
_SCHEMA_OF = {t: name for name, types in _SCHEMA_GROUPS.items() for t in types.split()}
_LD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?(\w+)"')
_ITEMTYPE = re.compile(r'itemtype=["\']?https?://schema\.org/(\w+)')
_OG_TYPES = ("article", "product", "website")
_TITLE_PARTS = re.compile(r"\s[|·•–—:-]\s")  # "Post title | Section | Site"
# Declared publication dates and authors, and contact links: in the markup, not the text.
# Literal strings (`str.count`), many times faster over a whole page than a regex alternation.
_MARKUP_CUES = {
    "published": ("article:published_time", "datePublished"),
    "author": ('rel="author"', '"author"'),
    "contact": ("tel:", "mailto:"),
}

# Form controls and embeds: the tree skips them, so they are counted in the raw HTML.
_RAW_TAGS = ("input", "button", "select", "textarea", "iframe", "video", "script")
_RAW_TAG = re.compile(r"<(input|button|select|textarea|iframe|video|script)\b", re.IGNORECASE)

_TREE_TAGS = (
    "p", "li", "table", "tr", "pre", "code", "h1", "h2", "h3", "img", "article", "section",
    "nav", "aside", "footer", "blockquote", "form", "dt", "time", "figure", "a",
)  # fmt: skip
_SHARE_TAGS = {
    "heading": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "li": ("li",),
    "table": ("table",),
    "code": ("pre", "code"),
    "blockquote": ("blockquote",),
    "p": ("p",),
    "form": ("form",),
}
# Class, id, role and itemprop tokens (`Tree.hint`) that mark kinds of containers anywhere.
_HINTS = (
    "comment", "price", "cart", "product", "breadcrumb", "forum", "post", "pagination", "toc",
    "sidebar", "card", "item", "review", "author", "avatar", "user", "vote", "menu", "share",
    "filter", "sort", "grid", "code", "highlight", "faq", "pricing", "next", "search", "cta",
    "hero", "testimonial", "feature", "date", "meta",
)  # fmt: skip
_CURRENCIES = ("$", "€", "£", "¥", "₹", "EUR", "USD")
_LONG_P = 200
_LONG_NODE = 150
_SHORT_NODE = 30
_REPEAT = 3


def _names() -> tuple[str, ...]:
    url = ("url_depth", "url_path_len", "url_slug_len", "url_slug_words", "url_slug_digits",
           "url_query", "url_date", "url_version", "url_html", "url_root", "url_number_segment",
           *_URL_TOKENS)  # fmt: skip
    schema = (*_SCHEMA_GROUPS, "ld_types", *(f"og_{t}" for t in _OG_TYPES), "og_other",
              *(f"markup_{c}" for c in _MARKUP_CUES), "title_chars", "title_parts")  # fmt: skip
    tree = (
        "text_chars", "text_nodes", "link_density", "links_per_kchar", "elements",
        "heading_links", "linked_images", "long_p", "longest_p", "chars_per_p",
        "repeat_max", "repeat_groups", "repeat_share", "currencies", "digit_share",
        "question_marks", "sentence_ends", "long_node_share", "short_node_share",
        "headings_per_kchar",
    )  # fmt: skip
    return (
        *url,
        *schema,
        *(f"raw_{t}" for t in _RAW_TAGS),
        *tree,
        *(f"tag_{t}" for t in _TREE_TAGS),
        *(f"share_{s}" for s in _SHARE_TAGS),
        *(f"hint_{h}" for h in _HINTS),
    )


FEATURES: tuple[str, ...] = _names()


def page_features(url: str, html: str, parser: LexborHTMLParser, tree: Tree) -> list[float]:
    """The page's features, in the order of `FEATURES`."""
    row = [
        *_url_features(url),
        *_schema_features(html, parser),
        *_raw_tag_features(html),
        *_tree_features(tree),
    ]
    assert len(row) == len(FEATURES)
    return row


def _log(n: float) -> float:
    return math.log1p(n)


def _url_features(url: str) -> list[float]:
    parts = urlsplit(url)
    path = parts.path.lower()
    segments = [s for s in path.split("/") if s]
    slug = segments[-1] if segments else ""
    slug = slug.rsplit(".", 1)[0] if "." in slug else slug
    tokens = set(_URL_SPLIT.split(path + "?" + parts.query.lower()))
    tokens.update((parts.hostname or "").split(".")[:-_HOST_LABELS])
    return [
        len(segments),
        len(path),
        len(slug),
        len([w for w in re.split(r"[-_]+", slug) if w]),
        sum(c.isdigit() for c in slug) / max(len(slug), 1),
        float(bool(parts.query)),
        float(bool(_URL_DATE.search(path))),
        float(bool(_URL_VERSION.search(path))),
        float(path.endswith((".html", ".htm", ".php", ".aspx"))),
        float(not segments),
        float(any(s.isdigit() for s in segments)),
        *(float(bool(tokens & words)) for words in _URL_SETS.values()),
    ]


def _schema_features(html: str, parser: LexborHTMLParser) -> list[float]:
    types = [t.lower() for t in _LD_TYPE.findall(html)] + [
        t.lower() for t in _ITEMTYPE.findall(html)
    ]
    groups = Counter(_SCHEMA_OF.get(t) for t in types)
    og = parser.css_first('meta[property="og:type"]')
    og_type = ((og.attributes.get("content") or "") if og is not None else "").strip().lower()
    og_known = [float(og_type == t or og_type.startswith(t + ".")) for t in _OG_TYPES]
    head_title = parser.css_first("title")
    title = " ".join(head_title.text().split()) if head_title is not None else ""
    return [
        *(float(groups[name] > 0) for name in _SCHEMA_GROUPS),
        _log(len(set(types))),
        *og_known,
        float(bool(og_type) and not any(og_known)),
        *(_log(sum(map(html.count, cues))) for cues in _MARKUP_CUES.values()),
        len(title),
        len(_TITLE_PARTS.findall(title)),
    ]


def _raw_tag_features(html: str) -> list[float]:
    counts = Counter(m.lower() for m in _RAW_TAG.findall(html))
    return [_log(counts[t]) for t in _RAW_TAGS]


def _covered(tree: Tree, cum: list[int], starts: list[int]) -> int:
    """Characters of text inside the elements at `starts`, in document order (an element
    inside another of them counted once)."""
    total, until = 0, -1
    for i in starts:
        if i >= until:
            total += cum[tree.end[i]] - cum[i]
            until = tree.end[i]
    return total


def _positions(tree: Tree) -> dict[str, list[int]]:
    """Each element tag's indices, in document order."""
    where: dict[str, list[int]] = {}
    for i, tag in enumerate(tree.tag):
        if tag != TEXT:
            where.setdefault(tag, []).append(i)
    return where


def _share(tree: Tree, cum: list[int], where: dict[str, list[int]], tags: tuple[str, ...]) -> int:
    return _covered(tree, cum, sorted(i for t in tags for i in where.get(t, ())))


def _tree_features(tree: Tree) -> list[float]:
    lengths = list(map(len, tree.text))
    cum = [0, *accumulate(lengths)]
    chars = cum[-1]
    counts = Counter(tree.tag)
    where = _positions(tree)
    elements = len(tree.tag) - counts[TEXT]
    anchors = where.get("a", [])
    linked = _covered(tree, cum, anchors)
    paragraphs = [cum[tree.end[i]] - cum[i] for i in where.get("p", ())]
    heading_links = sum(
        1
        for tag in _SHARE_TAGS["heading"]
        for i in where.get(tag, ())
        if "a" in tree.tag[i + 1 : tree.end[i]]
    )
    linked_images = sum(1 for i in anchors if "img" in tree.tag[i + 1 : tree.end[i]])
    siblings = Counter(zip(tree.parent, tree.tag, tree.hint, strict=True))
    repeated = [n for (_, tag, _), n in siblings.items() if n >= _REPEAT and tag != TEXT]
    text = "".join(tree.text)
    # Custom elements name what they hold as class names do (`<user-comment>`).
    hints = " ".join([*tree.hint, *(t for t in counts if "-" in t for _ in range(counts[t]))])
    total = max(chars, 1)
    return [
        _log(chars),
        _log(counts[TEXT]),
        linked / total,
        1000 * len(anchors) / total,
        _log(elements),
        _log(heading_links),
        _log(linked_images),
        _log(sum(1 for n in paragraphs if n >= _LONG_P)),
        _log(max(paragraphs, default=0)),
        sum(paragraphs) / max(len(paragraphs), 1),
        _log(max(repeated, default=0)),
        _log(len(repeated)),
        sum(repeated) / max(elements, 1),
        _log(sum(map(text.count, _CURRENCIES))),
        sum(map(text.count, "0123456789")) / total,
        1000 * text.count("?") / total,
        1000 * (text.count(". ") + text.count("。")) / total,
        sum(n for n in lengths if n >= _LONG_NODE) / total,
        sum(n for n in lengths if n < _SHORT_NODE) / total,
        1000 * sum(len(where.get(h, ())) for h in _SHARE_TAGS["heading"]) / total,
        *(_log(counts[t]) for t in _TREE_TAGS),
        *(_share(tree, cum, where, tags) / total for tags in _SHARE_TAGS.values()),
        *(_log(hints.count(h)) for h in _HINTS),
    ]
