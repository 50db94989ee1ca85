"""Word cues of boilerplate in many languages: calls to action and the headings of page rails.

- A *call to action* asks the reader to do something other than read (subscribe, sign in,
  accept cookies, share, download the app) or is a legal or advertising notice.
- A *rail heading* opens a block of other stories or of reader comments ("Related
  articles", "Read more", "Comments"): the article is over when one stands alone.

Every English and German phrase here is found as a line of the development dumps on at least
three sites (the line model learns what the rest means); the other languages' entries are the
same general headings translated. A phrase seen on one or two pages does not belong here.
"""

from __future__ import annotations

import re

__all__ = ["is_call_to_action", "is_caption", "is_comments_heading", "is_rail_heading"]

_CTA_WORDS = (
    # en (imperatives and notices: "subscribe" but not "subscribers", "advertisement" but not
    # "advertising")
    r"subscribe(?: now| today)?|subscribed|sign(?:ing)? (?:up|in)|log ?in|newsletters?|"
    r"cookies?|privacy policy|terms (?:of|and) (?:use|service|conditions)|all rights reserved|"
    r"©|copyright|indicates required|e-?mail address|enter your e-?mail|follow us|"
    r"share (?:on|this|via)|click here|download (?:the|our) app|advertisement|sponsored|"
    r"skip to (?:main )?content|min(?:ute)?s? read|listen to (?:this|the) "
    r"article|create (?:an |your )?account|donate (?:now|today)|support (?:us|our journalism)|"
    r"your browser|enable javascript|thank you for signing up|"
    r"print this|back to top|trademarks?|disclaimer|this (?:web)?site|"
    r"continue reading(?: below)?|(?:previous|next) (?:article|post|story)|"
    r"like this (?:article|story|post)|^(?:read more|read also|also read|related|see also|"
    r"watch|more|recommended)\s*:|"
    # de, fr, es, it, pt, nl
    r"creative commons|affiliate[- ]links?|"
    r"abonnieren|jetzt abonnieren|anmelden|registrieren|datenschutz\w*|impressum|anzeige|"
    r"weiterlesen|haftungsausschluss|alle rechte vorbehalten|"
    r"lire la suite|tous droits réservés|leer más|todos los derechos reservados|leggi tutto|"
    r"tutti i diritti riservati|ler mais|todos os direitos reservados|все права защищены|"
    r"abonnez-vous|s'abonner|inscrivez-vous|connexion|mentions légales|"
    r"suscr[ií]bete|suscribirse|reg[ií]strate|iniciar sesi[oó]n|aviso legal|"
    r"iscriviti|accedi|assine|inscreva-se|aanmelden|abonneer|"
    # ru, uk, pl, tr, id
    r"подписаться|подпишитесь|войти|зарегистрироваться|підписатися|підпишіться|увійти|"
    r"zaloguj|subskrybuj|zapisz się|abone ol|giriş yap|berlangganan"
)
_CTA = re.compile(rf"(?<!\w)(?:{_CTA_WORDS})(?!\w)")  # matched against lower-case text
_SHORT_CTA_WORDS = 25

