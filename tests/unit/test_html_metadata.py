"""Metadata rules: JSON-LD variants, OpenGraph, <meta>, microdata, precedence, provenance."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from tests.unit.html_pages import article, news_page


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_news_article_fills_every_field() -> None:
    head = _ld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Harbour wall to be rebuilt",
            "description": "The council approved the works.",
            "datePublished": "2024-03-05T09:30:00+01:00",
            "dateModified": "2024-03-06T10:00:00Z",
            "author": [
                {"@type": "Person", "name": "Jane Doe"},
                {"@type": "Person", "name": "Max Roe"},
            ],
            "publisher": {"@type": "Organization", "name": "Example Gazette"},
            "articleSection": "Local",
            "keywords": "harbour, council, works",
            "image": {"@type": "ImageObject", "url": "/img/wall.jpg"},
            "inLanguage": "en-GB",
        }
    )
    result = article(news_page(head))
    assert result.authors == ["Jane Doe", "Max Roe"]
    assert result.published == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert result.published_raw == "2024-03-05T09:30:00+01:00"
    assert result.modified == datetime(2024, 3, 6, 10, 0, tzinfo=UTC)
    assert result.site_name == "Example Gazette"
    assert result.section == "Local"
    assert result.tags == ["harbour", "council", "works"]
    assert result.image == "https://news.example.com/img/wall.jpg"
    assert result.language == "en"
    assert result.description == "The council approved the works."
    assert result.sources["authors"] == "json-ld"
    assert result.sources["published"] == "json-ld"


def test_json_ld_graph_and_type_list_are_opened() -> None:
    head = _ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "Gazette"},
                {"@type": "BreadcrumbList", "itemListElement": []},
                {
                    "@type": ["Article", "NewsArticle"],
                    "datePublished": "2023-11-02",
                    "author": {"@type": "Person", "name": "By Ann Lee"},
                },
            ],
        }
    )
    result = article(news_page(head))
    assert result.authors == ["Ann Lee"]
    assert result.published is not None and result.published.date().isoformat() == "2023-11-02"
    assert result.site_name == "Gazette"


def test_json_ld_top_level_list_and_sloppy_json() -> None:
    raw = (
        '<script type="application/ld+json"><!--\n[{"@type": "Organization", "name": "X"},'
        ' {"@type": "BlogPosting", "datePublished": "2022-07-14T08:00:00Z",'
        ' "author": "Sam Poe",}]\n--></script>'
    )
    result = article(news_page(raw))
    assert result.authors == ["Sam Poe"]
    assert result.published == datetime(2022, 7, 14, 8, tzinfo=UTC)


def test_organisation_authors_are_not_people() -> None:
    head = _ld(
        {
            "@type": "NewsArticle",
            "author": [{"@type": "Organization", "name": "Reuters"}, {"name": "Lee Kim"}],
        }
    )
    assert article(news_page(head)).authors == ["Lee Kim"]


def test_opengraph_and_article_meta() -> None:
    head = (
        '<meta property="og:title" content="Harbour wall to be rebuilt | Gazette">'
        '<meta property="og:site_name" content="Gazette">'
        '<meta property="article:published_time" content="2021-05-04T12:00:00-04:00">'
        '<meta property="article:tag" content="harbour"><meta property="article:tag" content="sea">'
        '<meta property="og:image" content="https://cdn.example.com/a.jpg">'
        '<meta name="author" content="Dana Smith">'
        '<link rel="canonical" href="/2021/harbour">'
    )
    result = article(news_page(head))
    assert result.published == datetime(2021, 5, 4, 12, tzinfo=timezone(timedelta(hours=-4)))
    assert result.sources["published"] == "og"
    assert result.tags == ["harbour", "sea"]
    assert result.authors == ["Dana Smith"]
    assert result.sources["authors"] == "meta"
    assert result.canonical_url == "https://news.example.com/2021/harbour"
    assert result.site_name == "Gazette"
    assert result.image == "https://cdn.example.com/a.jpg"


def test_published_meta_wins_over_json_ld_date() -> None:
    """JSON-LD wins for most fields; for the date, article:published_time outranks it (SEO
    plugins fill datePublished with a draft's creation or an import date)."""
    head = _ld({"@type": "Article", "datePublished": "2020-01-02", "description": "LD"}) + (
        '<meta property="article:published_time" content="2019-09-09">'
        '<meta property="og:description" content="OG">'
    )
    result = article(news_page(head))
    assert result.published is not None and result.published.year == 2019
    assert result.description == "LD"
    only_ld = article(news_page(_ld({"@type": "Article", "datePublished": "2020-01-02"})))
    assert only_ld.published is not None and only_ld.published.year == 2020


def test_microdata_author_and_date() -> None:
    byline = (
        '<div itemprop="author" itemscope><span itemprop="name">Lu Chen</span></div>'
        '<time itemprop="datePublished" datetime="2018-10-01T07:00:00+02:00">1 Oct</time>'
    )
    result = article(news_page(before=byline))
    assert result.authors == ["Lu Chen"]
    assert result.sources["authors"] == "microdata"
    assert result.published is not None and result.published.month == 10


def test_url_date_is_the_last_resort() -> None:
    result = article(news_page(), url="https://blog.example.org/2017/08/21/eclipse")
    assert result.published == datetime(2017, 8, 21)
    assert result.sources["published"] == "url"


def test_language_declared_then_detected() -> None:
    assert article(news_page()).language == "en"
    html = news_page().replace("lang='en'", "")
    result = article(html)
    assert result.language == "en"
    assert result.sources["language"] == "detected"
