"""Page metadata from every source a page may use, merged by a fixed precedence.

Precedence for most fields: JSON-LD > OpenGraph/`article:*` > other <meta> > microdata > DOM
> URL. The title is the exception: an <h1> that a metadata title confirms wins (see `titles`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extractor import dates
from extractor.date_decision import Candidate, DateEvidence, declared
from extractor.html import dom_metadata, jsonld
from extractor.html.authors import people
from extractor.html.page_metadata import Metadata
from extractor.html.titles import choose_title
from extractor.model import Document

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "datepublished", "publishdate", "publish_date", "publish-date", "pubdate",
    "dc.date.issued", "sailthru.date", "parsely-pub-date", "article.published",
    "published_time", "citation_publication_date", "citation_date", "og:published_time",
    "cxenseparse:recs:publishtime", "article_date_original", "originalpublicationdate",
    "displaydate",
)  # fmt: skip
# A bare "date" says nothing of what it dates: CMSs fill it with the page's build or last
# change. It is used only when neither the DOM nor the text near the headline gives a date.
_GENERIC_DATE_META = (
    "date", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created", "created",
)  # fmt: skip
_LD_PUBLISHED = ("datePublished", "dateCreated")
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dcterms.modified", "article.updated", "lastmod", "modified_time", "revised",
)  # fmt: skip
_AUTHOR_META = (
    "author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl",
    "citation_author", "dcterms.creator", "twitter:creator:name", "cxenseparse:author",
)  # fmt: skip


_WRITTEN_BY = re.compile(r"written by|verfasst von|geschrieben von|autor|author|écrit par", re.I)


def read_meta(parser: LexborHTMLParser) -> dict[str, list[str]]:
    """Every <meta> content by its lower-cased property, name or itemprop (all values kept)."""
    out: dict[str, list[str]] = {}
    for node in parser.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = attrs.get(key)
            if name:
                out.setdefault(name.strip().lower(), []).append(" ".join(content.split()))
    return out


def _first(meta: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        values = meta.get(name)
        if values:
            return values[0]
    return None


def extract_metadata(parser: LexborHTMLParser, doc: Document) -> Metadata:
    md = Metadata(dates=DateEvidence(doc.url))
    meta = read_meta(parser)
    scripts = [n.text() for n in parser.css('script[type="application/ld+json" i]')]
    objects = jsonld.parse_scripts(scripts)
    ld_published = _from_jsonld(md, objects)
    _from_meta(md, meta)
    # An explicit published <meta> (article:published_time...) outranks JSON-LD's date: SEO
    # plugins often fill datePublished with the draft's creation or a first import.
    md.dates.published += ld_published
    _twins(md, meta)
    _drop_site_authors(md, doc.url)
    dom_metadata.from_dom(md, parser, doc.url)
    found = declared(md.dates)
    if found is not None:
        md.published, md.published_raw = found.value, found.raw
        md.sources["published"] = found.source
    _title(md, parser, meta, objects, doc.url)
    if md.canonical_url:
        md.canonical_url = _absolute(doc.url, md.canonical_url)
    if md.image:
        md.image = _absolute(doc.url, md.image)
    return md


def _absolute(base: str, url: str) -> str | None:
    """`url` resolved against the page's URL; None when it cannot be parsed ("http://[x")."""
    try:
        return urljoin(base, url)
    except ValueError:
        return None


def _from_jsonld(md: Metadata, objects: list[dict[str, Any]]) -> list[Candidate]:
    """The JSON-LD fields into `md`; its published dates are returned (they rank after the
    explicit published <meta>), its modified date goes first among the modified."""
    article = jsonld.find_article(objects)
    website = jsonld.find_type(objects, {"website"})
    publisher = article.get("publisher") if article else None
    md.set("site_name", jsonld.text_of(publisher) or jsonld.text_of((website or {}).get("name")),
           "json-ld")  # fmt: skip
    if article is None:
        return []
    kinds = sorted(jsonld.types_of(article))
    md.page_type = kinds[0] if kinds else None
    md.set("description", jsonld.text_of(article.get("description")), "json-ld")
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    names = _author_values(article.get("author"), by_id)
    md.set("authors", people(names), "json-ld")
    md.add_desk(names, "json-ld")
    published = _candidates([jsonld.text_of(article.get(k)) for k in _LD_PUBLISHED], "json-ld")
    md.dates.modified += _candidates([jsonld.text_of(article.get("dateModified"))], "json-ld")
    md.set("section", jsonld.text_of(article.get("articleSection")), "json-ld")
    md.set("tags", _tags(article.get("keywords")), "json-ld")
    md.set("image", jsonld.text_of(article.get("image")), "json-ld")
    md.set("language", jsonld.text_of(article.get("inLanguage")), "json-ld")
    body = jsonld.text_of(article.get("articleBody"))
    md.article_body = body
    return published


