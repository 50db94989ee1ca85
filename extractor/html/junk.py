"""Boilerplate lines that survive container selection: ads labels, share/subscribe prompts,
copyright lines, and "related reading" headings that end an article.

`strip_junk(blocks)` drops short blocks that read like boilerplate, and cuts the body at a
late "Related articles" / "Comments" style heading. Patterns are multilingual but generic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.dates import find_date
from extractor.html.blocks import Block

_SHORT = 200
_DATE_LINE = 60
_LABELLED = re.compile(r"^[^\W\d]+\s*:")  # "Termin: 29.02.2020, 19 Uhr" is content
_JUNK_LINE = re.compile(
    r"^(?:advertisement|advertising|advert|ad|anzeige|werbung|publicité|publicidad|pubblicità|"
    r"reklama|"
    r"sponsored|text size|loading\.*|lädt\.*|image|bild|foto|photo)\W*$|"
    r"^(?:share|teilen|partager|compartir|condividi)\b.{0,40}$|"
    r"^(?:follow us|folgen sie uns|suivez-nous|síguenos)\b|"
    r"^(?:subscribe|sign up|abonnieren|jetzt abonnieren|melden sie sich|inscrivez-vous|"
    r"suscríbete)\b|newsletter|"
    r"^(?:read more|weiterlesen|mehr lesen|lire la suite|leer más|leggi anche|czytaj (?:też|także)|"
    r"zobacz (?:też|także)|see also|related|lesen sie auch|lesen sie mehr|mehr zum thema|"
    r"zum weiterlesen|auch interessant|das könnte sie auch interessieren|"
    r"you may also like|you might also like|more from|recommended|empfohlen|"
    r"à lire aussi|lire aussi|leia também|lee también|te puede interesar)\b|"
    r"^(?:©|\(c\)|copyright\b)|all rights reserved|alle rechte vorbehalten|"
    r"tous droits réservés|todos los derechos reservados|"
    r"^(?:image|photo|foto|bild|picture)(?: credit)?s?\s*:|(?:getty images|shutterstock)\W*$|"
    r"\bcookies?\b.{0,80}\b(?:accept|akzeptieren|use|verwenden|nutzen|utilis)|"
    r"may not be (?:re)?published|darf nicht .{0,40}veröffentlicht|"
    r"if you enjoyed (?:reading )?this|click here to|hier klicken|"
    r"requires javascript|enable javascript|javascript (?:is )?(?:required|disabled)|"
    r"^(?:tags?|schlagwörter|stichwörter|kategorien?|categories|filed under|posted in)\s*:|"
    r"^(?:titelbild|beitragsbild|headerbild|abbildung|bildquelle|quelle|crédits? photos?|"
    r"photograph by|photo by|foto von|fuente)\b|"
    r"^(?:print|drucken|rezept drucken|artikel drucken|imprimer|drukuj|stampa)\W*$|"
    r"^(?:kommentieren|comment|antworten|reply)\W*$|"
    r"^(?:anzeige|werbung)\b.{0,60}$|affiliate[- ]links?|"
    r"^(?:weitere informationen|kontakt|contact|pressekontakt|media contact)\s*:?\s*$|"
    # app prompts, "see also" prefixes, comment and donation calls, shop notices
    r"download (?:the|our) .{0,40}\bapps?\b|\bapps? (?:for|für) (?:ios|android)|"
    r"^(?:mira|lea también|vea también|ver también|watch|read also)\s*:|"
    r"^(?:sie müssen|you must) (?:sich )?(?:einloggen|anmelden|be logged in)|"
    r"^submit (?:your|a) (?:letter|story|tip)\b|^donate now\b|"
    r"^abgelegt unter\b|\bkorzystamy z (?:plików )?cookies|"
    r"erfolgreich (?:zum warenkorb )?hinzugefügt|"
    r"added to (?:your )?(?:cart|basket)|"
    # post navigation, licence lines, "Rezept drucken", "findest du hier."
    r"^(?:vorschau auf den )?nächste[rn]? (?:artikel|beitrag)|"
    r"^(?:next|previous) (?:post|article)\b|"
    r"lizenziert unter|licensed under (?:a |the )?(?:creative commons|cc[- ])|"
    r"(?:inhalte|content) (?:dieser|of this) (?:website|seite|site)\b.{0,40}"
    r"\b(?:cc[- ]by|creative commons)|"
    r"^(?:rezept|artikel) drucken\b|"
    r"(?:findest du|findet ihr) (?:sie |es |alles )?hier\.?$",
    re.IGNORECASE,
)
# Boilerplate at any length: a blog's post footer ("Dieser Beitrag wurde am ... veröffentlicht
# und unter ... abgelegt", "This entry was posted in ...") and PHP errors printed into the page.
_JUNK_ANY = re.compile(  # anchored at the start: used with .match, cheap on long blocks
    r"(?:dieser|der) (?:beitrag|eintrag|artikel|text) wurde (?:am\b|.{0,60}veröffentlicht)|"
    r"this (?:entry|post) was posted\b|"
    r"(?:warning|notice|deprecated|fatal error|parse error): .{0,300} on line \d+",
    re.IGNORECASE,
)


def _split_alternatives(pattern: str) -> tuple[str, str]:
    """The top-level alternatives of `pattern` anchored with "^" (rejoined, "^" dropped, for
    `.match`) and the others (for `.search`): one `.search` over all the alternatives would try
    every one of them at every position of the line, the anchored ones included."""
    parts, depth, current, in_class, i = [], 0, "", False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current += pattern[i : i + 2]
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(current)
            current, i = "", i + 1
            continue
        current += char
        i += 1
    parts.append(current)
    start = "|".join(p[1:] for p in parts if p.startswith("^"))
    anywhere = "|".join(p for p in parts if not p.startswith("^"))
    return start, anywhere


_START, _ANYWHERE = _split_alternatives(_JUNK_LINE.pattern)
_JUNK_START = re.compile(_START, re.IGNORECASE)
_JUNK_ANYWHERE = re.compile(_ANYWHERE, re.IGNORECASE)
# The same patterns for ASCII text, lower-cased: they are written in lower case, and none of
# their letters has a case partner outside ASCII that re.IGNORECASE would match in ASCII text
# ("ſ" for s, the Kelvin sign for k, dotless or dotted i), so they find the same lines without
# re.IGNORECASE, two to three times faster.
_ASCII_PARTNERS = "ſKıİ"
if any(c.isupper() or c in _ASCII_PARTNERS for c in re.sub(r"\\.", "", _START + _ANYWHERE)):
    raise ValueError("the junk patterns must stay in lower case, without ASCII case partners")
_JUNK_START_ASCII = re.compile(_START)
_JUNK_ANYWHERE_ASCII = re.compile(_ANYWHERE)

_END_MARKER = re.compile(
    r"^(?:related(?: articles| posts| stories| news)?|more (?:stories|articles|news)|"
    r"read (?:more|next|further)\b.{0,40}|comments?|kommentare?|leave a (?:reply|comment)|"
    r"hinterlasse einen kommentar|schreibe einen kommentar|ähnliche (?:artikel|beiträge)|"
    r"das könnte sie auch interessieren|mehr zum thema|zum weiterlesen|"
    r"lesen sie auch|weitere artikel|weitere beiträge|you may also like|recommended(?: for you)?|"
    r"articles? (?:liés|similaires)|à lire aussi|noticias relacionadas|te puede interesar|"
    r"artículos relacionados|leia também|zobacz (?:też|także)|czytaj (?:też|także)|"
    r"share this(?: article| story| post)?|teilen|diesen beitrag teilen|"
    r"über (?:den|die) autor(?:in)?|about the author|(?:articles )?les plus lus|most read|"
    r"meistgelesen|weiterführende[rn]? links?)\W*$",
    re.IGNORECASE,
)
_END_AFTER = 0.5


def _is_junk(text: str) -> bool:
    if len(text) > _SHORT:
        return _JUNK_ANY.match(text) is not None
    return _is_junk_line(text)


@lru_cache(maxsize=8192)
def _is_junk_line(text: str) -> bool:
    """Whether a short block of this text is a boilerplate line. Cached: the rules and the
    model each strip their blocks, mostly the same ones, and sites repeat their lines."""
    if (
        len(text) <= _DATE_LINE
        and len(text.split()) <= 5
        and "@" not in text
        and not _LABELLED.match(text)
        and find_date(text)
    ):
        return True  # a date line ("October 12, 2017", "Mo., 05.10.2018 - 12:00")
    if _JUNK_ANY.match(text):
        return True
    if text.isascii():
        lower = text.lower()
        return bool(_JUNK_START_ASCII.match(lower) or _JUNK_ANYWHERE_ASCII.search(lower))
    return bool(_JUNK_START.match(text) or _JUNK_ANYWHERE.search(text))


def strip_junk(blocks: list[Block]) -> list[Block]:
    total = sum(len(b.text) for b in blocks)
    seen = 0
    out = []
    for block in blocks:
        if (
            total
            and seen >= _END_AFTER * total
            and len(block.text) < 60
            and _END_MARKER.match(block.text)
        ):
            break
        seen += len(block.text)
        if not _is_junk(block.text):
            out.append(block)
    return out
