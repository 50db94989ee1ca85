"""Bylines and titles: people only, no "By", no dates, no site name glued to the title."""

from __future__ import annotations

import pytest

from extractor.html.authors import people
from extractor.html.titles import strip_site
from tests.unit.html_pages import article, news_page, page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("by Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Von Max Mustermann und Erika Musterfrau", ["Max Mustermann", "Erika Musterfrau"]),
        ("Par Jean Dupont", ["Jean Dupont"]),
        ("Jane Doe | Staff Writer", ["Jane Doe"]),
        ("Jane Doe, 12.03.2021", ["Jane Doe"]),
        ("Posted by marc", ["marc"]),
        ("Jane Doe (jane@example.com)", ["Jane Doe"]),
        ("Associated Press", []),
        ("Redaktion", []),
        ("www.example.com", []),
        ("Jose de la Cruz", ["Jose de la Cruz"]),
        ("robert.stitz", ["Robert Stitz"]),
        ("Pressemitteilung von Katja Kipping", ["Katja Kipping"]),
        ("ARD", []),
        ("The Local", []),
        ("Quelle", []),
    ],
)
def test_people(raw: str, expected: list[str]) -> None:
    assert people([raw]) == expected


def test_byline_element_in_the_article() -> None:
    html = news_page(before="<div class='byline'>By <a href='/a/jd'>Jane Doe</a></div>")
    result = article(html)
    assert result.authors == ["Jane Doe"]
    assert result.sources["authors"] == "dom"


def test_comment_authors_are_not_article_authors() -> None:
    comments = (
        "<section id='comments'><div class='comment'><span class='author'>Troll Face</span>"
        "<p>First!</p></div></section>"
    )
    assert article(news_page(after=comments)).authors == []


def test_byline_text_under_the_headline() -> None:
    html = news_page().replace(
        "<h1>Harbour wall to be rebuilt</h1>",
        "<h1>Harbour wall to be rebuilt</h1><p>Von Anna Berg</p>",
    )
    assert article(html).authors == ["Anna Berg"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harbour wall to be rebuilt | Example Gazette", "Harbour wall to be rebuilt"),
        ("Example Gazette - Harbour wall to be rebuilt", "Harbour wall to be rebuilt"),
        ("Harbour wall to be rebuilt – Gazette", "Harbour wall to be rebuilt"),
        ("Harbour wall to be rebuilt » News » Gazette", "Harbour wall to be rebuilt"),
        ("Brexit: talks resume", "Brexit: talks resume"),
    ],
)
def test_site_name_is_cut_from_the_title(title: str, expected: str) -> None:
    assert strip_site(title, "Example Gazette", "www.gazette.com") == expected


def test_h1_confirmed_by_metadata_is_the_title() -> None:
    head = '<meta property="og:title" content="Harbour wall to be rebuilt - Example Gazette">'
    result = article(news_page(head))
    assert result.title == "Harbour wall to be rebuilt"
    assert result.sources["title"] == "dom"


def test_title_from_title_tag_without_h1() -> None:
    body = "<div class='content'>" + "".join(
        f"<p>{'Words of a long paragraph, with commas, ' * 5}</p>" for _ in range(4)
    )
    html = page(body + "</div>", title="Tide tables explained | Coastal Blog")
    assert article(html).title == "Tide tables explained"