def _author_values(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names of Person authors (organisations are skipped by type; {"@id"} links followed)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for raw in items:
        item = raw
        if isinstance(raw, dict) and "name" not in raw and raw.get("@id") in by_id:
            item = by_id[raw["@id"]]
        if isinstance(item, dict) and jsonld.types_of(item) & {
            "organization",
            "newsmediaorganization",
        }:
            continue
        found = jsonld.text_of(item.get("name") if isinstance(item, dict) else item)
        if found and not found.startswith("http"):
            out.append(found)
    return out


def _tags(value: Any) -> list[str]:
    raw = jsonld.strings_of(value)
    if len(raw) == 1:
        raw = raw[0].split(",")
    return [t.strip() for t in raw if t.strip()][:50]


def _candidates(raws: list[str | None], source: str) -> list[Candidate]:
    """The values that are dates, parsed, in their order."""
    found = []
    for raw in raws:
        value = dates.parse_date(raw) if raw else None
        if value is not None:
            found.append(Candidate(value, source, raw))
    return found


def _drop_site_authors(md: Metadata, url: str) -> None:
    """Authors that are only the site's own name ("L'Opinion" on lopinion.fr, typed Person
    by a plugin) are set aside, so the page's byline can be read; they come back as a
    desk credit when the page names no one else."""
    if not md.authors:
        return
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:  # "http://[x": no host to compare with
        host = ""
    names = {dom_metadata.compact(host.split(".")[0]), dom_metadata.compact(host)}
    if md.site_name:
        names.add(dom_metadata.compact(md.site_name))
    names.discard("")
    if all(dom_metadata.compact(a) in names for a in md.authors):
        md.desk = md.desk or (", ".join(md.authors), md.sources.get("authors", "meta"))
        md.authors = []
        md.sources.pop("authors", None)


def _twins(md: Metadata, meta: dict[str, list[str]]) -> None:
    """The dated <meta> values written with a local offset: a UTC published date may be the
    same instant as one of them (`date_decision`, step 1)."""
    names = (*_PUBLISHED_META, *_GENERIC_DATE_META)
    for found in _candidates([raw for n in names for raw in meta.get(n, [])[:3]], "meta"):
        if found.value.utcoffset():
            md.dates.twins.append(found)


def _from_meta(md: Metadata, meta: dict[str, list[str]]) -> None:
    md.set("description", _first(meta, "og:description"), "og")
    md.set("description", _first(meta, "description", "twitter:description"), "meta")
    md.set("site_name", _first(meta, "og:site_name"), "og")
    md.set("site_name", _first(meta, "application-name", "twitter:site"), "meta")
    md.set("image", _first(meta, "og:image", "og:image:url", "og:image:secure_url"), "og")
    md.set("image", _first(meta, "twitter:image", "twitter:image:src"), "meta")
    md.set("canonical_url", _first(meta, "og:url"), "og")
    md.set("section", _first(meta, "article:section"), "og")
    md.set("tags", meta.get("article:tag", [])[:50], "og")
    md.set("tags", _tags(_first(meta, "keywords", "news_keywords")), "meta")
    md.page_type = md.page_type or _first(meta, "og:type")
    for name in _PUBLISHED_META:
        md.dates.published += _candidates([_first(meta, name)], _date_source(name))
    generic = _candidates([_first(meta, name) for name in _GENERIC_DATE_META], "meta")
    md.dates.generic = generic[0] if generic else None
    for name in _MODIFIED_META:
        md.dates.modified += _candidates([_first(meta, name)], _date_source(name))
    for n in range(1, 5):  # twitter:label1 "Written by" / twitter:data1 "Jane Doe"
        label = _first(meta, f"twitter:label{n}") or ""
        if _WRITTEN_BY.search(label):
            md.set("authors", people([_first(meta, f"twitter:data{n}") or ""]), "meta")
            md.add_desk([_first(meta, f"twitter:data{n}") or ""], "meta")
    for name in _AUTHOR_META:
        values = [v for v in meta.get(name, []) if not v.startswith(("http", "@", "/"))]
        found = people(values)
        if md.authors and len(found) > len(md.authors) and set(md.authors) < set(found):
            md.authors = found  # JSON-LD named the first author only, <meta> names them all
        md.set("authors", found, "og" if name.startswith("article:") else "meta")
    lang = _first(meta, "og:locale", "content-language", "language", "dc.language")
    md.set("language", lang, "meta")


def _date_source(name: str) -> str:
    return "og" if name.startswith(("article:", "og:")) else "meta"


def _title(
    md: Metadata,
    parser: LexborHTMLParser,
    meta: dict[str, list[str]],
    objects: list[dict[str, Any]],
    url: str,
) -> None:
    article = jsonld.find_article(objects) or {}
    candidates = [
        (jsonld.text_of(article.get("headline")) or "", "json-ld"),
        (_first(meta, "og:title") or "", "og"),
        (_first(meta, "twitter:title", "dc.title", "title") or "", "meta"),
    ]
    title_node = parser.css_first("title")
    if title_node is not None:
        candidates.append((" ".join(title_node.text().split()), "title"))
    h1s = [_heading_text(n) for n in parser.css("h1")[:5]]
    h1s += [_heading_text(n) for n in parser.css("h2")[:10]]
    h1s = [h for h in h1s if 0 < len(h) < 300]
    host = urlsplit(url).hostname or ""
    title, source = choose_title([c for c in candidates if c[0]], h1s, md.site_name, host)
    if title:
        md.title = title
        md.sources["title"] = source or "dom"


_KICKER = (
    '[class*="kicker" i], [class*="overline" i], [class*="dachzeile" i], [class*="topline" i], '
    '[class*="roofline" i], [class*="eyebrow" i], [class*="supertitle" i], '
    '[class*="pretitle" i], [class*="spitzmarke" i], [class*="label" i]'
)
_LEADING_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\s*[-–|:]\s*")


def _heading_text(node: LexborNode) -> str:
    """A heading's text without its kicker ("Politics", "Exklusiv") or a leading date."""
    text = " ".join(node.text().split())
    for kicker in node.css(_KICKER)[:3]:
        label = " ".join(kicker.text().split())
        if label and text.startswith(label) and len(label) < len(text):
            text = text[len(label) :].lstrip(" :|–-")
    return _LEADING_DATE.sub("", text)
