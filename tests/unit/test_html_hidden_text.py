"""Article text a reader sees that a plain reading of the HTML misses or garbles: soft
hyphens, a post shipped in a script template, a live ticker named as comments, a standfirst
under no telling name."""

from __future__ import annotations

import time

from tests.unit.html_pages import PARAGRAPHS, article, article_body, page


def test_soft_hyphens_and_zero_width_spaces_are_not_text() -> None:
    html = page(
        "<article><h1>Harbour wall</h1>"
        "<p>Im Mit&shy;tel&shy;al&shy;ter stand hier eine Mauer aus Stein, die den Ha\u200bfen "
        "gegen die Stürme schützte, bis ein Winter sie zerstörte.</p>"
        f"{article_body()}</article>"
    )
    text = article(html).text
    assert "Mittelalter" in text and "Hafen" in text
    assert "\u00ad" not in text and "\u200b" not in text


def test_a_post_in_a_script_template_is_the_article() -> None:
    """Blogger's dynamic views and some single-page apps ship the post as HTML in a
    `<script type="text/template">` that JavaScript shows; the page itself holds a shell."""
    template = f"<div class='post-body'><h1>Harbour wall</h1>{article_body()}</div>"
    html = page(
        "<nav><a href='/'>Home</a> <a href='/archive'>Archive</a></nav>"
        "<div id='app'>Loading…</div>"
        f"<script type='text/template'>{template}</script>"
        "<script type='text/javascript'>var html = '<p>not a template</p>';</script>"
    )
    text = article(html).text
    assert all(p in text for p in PARAGRAPHS)
    assert "Archive" not in text


def test_a_script_template_does_not_replace_an_article_the_page_shows() -> None:
    other = "<p>" + "A different story kept for later, about the new ferry timetable. " * 12
    html = page(
        f"<article><h1>Harbour wall</h1>{article_body()}</article>"
        f"<script type='text/template'>{other}</p></script>"
    )
    text = article(html).text
    assert PARAGRAPHS[0] in text and "ferry timetable" not in text


def test_a_live_ticker_named_as_comments_is_the_article() -> None:
    """A live page: its entries sit in "live-comment" elements, and without them only the
    minute markers would be left."""
    entries = "".join(
        f"<div class='live-comment'><span class='live-comment-time'>{n}'</span>"
        f"<div class='live-comment-text'>{paragraph}</div></div>"
        for n, paragraph in zip((88, 61, 34, 12), PARAGRAPHS, strict=True)
    )
    sidebar = "<aside>" + "<p>Most read: <a href='/a'>another story</a></p>" * 3 + "</aside>"
    html = page(f"<main><h1>Live: Harbour United v Quay Rovers</h1>{entries}</main>{sidebar}")
    text = article(html, "https://sport.example.com/live/harbour-united-quay-rovers").text
    assert all(paragraph in text for paragraph in PARAGRAPHS)


def test_the_description_shown_under_the_headline_is_the_lead() -> None:
    lead = "The town will close the northern pier for two years, the mayor said."
    shown = (
        f"<article><h1>Harbour wall</h1><div class='xq-7'><span>{lead}</span></div>"
        f"<div class='article-body'>{article_body()}</div></article>"
    )
    described = article(page(shown, f"<meta name='description' content='{lead[:62]}…'>")).text
    assert described.startswith(lead)
    assert PARAGRAPHS[-1] in described
    other = "<meta name='description' content='Engineers will rebuild the wall over two years.'>"
    assert lead not in article(page(shown, other)).text


def test_among_thousands_of_templates_the_largest_is_the_article() -> None:
    """Only the three largest templates are read, so thousands of them cost little (the
    time bound only guards against a hang)."""
    small = (
        "<script type='text/template'>" + "<p>" + "Row of a table template. " * 25 + "</p></script>"
    )
    template = f"<div class='post-body'><h1>Harbour wall</h1>{article_body()}</div>"
    html = page(small * 3000 + f"<script type='text/template'>{template}</script>")
    started = time.perf_counter()
    text = article(html).text
    assert time.perf_counter() - started < 10
    assert all(p in text for p in PARAGRAPHS)
