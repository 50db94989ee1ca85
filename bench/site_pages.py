"""Pages of one site: the same news template around different articles (for the site memory).

Three made-up sites, in English, German and Spanish, each with its own layout: hashed class
names (CSS modules) that say nothing to the single-page heuristics, a newsletter box and a
"News Feed" rail inside the article's container, a cookie notice, "Editors' Picks", a
footer. The furniture is what real templates carry: constant lines (menus, the newsletter
pitch, the footer) and rotating ones (the feed's and the picks' teasers, drawn from a pool).
The article text varies: built-in articles (deterministic, for tests) or the scrapinghub
corpus bodies (for the benchmark). Everything is a pure function of its arguments and seed.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SITES", "Site", "SitePage", "Story", "builtin_stories", "site_pages"]


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SitePage:
    url: str
    html: str
    truth: str  # the article body: its paragraphs, a blank line apart
    title: str


@dataclass(frozen=True, slots=True)
class Site:
    host: str
    language: str
    layout: int  # 0, 1, 2: where the furniture sits


SITES = (
    Site("dailyharbour.example", "en", 0),
    Site("stadtkurier.example", "de", 1),
    Site("diariodelvalle.example", "es", 2),
)

_FURNITURE: dict[str, dict[str, Any]] = {
    "en": {
        "nav": ["Home", "World", "Politics", "Business", "Climate", "Sport", "Culture"],
        "cookie": "We use cookies to improve your experience on our site and to show you "
        "relevant advertising. By continuing to browse you agree to our use of cookies.",
        "cookie_button": "Accept and close",
        "newsletter_title": "The Morning Briefing",
        "newsletter": "Get the day's top stories and the analysis behind them delivered to "
        "your inbox every weekday morning, free of charge.",
        "newsletter_button": "Sign me up",
        "feed": "News Feed",
        "picks": "Editors' Picks",
        "footer": [
            "About us",
            "Contact the newsroom",
            "Terms of use",
            "Privacy policy",
            "Daily Harbour is published by Harbour Media Group, 12 Quay Street, Portsmouth.",
            "© 2024 Harbour Media Group. All rights reserved.",
        ],
        "teasers": [
            "Council approves new cycle lanes along the seafront",
            "Ferry strike called off after overnight talks",
            "Storm warning issued for the south coast this weekend",
            "Local bakery wins national bread award for second year",
            "Hospital trust names new chief executive",
            "Rail fares to rise by five per cent in March",
            "Harbour museum reopens after two-year refit",
            "School heads warn of teacher shortages in maths",
            "Fishing quota row deepens as talks stall",
            "New bridge opening delayed until the summer",
        ],
        "read": "{n} min read",
        "by": "By {author}",
        "authors": ["Sarah Mills", "Tom Reed", "Anita Patel"],
    },
    "de": {
        "nav": ["Startseite", "Lokales", "Politik", "Wirtschaft", "Sport", "Kultur"],
        "cookie": "Wir verwenden Cookies, um Ihnen ein optimales Nutzererlebnis zu bieten. "
        "Wenn Sie weiter auf unserer Seite surfen, stimmen Sie der Nutzung zu.",
        "cookie_button": "Einverstanden",
        "newsletter_title": "Der Kurier am Morgen",
        "newsletter": "Die wichtigsten Nachrichten aus der Region jeden Morgen in Ihrem "
        "Postfach: jetzt kostenlos den Newsletter abonnieren.",
        "newsletter_button": "Jetzt anmelden",
        "feed": "Neueste Meldungen",
        "picks": "Empfehlungen der Redaktion",
        "footer": [
            "Impressum",
            "Datenschutz",
            "Kontakt",
            "Mediadaten",
            "Stadtkurier Verlag GmbH, Marktplatz 4, 79098 Freiburg",
            "© 2024 Stadtkurier. Alle Rechte vorbehalten.",
        ],
        "teasers": [
            "Gemeinderat beschließt neuen Radweg am Fluss",
            "Weihnachtsmarkt öffnet früher als geplant",
            "Stadtbahn fährt ab Montag wieder im Takt",
            "Neue Kita im Westen der Stadt eröffnet",
            "Feuerwehr rückt zu Großbrand im Gewerbegebiet aus",
            "Freibad bleibt auch im nächsten Jahr geschlossen",
            "Handballer gewinnen Derby deutlich",
            "Mieten steigen stärker als im Landesschnitt",
            "Baustelle an der Hauptstraße dauert länger",
            "Museum zeigt Werke regionaler Künstler",
        ],
        "read": "Lesezeit: {n} Minuten",
        "by": "Von {author}",
        "authors": ["Klaus Berger", "Jana Wolf", "Miriam Schulz"],
    },
    "es": {
        "nav": ["Portada", "Nacional", "Internacional", "Economía", "Deportes", "Cultura"],
        "cookie": "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. "
        "Si continúa navegando, consideramos que acepta su uso.",
        "cookie_button": "Aceptar",
        "newsletter_title": "El boletín de la mañana",
        "newsletter": "Reciba cada mañana en su correo las noticias más importantes del día, "
        "seleccionadas por nuestra redacción.",
        "newsletter_button": "Suscribirme",
        "feed": "Última hora",
        "picks": "Lo más leído",
        "footer": [
            "Quiénes somos",
            "Aviso legal",
            "Política de privacidad",
            "Contacto",
            "Diario del Valle, Calle Mayor 15, 28013 Madrid",
            "© 2024 Diario del Valle. Todos los derechos reservados.",
        ],
        "teasers": [
            "El ayuntamiento aprueba el nuevo plan de movilidad",
            "La ola de calor se prolongará hasta el fin de semana",
            "El equipo local asciende a primera división",
            "Abre sus puertas la nueva biblioteca municipal",
            "Los precios de la vivienda siguen al alza",
            "Huelga de transporte convocada para el jueves",
            "El festival de cine anuncia su programación",
            "La universidad amplía su oferta de grados",
            "Cortes de tráfico en el centro por obras",
            "Récord de visitantes en el museo provincial",
        ],
        "read": "Lectura: {n} min",
        "by": "Por {author}",
        "authors": ["Lucía Gómez", "Javier Ortega", "Marta Ruiz"],
    },
}

_SENTENCES = {
    "en": [
        "The council said the work would begin in the spring and take about a year",
        "Residents who spoke to the paper were divided over the plans",
        "Officials have not yet said how much the scheme will cost",
        "A spokesperson for the company declined to comment on the figures",
        "The report found that numbers had doubled since the last survey in 2019",
        "Campaigners welcomed the decision but said it came too late",
        "Police were called to the scene shortly after midnight",
        "Volunteers have spent the past decade cleaning the river banks",
        "The museum expects more than ten thousand visitors in the first month",
        "Teachers say the change has made a real difference in the classroom",
        "Shop owners on the high street reported a busy weekend",
        "The final decision rests with the regional transport authority",
        "Experts warned that the trend could continue for several years",
        "The club's manager praised the young players after the match",
        "Fishermen said the new rules would put their livelihoods at risk",
        "The hospital has recruited forty nurses from overseas this year",
        "Parents were told about the closure in a letter on Friday",
        "Engineers found cracks in two of the supporting pillars",
        "The festival drew crowds from across the county despite the rain",
        "Ministers are expected to publish their response next month",
        "Local businesses have raised more than five thousand pounds for the appeal",
        "The bakery still uses the recipe written down by the founder's grandmother",
        "Passengers faced delays of up to an hour on Monday morning",
        "The survey asked more than two thousand people about their commute",
    ],
    "de": [
        "Der Gemeinderat hat das Vorhaben am Dienstagabend mit großer Mehrheit beschlossen",
        "Die Arbeiten sollen im Frühjahr beginnen und etwa ein Jahr dauern",
        "Anwohner sehen die Pläne allerdings kritisch und fürchten mehr Verkehr",
        "Wie hoch die Kosten am Ende sein werden, ist noch nicht bekannt",
        "Die Stadtverwaltung verweist auf Zuschüsse des Landes",
        "Bei der Feuerwehr gingen die ersten Notrufe kurz nach Mitternacht ein",
        "Verletzt wurde nach Angaben der Polizei niemand",
        "Der Verein hofft nun auf weitere Unterstützung aus der Bürgerschaft",
        "Seit Jahren wird in der Stadt über die Zukunft des Geländes gestritten",
        "Die Eltern wurden am Freitag in einem Brief über die Änderungen informiert",
        "Auch die Händler in der Innenstadt spüren die Folgen der Baustelle",
        "Der Trainer lobte nach dem Spiel vor allem die junge Abwehr",
        "Die Ausstellung ist bis Ende März dienstags bis sonntags geöffnet",
        "Nach Einschätzung von Fachleuten wird sich der Trend fortsetzen",
        "Im vergangenen Jahr waren die Zahlen noch deutlich niedriger gewesen",
        "Die Entscheidung liegt nun beim Regierungspräsidium",
        "Viele Besucher nutzten das gute Wetter für einen Ausflug",
        "Die Stadtwerke kündigten an, die Preise vorerst nicht zu erhöhen",
        "Für die Sanierung der Brücke fehlen noch mehrere Millionen Euro",
        "Der Bürgermeister zeigte sich mit dem Ergebnis zufrieden",
    ],
    "es": [
        "El pleno municipal aprobó la medida el martes con el apoyo de la mayoría",
        "Las obras comenzarán en primavera y durarán alrededor de un año",
        "Los vecinos consultados por este diario se mostraron divididos",
        "El coste final del proyecto todavía no se ha hecho público",
        "Fuentes de la empresa declinaron hacer comentarios sobre las cifras",
        "La policía acudió al lugar poco después de la medianoche",
        "Según los servicios de emergencia, no hubo que lamentar heridos",
        "Los voluntarios llevan una década limpiando las orillas del río",
        "El museo espera recibir más de diez mil visitantes en el primer mes",
        "Los profesores aseguran que el cambio se nota en las aulas",
        "Los comerciantes del centro registraron un fin de semana de mucha actividad",
        "La decisión final corresponde a la consejería de transportes",
        "Los expertos advierten de que la tendencia podría mantenerse varios años",
        "El entrenador elogió a los jugadores jóvenes después del partido",
        "Los pescadores creen que las nuevas normas ponen en peligro su sustento",
        "El hospital ha contratado a cuarenta enfermeras este año",
        "Las familias recibieron el viernes una carta con la noticia del cierre",
        "Los ingenieros encontraron grietas en dos de los pilares",
        "El festival reunió a miles de personas pese a la lluvia",
        "El gobierno regional publicará su respuesta el mes que viene",
    ],
}


def builtin_stories(language: str, count: int, seed: int = 0) -> list[Story]:
    """`count` made-up articles: paragraphs of three sentences drawn from a pool, so that no
    paragraph recurs (a page's own text is never another page's)."""
    rng = random.Random(f"{language}:{seed}")
    pool = _SENTENCES[language]
    stories = []
    for k in range(count):
        paragraphs = []
        for _ in range(rng.randint(4, 6)):
            picked = rng.sample(pool, 3)
            paragraphs.append(". ".join(picked) + ".")
        title_words = rng.sample(pool, 1)[0].split()[:7]
        stories.append(Story(" ".join(title_words).rstrip(",") + f" ({k + 1})", tuple(paragraphs)))
    return stories


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _css(rng: random.Random) -> str:
    return "css-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(6))


def _page(site: Site, story: Story, number: int, rng: random.Random) -> str:
    f = _FURNITURE[site.language]
    cls = random.Random(site.host)  # class names: one set per site (its template)
    c = [_css(cls) for _ in range(12)]
    teasers = list(f["teasers"])
    feed = rng.sample(teasers, 5)
    picks = rng.sample(teasers, 4)
    author = rng.choice(f["authors"])
    nav = "".join(f'<a class="{c[1]}" href="/{i}">{_e(n)}</a> ' for i, n in enumerate(f["nav"]))
    cookie = (
        f'<div class="{c[2]}"><p>{_e(str(f["cookie"]))}</p>'
        f'<span class="{c[3]}">{_e(str(f["cookie_button"]))}</span></div>'
    )
    newsletter = (
        f'<div class="{c[4]}"><div class="{c[5]}">{_e(str(f["newsletter_title"]))}</div>'
        f"<p>{_e(str(f['newsletter']))}</p>"
        f'<span class="{c[3]}">{_e(str(f["newsletter_button"]))}</span></div>'
    )
    feed_html = (
        f'<div class="{c[6]}"><div class="{c[5]}">{_e(str(f["feed"]))}</div>'
        + "".join(
            f'<div class="{c[7]}"><span>{9 + i}:{15 + 7 * i:02d}</span> {_e(t)}</div>'
            for i, t in enumerate(feed)
        )
        + "</div>"
    )
    picks_html = (
        f'<div class="{c[8]}"><div class="{c[5]}">{_e(str(f["picks"]))}</div>'
        + "".join(f'<div class="{c[7]}">{_e(t)}</div>' for t in picks)
        + "</div>"
    )
    footer = (
        f'<div class="{c[9]}">' + "".join(f"<div>{_e(x)}</div>" for x in f["footer"]) + "</div>"
    )
    paras = [f"<p>{_e(p)}</p>" for p in story.paragraphs]
    mid = max(1, len(paras) // 2)
    byline = (
        f'<div class="{c[10]}">{_e(str(f["by"]).format(author=author))}</div>'
        f'<div class="{c[10]}">{_e(str(f["read"]).format(n=2 + number % 7))}</div>'
    )
    head = (
        f'<html lang="{site.language}"><head><meta charset="utf-8">'
        f"<title>{_e(story.title)}</title></head><body>"
    )
    top = f'<div class="{c[0]}">{nav}</div>'
    headline = f"<h1>{_e(story.title)}</h1>"
    if site.layout == 0:  # rail and newsletter inside the article column
        main = (
            f'<div class="{c[11]}">{headline}{byline}{"".join(paras[:mid])}{newsletter}'
            f"{''.join(paras[mid:])}{picks_html}</div>{feed_html}"
        )
        body = top + cookie + main + footer
    elif site.layout == 1:  # feed first, picks and newsletter after the text, cookie at the end
        main = (
            f'<div class="{c[11]}">{feed_html}<div>{headline}{byline}{"".join(paras)}'
            f"{newsletter}</div>{picks_html}</div>"
        )
        body = top + main + footer + cookie
    else:  # everything as paragraphs in one column
        main = (
            f'<div class="{c[11]}"><p>{_e(str(f["feed"]))}</p>'
            + "".join(f"<p>{_e(t)}</p>" for t in feed[:3])
            + f"{headline}{byline}{''.join(paras[:mid])}"
            + f"<p>{_e(str(f['newsletter_title']))}</p><p>{_e(str(f['newsletter']))}</p>"
            + f"{''.join(paras[mid:])}<p>{_e(str(f['picks']))}</p>"
            + "".join(f"<p>{_e(t)}</p>" for t in picks)
            + "</div>"
        )
        body = top + cookie + main + footer
    return head + body + "</body></html>"


def site_pages(site: Site, stories: Sequence[Story], seed: int = 0) -> Iterator[SitePage]:
    """One page per story, in order, on `site`'s template."""
    rng = random.Random(f"{site.host}:{seed}")
    for number, story in enumerate(stories):
        url = f"https://www.{site.host}/news/{2024 + number // 300}/story-{number + 1}"
        truth = "\n\n".join(story.paragraphs)
        yield SitePage(url, _page(site, story, number, rng), truth, story.title)
