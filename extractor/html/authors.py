"""Authors: turn bylines and metadata values into a list of people's names.

Drops "By"/"Von"/"Par"..., dates, e-mail addresses, URLs, roles after a separator
("Jane Doe | Staff Writer"), and values that name an organisation rather than a person.
"""

from __future__ import annotations

import re

_LEADING = re.compile(
    r"^\s*(?:(?:©|\(c\)|photo:|foto:|interview:)\s*|"
    r"(?:pressemitteilung|press release|gastbeitrag|guest post|ein kommentar|kommentar|blog)"
    r"\s+(?:von|by|de)\s+|"
    r"(?:(?:written|posted|published|posts|articles|stories|geschrieben|verfasst|"
    r"veröffentlicht|publié|escrito|scritto|gepost|publicado|ein beitrag|a post)\s+)?"
    r"(?:by|von|par|por|door|av|af|autor(?:in)?|author|auteur|autore|text|texte|"
    r"redakteur(?:in)?|reporter)\s*[:\-]?\s+|(?:author|autor|by|von)(?=(?-i:[A-Z])))",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?:authors?|autor(?:en|in)?|auteurs?|autore|text|von)\s*:\s*", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|&|\||/|\band\b|\bund\b|\bet\b|\bu\.\s)\s*", re.I)
_NOISE = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\b(?:updated|aktualisiert|mis à jour)\b.*$|"
    r"\b(?:on|am|le|el|il|posted|published|veröffentlicht)\s*$|\(.*?\)|\[.*?\]",
    re.IGNORECASE,
)
# "A, B and C - Chrome Safe Browsing team": a team or role after a spaced dash
_ROLE_AFTER_DASH = re.compile(r"\s+[-–—]\s+\D*$")
_ORG_WORDS = re.compile(
    r"\b(?:staff|team|redaktion|editors?|editorial|newsroom|desk|agency|agencies|press|news|"
    r"media|gmbh|inc|ltd|llc|corp|company|online|magazine|zeitung|verlag|reuters|afp|dpa|"
    r"associated|bureau|contributors?|admin|administrator|webmaster|correspondent|"
    r"wire|service|group|network|times|post|daily|tribune|journal|radio|tv|verband|verein|"
    r"stiftung|e\.\s?v)\b",
    re.IGNORECASE,
)
_HAS_DIGIT_RUN = re.compile(r"\d{2,}")
_DOMAIN = re.compile(r"\w\.(?:com|org|net|de|at|ch|fr|es|it|uk|eu|info|io|co)\b|^@", re.I)
_NAME_CHARS = re.compile(r"^[^\W\d_][\w\s.'’\-]*$")
_NOT_NAMES = frozenset(
    [
        "by",
        "von",
        "and",
        "admin",
        "administrator",
        "unknown",
        "anonymous",
        "guest",
        "none",
        "follow",
        "share",
        "author",
        "authors",
        "autor",
        "redaktion",
        "posts",
        "published",
        "posted",
        "menu",
        "home",
        "login",
        "search",
        "archive",
        "archiv",
        "more",
        "sponsored",
        "gesponserte",
        "inhalte",
        "human",
        "user",
        "editor",
        "show",
        "all",
        "articles",
        "of",
        "anzeigen",
        "view",
        "profile",
        "mehr",
        "datum",
        "date",
        "uhr",
        "time",
        "zeit",
        "kommentare",
        "comments",
        "reply",
        "antworten",
        "quelle",
        "source",
        "fuente",
        "foto",
        "photo",
        "bild",
    ]
)
_MAX_WORDS = 5
_SLUG = re.compile(r"^[^\W\d_]{2,}(?:[._-][^\W\d_]{2,})+$")


def clean_author(raw: str) -> list[str]:
    """People's names in one byline or metadata value ("By A and B" -> ["A", "B"])."""
    text = " ".join(raw.split())
    if not text or len(text) > 200:
        return []
    text = _LABEL.sub("", text)
    text = _LEADING.sub("", text)
    text = _ROLE_AFTER_DASH.sub("", _NOISE.sub(" ", text))
    names = []
    for part in _SPLIT.split(text):
        name = _clean_name(part)
        if name and name not in names:
            names.append(name)
    return names


def _clean_name(part: str) -> str | None:
    name = _LEADING.sub("", part).strip(" \t-–—:·•|,.\"'“”«»")
    if len(name) < 2 or _HAS_DIGIT_RUN.search(name):
        return None
    words = name.split()
    if len(words) > _MAX_WORDS or not any(c.isalpha() for c in name):
        return None
    lowered = name.lower()
    if lowered in _NOT_NAMES or all(w in _NOT_NAMES for w in lowered.split()):
        return None
    if _DOMAIN.search(name) or not _NAME_CHARS.match(name):
        return None
    if len(words) == 1 and name.isupper() and len(name) > 1:
        return None  # an acronym: an agency or a broadcaster, not a person
    return _unslug(name)


def _unslug(name: str) -> str:
    """A CMS user slug written as a name: "robert.stitz" -> "Robert Stitz"."""
    if " " in name or not name.islower() or not _SLUG.match(name):
        return name
    return " ".join(part.capitalize() for part in re.split(r"[._-]", name))


def is_organisation(name: str) -> bool:
    return bool(_ORG_WORDS.search(name)) or name.lower().startswith("the ")


def people(values: list[str], allow_org_words: bool = False) -> list[str]:
    """Names of people from several raw values, deduplicated, organisations left out."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        if _DOMAIN.search(_NOISE.sub(" ", value)):
            continue  # "site.com, City, Country": a site's self-credit, not a person
        for name in clean_author(value):
            key = name.casefold()
            if key in seen or (not allow_org_words and is_organisation(name)):
                continue
            seen.add(key)
            out.append(name)
    return out


_DESK_CUT = re.compile(r"\s+(?:[-–—|•·]|am|on|le|el)\s.*$|\s*[|•·(\[].*$|\s+\d.*$", re.I)
_DESK_WORDS = re.compile(r"\b(?:staff|team|redaktion|editors?|editorial|newsroom|desk)\b", re.I)


def desk_credit(raw: str) -> str | None:
    """An editorial desk credited as the byline ("Redaktion", "By Staff and news service
    reports", "HLNF Staff Report", "Support Team"), cleaned; None for anything else.

    Reported only when no person is named anywhere: the credit the page shows is then the
    best answer, and it is never a publisher's name taken from `<meta name="author">`.
    """
    text = _LEADING.sub("", _LABEL.sub("", " ".join(raw.split())))
    text = _DESK_CUT.sub("", _NOISE.sub(" ", text)).strip(" \t-–—:·•|,.\"'“”«»")
    words = text.split()
    if not 1 <= len(words) <= _MAX_WORDS or _HAS_DIGIT_RUN.search(text) or _DOMAIN.search(text):
        return None
    return text if _DESK_WORDS.search(text) else None
