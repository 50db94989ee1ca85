"""Small pages for the HTML engine's unit tests."""

from __future__ import annotations

from extractor.html import extract_html
from extractor.model import Article, Document, Extraction

PARAGRAPHS = [
    "The council voted on Tuesday to rebuild the old harbour wall, a project that has been "
    "discussed for more than a decade and that residents say is long overdue.",
    "Engineers estimate the work will take two years, and the town will close the northern "
    "pier while the foundations are replaced, the mayor said at a public meeting.",
    "Fishermen, who use the harbour every day, welcomed the decision but asked for a temporary "
    "landing stage so that the boats can still unload their catch during the works.",
    "The budget, approved by a large majority, includes a reserve for storms, which damaged "
    "the wall twice in the past five winters and flooded several shops on the quay.",
]


def article_body(paragraphs: list[str] | None = None) -> str:
    return "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))


def page(body: str, head: str = "", title: str = "Harbour wall to be rebuilt") -> str:
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>{head}</head>"
        f"<body>{body}</body></html>"
    )


def news_page(extra_head: str = "", before: str = "", after: str = "", inside: str = "") -> str:
    body = (
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"{before}<article><h1>Harbour wall to be rebuilt</h1>"
        f"<div class='article-body'>{article_body()}{inside}</div></article>{after}"
        "<footer>© 2024 Example Gazette. All rights reserved.</footer>"
    )
    return page(body, extra_head)


def run(html: str, url: str = "https://news.example.com/2024/03/05/harbour-wall") -> Extraction:
    return extract_html(Document(url=url, body=html))


def article(html: str, url: str = "https://news.example.com/2024/03/05/harbour-wall") -> Article:
    result = run(html, url)
    assert isinstance(result, Article), result
    return result
