"""Is this page an article? Conservative rules: when in doubt, it is.

Input checks (before parsing): empty input, binary junk.
Page checks (after extraction): error pages, paywall stubs, home/listing/tag pages, and pages
whose body is too short to be an article. Every rejection has a short `reason` code.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from extractor.html.blocks import Block
from extractor.html.dom import Tree
from extractor.html.page_metadata import Metadata
from extractor.model import Document, NotArticle

MIN_TEXT = 200
_JUNK_WINDOW = 4096
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_ERROR_TITLE = re.compile(
    r"\b(?:404|410|500|503)\b|page not found|not found|seite nicht gefunden|"
    r"page (?:introuvable|non trouvée)|página no encontrada|pagina non trovata|"
    r"access denied|forbidden|error occurred|server error",
    re.IGNORECASE,
)
_PAYWALL_TEXT = re.compile(
    r"subscribe (?:now )?to (?:continue|read)|to continue reading|already a subscriber|"
    r"subscribers only|exclusive to subscribers|jetzt abonnieren|weiterlesen mit|"
    r"réservé aux abonnés|create a free account to continue",
    re.IGNORECASE,
)
_PAYWALL_HINT = re.compile(r"paywall|subscriber-only|premium-content|piano")
_LISTING_PATH = re.compile(
    r"/(?:tags?|category|categories|topics?|authors?|archives?|search|label)(?:/|$)|"
    r"/page/\d+/?$|[?&](?:s|q|page|tag|cat)=",
    re.IGNORECASE,
)
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "report")


def check_input(body: str) -> NotArticle | None:
    if not body or not body.strip():
        return NotArticle("empty", "The page has no content.")
    head = body[:_JUNK_WINDOW]
    junk = len(_JUNK.findall(head))
    if junk > len(head) * 0.1:
        return NotArticle("binary", "The page looks like binary data, not HTML.")
    if "<" not in head and "<" not in body[_JUNK_WINDOW : _JUNK_WINDOW * 16]:
        return NotArticle("not_html", "The page holds no HTML markup.")
    return None


def _is_article_typed(meta: Metadata) -> bool:
    kind = (meta.page_type or "").lower()
    return any(kind.endswith(t) for t in _ARTICLE_TYPES) or meta.published is not None


def check_page(doc: Document, meta: Metadata, tree: Tree, blocks: list[Block]) -> NotArticle | None:
    size = sum(len(b.text) for b in blocks)
    title = meta.title or ""
    if size < 1000 and _ERROR_TITLE.search(title):
        return NotArticle("error_page", f"The title reads like an error page: {title[:80]!r}.")
    if size < 600 and _paywalled(tree):
        return NotArticle("paywall", "Only a teaser is visible; the rest is behind a paywall.")
    if size == 0:
        return NotArticle("no_text", "No body text was found on the page.")
    if size < MIN_TEXT and not _is_article_typed(meta):
        return NotArticle("too_short", f"The body holds {size} characters, too few for an article.")
    path = urlsplit(doc.url).path
    if not _is_article_typed(meta) and _listing_like(blocks):
        if path in ("", "/"):
            return NotArticle("home_page", "A home page: many short linked teasers, no article.")
        if _LISTING_PATH.search(doc.url):
            return NotArticle("listing", "A listing, tag or archive page rather than an article.")
    return None


def _listing_like(blocks: list[Block]) -> bool:
    """Most text sits in short or linked blocks, none of them a long paragraph."""
    if not blocks:
        return True
    longest = max((len(b.text) for b in blocks if not b.kind.startswith("h")), default=0)
    linked = sum(b.link_chars for b in blocks)
    total = sum(len(b.text) for b in blocks)
    return longest < 400 and linked > 0.3 * total


def _paywalled(tree: Tree) -> bool:
    """A "subscribe to continue reading" prompt inside a paywall element."""
    for i, hint in enumerate(tree.hint):
        if _PAYWALL_HINT.search(hint) and _PAYWALL_TEXT.search(
            " ".join(tree.text[i : tree.end[i]])
        ):
            return True
    return False
