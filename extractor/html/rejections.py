"""Is there anything to extract? Every page with some main content is published, whatever its
type; a rejection says why a page has none. Every rejection has a short `reason` code.

Input checks (before parsing): empty input, binary junk, no markup.
Page checks (after extraction): no text at all, an error page (an error title over almost no
text), a login page (a password field and almost no text: the form's labels). A teaser behind
a paywall, a home page, a listing or a short product page all have content: they are
published, and their `page_type` says what they are.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from extractor.html.blocks import Block
from extractor.html.page_metadata import Metadata
from extractor.model import Rejection

MIN_TEXT = 200
"""Characters of text under which a page shows almost nothing (a notice, a form's labels)."""
_JUNK_WINDOW = 4096
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_ERROR_TITLE = re.compile(
    r"(?<![\w-])(?:400|401|403|404|410|500|502|503)(?![\w-])|page not found|not found|"
    r"seite nicht gefunden|page (?:introuvable|non trouvée)|página no encontrada|"
    r"pagina non trovata|access denied|forbidden|error occurred|server error",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w")


def check_input(body: str) -> Rejection | None:
    if not body or not body.strip():
        return Rejection("empty", "The page has no content.")
    head = body[:_JUNK_WINDOW]
    junk = len(_JUNK.findall(head))
    if junk > len(head) * 0.1:
        return Rejection("binary", "The page looks like binary data, not HTML.")
    if "<" not in head and "<" not in body[_JUNK_WINDOW : _JUNK_WINDOW * 16]:
        return Rejection("not_html", "The page holds no HTML markup.")
    return None


def check_page(parser: LexborHTMLParser, meta: Metadata, blocks: list[Block]) -> Rejection | None:
    """Why the extracted body is nothing to publish, or None when it is content."""
    if not any(_WORD.search(b.text) for b in blocks):
        return Rejection("no_text", "No body text was found on the page.")
    size = sum(len(b.text) for b in blocks)
    title = meta.title or ""
    if size < MIN_TEXT and _ERROR_TITLE.search(title):
        return Rejection("error_page", f"An error page with no content: {title[:80]!r}.")
    if size < MIN_TEXT and _has_password_field(parser):
        # The form's labels are all the text. (Not "the text outside the form": some
        # platforms wrap the whole page, a forum thread included, in one form.)
        return Rejection("login_page", "A login form with no content beside it.")
    return None


def _has_password_field(parser: LexborHTMLParser) -> bool:
    return any(
        (field.attributes.get("type") or "").strip().lower() == "password"
        for field in parser.css("input[type]")
    )