_NAME = r"(?-i:[A-Z])[\w.'-]+(?: (?-i:[A-Z])[\w.'-]+){0,3}"  # "About Jane Doe": a bio box
_RAIL_HEADINGS = (
    # en
    r"(?:the )?latest(?: news| stories| articles)?|more (?:news|stories|articles)|"
    r"more (?:from|in|on) .{1,40}|related(?: articles| stories| posts| content| news| coverage)?|"
    r"read (?:more|next|also)|recommended(?: for you| stories| articles)?|"
    r"you (?:may|might) (?:also )?like|most (?:popular|read|viewed|shared)|popular(?: now)?|"
    r"trending(?: now| stories)?|top stories|editors?'? ?picks|editor's picks|"
    r"further reading|see also|(?:\d+ )?comments?|"
    r"leave a (?:comment|reply)|"
    r"share this(?: article| story| post)?|tags|topics|"
    r"keep reading|"
    rf"about (?:the )?authors?|about {_NAME}|über (?:den autor|die autorin|{_NAME})|"
    rf"à propos de l'auteur|sobre (?:o autor|el autor|a autora|{_NAME})|"
    # de
    r"weitere (?:artikel|nachrichten|news|themen)|mehr zum thema|ähnliche artikel|"
    r"das könnte sie auch interessieren|auch interessant|meistgelesen\w*|kommentare|"
    r"neueste artikel|verwandte artikel|lesen sie auch|top-themen|ähnliche beiträge|"
    r"(?:das )?(?:thema )?könnte (?:dich|sie) auch interessieren|"
    r"mehr (?:dazu|zum thema)|en savoir plus|lire plus|"
    # fr
    r"(?:à )?lire aussi|articles similaires|sur le même sujet|les plus lus|"
    r"dernières actualités|commentaires|vous aimerez aussi|articles liés|voir aussi|"
    # es, it, pt
    r"noticias relacionadas|(?:también )?te puede interesar|lo más leído|más noticias|"
    r"últimas noticias|comentarios|artículos relacionados|lee también|"
    r"articoli correlati|potrebbe interessarti|(?:i )?più letti|ultime notizie|commenti|"
    r"leggi anche|altre notizie|notícias relacionadas|leia também|veja também|mais lidas|"
    r"últimas notícias|comentários|artigos relacionados|mais notícias|"
    # nl, ru, uk, pl, tr, id
    r"gerelateerde artikelen|lees ook|meest gelezen|laatste nieuws|reacties|meer nieuws|"
    r"читайте также|похожие статьи|популярное|последние новости|комментарии|"
    r"новости по теме|материалы по теме|самое читаемое|читайте також|останні новини|"
    r"коментарі|схожі статті|популярне|більше новин|czytaj (?:także|też)|zobacz (?:także|też)|"
    r"najnowsze|komentarze|polecane|najczęściej czytane|podobne artykuły|ilgili haberler|"
    r"yorumlar|çok okunanlar|berita terkait|baca juga|terpopuler|berita terkini|komentar"
)
_COMMENTS_HEADINGS = (
    r"(?:\d+\s+|top rated |reader )?(?:comments?|replies|responses|discussion)(?:\s*\(\d+\))?|"
    r"leave a (?:comment|reply)|join the (?:conversation|discussion)|add (?:a|your) comment|"
    r"\d+\s+(?:responses?|replies|antworten|kommentare|réponses|respuestas|risposte)|"
    r"(?:schreibe|hinterlasse|schreiben sie) (?:einen|ihren) kommentar|kommentar (?:schreiben|"
    r"verfassen)|laisser un commentaire|deja un comentario|"
    r"lascia un commento|deixe um comentário|оставить комментарий|"
    r"kommentare|commentaires|comentarios|commenti|comentários|reacties|комментарии|коментарі|"
    r"komentarze|yorumlar|komentar"
)
_COMMENTS = re.compile(rf"^\W*(?:{_COMMENTS_HEADINGS})\s*[:»›>→.]*\W*$", re.IGNORECASE)
_RAIL = re.compile(rf"^\W*(?:{_RAIL_HEADINGS})\s*[:»›>→.]*\W*$", re.IGNORECASE)


def is_call_to_action(text: str) -> bool:
    """A subscribe/sign-in/cookie/legal/advertising line (short, or long with several cues)."""
    hits = len(_CTA.findall(text.lower()))  # lower(): faster than re.IGNORECASE
    if not hits:
        return False
    words = len(text.split())
    return words <= _SHORT_CTA_WORDS or hits >= 2 + words // 60


def is_rail_heading(text: str) -> bool:
    """A line that is only the heading of a rail of other stories or of comments."""
    return len(text) <= 60 and bool(_RAIL.match(text))


def is_comments_heading(text: str) -> bool:
    """A line that opens the readers' comments ("167 comments", "Leave a Reply")."""
    return len(text) <= 60 and bool(_COMMENTS.match(text))


_CAPTION = re.compile(
    r"^\W*(?:photo|photograph|image|picture|credit|foto|bild|фото|imagen|immagine|zdjęcie)s?"
    r"(?:\s+(?:by|credit|source))?\s*[:/©]"
    r"|^\W*(?:image|photo|slide|foto|bild)\s+\d+\s+(?:of|von|de|di|/)"
    r"|^\W*(?:photo(?:graph)?|image|picture|bild|foto)s?\s+(?:by|via|von)\s"
    r"|\((?:AP|AFP|Reuters|Getty|EPA|dpa)?\s*(?:photo|foto|image)s?\b[^)]*\)\s*$"
    r"|\b(?:getty images|shutterstock|istock(?:photo)?)\W*$",
    re.IGNORECASE,
)
_CAPTION_MAX_CHARS = 400


def is_caption(text: str) -> bool:
    """A photo caption or credit line ("Photo: Jane Doe, AP", "Image 1 of 8", "(AP Photo/X)")."""
    return len(text) <= _CAPTION_MAX_CHARS and bool(_CAPTION.search(text))
