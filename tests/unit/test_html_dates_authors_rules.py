"""Date precedence and local days, desk and site credits, fuller names, leads, junk lines."""

from __future__ import annotations

import json
from datetime import datetime

from extractor.dates import date_from_url
from extractor.html.authors import desk_credit
from extractor.model import Article
from tests.unit.html_pages import PARAGRAPHS, article, article_body, news_page, page, run

UNDATED_URL = "https://news.example.com/harbour-wall"


def _ld(data: dict[str, object]) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


# --- dates -----------------------------------------------------------------------------------


def test_generic_meta_date_gives_way_to_the_visible_date() -> None:
    """<meta name="date"> is often the page's build date; the dated header line wins."""
    html = news_page(
        extra_head="<meta name='date' content='2021-10-15'>",
        inside="",
    ).replace(
        "<h1>Harbour wall to be rebuilt</h1>",
        "<h1>Harbour wall to be rebuilt</h1><div>Erschienen am: 13.10.2021</div>",
    )
    result = article(html, UNDATED_URL)
    assert result.published == datetime(2021, 10, 13)


def test_generic_meta_date_is_the_last_resort() -> None:
    html = news_page(extra_head="<meta name='date' content='2021-10-15'>")
    assert article(html, UNDATED_URL).published == datetime(2021, 10, 15)


def test_published_meta_outranks_json_ld() -> None:
    head = "<meta property='article:published_time' content='2023-11-06T14:25:00+01:00'>" + _ld(
        {"@type": "NewsArticle", "datePublished": "2023-11-03T10:25:56+01:00"}
    )
    result = article(news_page(extra_head=head), UNDATED_URL)
    assert result.published is not None and result.published.date().isoformat() == "2023-11-06"


def test_utc_time_a_day_off_the_url_date_takes_the_url_day() -> None:
    head = "<meta property='article:published_time' content='2018-12-31T23:11:59+00:00'>"
    result = article(news_page(extra_head=head), "https://blog.example.org/2019/01/01/new-year/")
    assert result.published is not None and result.published.date().isoformat() == "2019-01-01"
    assert result.sources["published"].endswith("+day")


def test_utc_timestamp_replaced_by_its_local_twin() -> None:
    head = "<meta name='date' content='Sat, 19 Oct 2019 00:04:00 +0200'>" + _ld(
        {"@type": "NewsArticle", "datePublished": "2019-10-18T22:04:00Z"}
    )
    result = article(news_page(extra_head=head), UNDATED_URL)
    assert result.published is not None and result.published.date().isoformat() == "2019-10-19"


def test_day_first_date_in_the_url() -> None:
    assert date_from_url("https://x.org/meldungen/29-10-2021") == datetime(2021, 10, 29)


def test_erstellt_am_is_a_date_label() -> None:
    html = news_page(after="<p>Erstellt am: 01.11.2023</p>")
    assert article(html, UNDATED_URL).published == datetime(2023, 11, 1)


# --- authors ---------------------------------------------------------------------------------


def test_desk_credit_when_no_person_is_named() -> None:
    head = (
        "<meta name='twitter:label1' content='Written by'>"
        "<meta name='twitter:data1' content='Redaktion'>"
    )
    assert article(news_page(extra_head=head)).authors == ["Redaktion"]
    assert desk_credit("By Staff and news service reports") == "Staff and news service reports"
    assert desk_credit("Example Gazette") is None


def test_a_person_beats_a_desk_credit() -> None:
    head = _ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Redaktion"}})
    html = news_page(extra_head=head, before="<div class='byline'>By Jane Doe</div>")
    assert article(html).authors == ["Jane Doe"]


def test_site_name_as_author_gives_way_to_the_byline() -> None:
    head = "<meta property='og:site_name' content='Example Gazette'>" + _ld(
        {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Example Gazette"}}
    )
    html = news_page(extra_head=head, inside="<span class='article_author'>Emma Ducros</span>")
    assert article(html).authors == ["Emma Ducros"]
    assert article(news_page(extra_head=head)).authors == ["Example Gazette"]


def test_login_name_author_is_replaced_by_the_full_byline_name() -> None:
    head = _ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "janedoe"}})
    html = news_page(extra_head=head, before="<div class='post-author'>von Jane Doe</div>")
    assert article(html).authors == ["Jane Doe"]


def test_meta_author_list_completes_json_ld() -> None:
    head = "<meta name='author' content='Jane Doe, John Roe'>" + _ld(
        {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}
    )
    assert article(news_page(extra_head=head)).authors == ["Jane Doe", "John Roe"]


def test_article_by_line_inside_a_longer_line() -> None:
    body = (
        "<div><h1>Site logo</h1></div><nav><a href='/'>Home</a></nav>"
        "<h2>Harbour wall to be rebuilt</h2><div>Ein Artikel von Pamela Sladky | 27.01.2022</div>"
        f"<div class='content'>{article_body()}</div>"
    )
    assert article(page(body)).authors == ["Pamela Sladky"]


