"""Later rules: JSON-LD @id links, twitter label/data bylines, labelled bylines and dates
anywhere on the page, an article header's lead paragraph, mixed-case nesting attacks."""

from __future__ import annotations

import json

from extractor.html import dom
from tests.unit.html_pages import PARAGRAPHS, article, news_page, page


def test_json_ld_author_given_as_an_id_link() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "author": {"@id": "https://x.example/#/person/1"}},
            {"@type": "Person", "@id": "https://x.example/#/person/1", "name": "Tatyana Turner"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert article(news_page(head)).authors == ["Tatyana Turner"]


def test_twitter_label_written_by() -> None:
    head = (
        '<meta name="twitter:label1" content="Verfasst von">'
        '<meta name="twitter:data1" content="Karoline Herr">'
    )
    result = article(news_page(head))
    assert result.authors == ["Karoline Herr"]
    assert result.sources["authors"] == "meta"


def test_labelled_byline_at_the_end_of_the_post() -> None:
    html = news_page(inside="<p>Posted by Konstantin @ 12:00 am</p>")
    assert article(html).authors == ["Konstantin"]


def test_label_and_name_in_separate_elements() -> None:
    html = news_page(inside="<p><strong>Autor:</strong> <a href='/p/1'>Klaus Friedrich</a></p>")
    assert article(html).authors == ["Klaus Friedrich"]


def test_labelled_date_far_from_the_headline() -> None:
    filler = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 3)
    html = news_page(inside=filler + "<p>Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde</p>")
    result = article(html, url="https://podcast.example.de/folge-158/")
    assert result.published is not None
    assert result.published.date().isoformat() == "2019-08-16"


def test_lead_paragraph_in_the_article_header_is_kept() -> None:
    lead = (
        "After ten years of arguing over the cost and the timetable, the town will rebuild the "
        "harbour wall, starting with the northern pier next spring."
    )
    body = (
        "<article><header class='entry-header'><h1>Harbour wall to be rebuilt</h1>"
        "<div class='byline'>By Jane Doe</div>"
        f"<div class='entry-excerpt'><p>{lead}</p></div></header>"
        f"<div class='entry-content'>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</div></article>"
    )
    result = article(page(body))
    assert result.text.startswith(lead)
    assert "By Jane Doe" not in result.text


def test_mixed_case_block_tags_are_counted_for_the_nesting_limit() -> None:
    depth = dom.MAX_BLOCK_DEPTH + 10
    html = "<dIv>" * depth + "x" + "</DiV>" * depth
    assert dom.prepare(html).lower().count("<div") == dom.MAX_BLOCK_DEPTH


def test_kicker_inside_the_h1_is_not_part_of_the_title() -> None:
    html = news_page().replace(
        "<h1>Harbour wall to be rebuilt</h1>",
        "<h1><span class='headline-kicker'>Coastal defences</span> Harbour wall to be rebuilt</h1>",
    )
    assert article(html).title == "Harbour wall to be rebuilt"


def test_byline_after_a_timestamp() -> None:
    html = news_page(before="<div class='info'>06.11.2023 13:30 von Olga Berg</div>")
    assert article(html).authors == ["Olga Berg"]