def test_role_after_a_dash_is_not_a_name() -> None:
    byline = "Posted by Ann Lee, Bo Kim and Cy Nair - Safety team"
    html = news_page(before=f"<span class='byline-author'>{byline}</span>")
    assert article(html).authors == ["Ann Lee", "Bo Kim", "Cy Nair"]


# --- body ------------------------------------------------------------------------------------


def test_paywall_named_content_container_is_the_article() -> None:
    comments = "".join(
        f"<article class='comment-body'><p>{p} {p}</p></article>" for p in PARAGRAPHS
    )
    body = (
        "<article class='has-paywall'><h1>Harbour wall to be rebuilt</h1>"
        f"<div class='entry__content steady-paywall-container'>{article_body()}</div></article>"
        f"<section class='comments'>{comments}</section>"
    )
    result = run(page(body))
    assert isinstance(result, Article), result
    assert PARAGRAPHS[0] in result.text


def test_lead_named_with_underscores_between_headline_and_body() -> None:
    lead = (
        "After ten years of arguing over the cost and the timetable, the town will rebuild the "
        "harbour wall, starting with the northern pier next spring."
    )
    body = (
        "<section><h1>Harbour wall to be rebuilt</h1>"
        f"<div class='block'><div class='article_lead'><p>{lead}</p></div></div></section>"
        f"<div><div><div><div class='article-text'>{article_body()}</div></div></div></div>"
    )
    assert article(page(body)).text.startswith(lead)


def test_dek_next_to_the_headline_is_not_a_lead() -> None:
    dek = "A short dek that sums the story up in one line, as magazines like to print it."
    body = (
        f"<article><header><h1>Harbour wall to be rebuilt</h1><p class='p-dek'>{dek}</p></header>"
        f"<div class='article-body'>{article_body()}</div></article>"
    )
    assert dek not in article(page(body)).text


def test_app_prompt_and_author_box_heading_are_dropped() -> None:
    extra = (
        "<p>For the latest stories download our news apps for iOS and Android.</p>"
        "<h3>Über den Autor</h3><p>Jane Doe writes about harbours and has done so for years.</p>"
    )
    text = article(news_page(inside=extra)).text
    assert "apps for iOS" not in text
    assert "Über den Autor" not in text


def test_blog_footer_php_warning_and_licence_lines_are_dropped() -> None:
    extra = (
        "<p>Warning: Creating default object from empty value in /www/htdocs/wp-includes/"
        "classes.php on line 407</p>"
        "<p>Dieser Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht "
        "und wurde unter Allgemein, Region, Tastings &amp; Events, Veranstaltungen abgelegt. Du "
        "kannst die Kommentare zu diesen Eintrag durch den RSS-Feed verfolgen.</p>"
        "<p>Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY</p>"
    )
    text = article(news_page(inside=extra)).text
    assert "Warning" not in text
    assert "Dieser Beitrag wurde" not in text
    assert "CC-BY" not in text
    assert PARAGRAPHS[-1] in text


def test_image_legend_and_popup_are_not_body() -> None:
    extra = (
        "<div class='legend'><div class='content'>The old wall seen from the pier, with the "
        "lighthouse and the fish market behind it, photographed in the spring of 1952.</div></div>"
    )
    popup = (
        "<div class='pum pum-overlay popmake-overlay'><div class='pum-content popmake-content'>"
        "<p>Initial Officer Training Programme provides basic military officer training to "
        "Officer Cadets, and it lasts eleven months in all, with two field exercises.</p>"
        "</div></div>"
    )
    text = article(news_page(inside=extra, after=popup)).text
    assert "lighthouse" not in text
    assert "Officer Cadets" not in text


def test_read_further_rail_heading_ends_the_body() -> None:
    rail = "<h2>Read further in the pursuit of knowledge</h2><p>Another story, with a link.</p>"
    text = article(news_page(inside=rail)).text
    assert "Read further" not in text
    assert "Another story" not in text


def test_title_repeated_after_the_lead_keeps_the_lead() -> None:
    lead = (
        "The date of the next show is set: on 21 and 22 May the whole park will be about "
        "fishing, with masters from many countries and a fair for the whole family."
    )
    body = (
        "<div class='top'><h1>Harbour wall to be rebuilt</h1></div>"
        f"<article><div class='excerpt'><p>{lead}</p></div>"
        f"<div class='entry-content'><h2>Harbour wall to be rebuilt</h2>{article_body()}</div>"
        "</article>"
    )
    result = article(page(body))
    assert result.text.startswith(lead)
    assert "Harbour wall to be rebuilt" not in result.text


def test_json_ld_article_body_when_the_html_shows_a_teaser() -> None:
    full = " ".join(PARAGRAPHS * 2)
    head = _ld({"@type": "NewsArticle", "articleBody": f"<p>{full}</p><p>{PARAGRAPHS[0]}</p>"})
    body = f"<article><h1>Harbour wall to be rebuilt</h1><p>{PARAGRAPHS[0]}</p></article>"
    result = article(page(body, head))
    assert result.text.startswith(full)
    assert "<p>" not in result.text
