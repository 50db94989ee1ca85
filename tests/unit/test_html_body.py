"""Body extraction: the article's blocks, without navigation, comments, related links,
newsletter boxes, cookie banners or share bars; text and Markdown forms."""

from __future__ import annotations

from tests.unit.html_pages import PARAGRAPHS, article, news_page, page


def test_article_paragraphs_only() -> None:
    result = article(news_page())
    assert result.text == "\n\n".join(PARAGRAPHS)
    assert "Home" not in result.text
    assert "All rights reserved" not in result.text


def test_comment_section_is_dropped() -> None:
    comments = (
        "<div id='comments' class='comments-area'><h3>3 comments</h3><ol class='comment-list'>"
        + "".join(
            f"<li class='comment'><p>I have lived here for {n} years, and this wall has always "
            "been a problem, so I am glad that the council is finally doing something.</p></li>"
            for n in range(3)
        )
        + "</ol></div>"
    )
    result = article(news_page(after=comments))
    assert "lived here" not in result.text
    assert PARAGRAPHS[-1] in result.text


def test_a_discussion_whose_posts_are_named_comments_keeps_them() -> None:
    """A forum thread: every post sits in a "comment" element and nothing else holds text;
    pruning the comments would leave the page empty."""
    posts = "".join(
        f"<div class='forum-comment'><span class='comment-author'>user{n}</span>"
        f"<div class='comment-text'>{paragraph}</div></div>"
        for n, paragraph in enumerate(PARAGRAPHS)
    )
    html = page(f"<nav><a href='/'>Forum</a></nav><main><h2>Harbour wall</h2>{posts}</main>")
    result = article(html, "https://forum.example.com/thread/harbour-wall-123")
    assert all(paragraph in result.text for paragraph in PARAGRAPHS)


def test_related_articles_block_is_dropped() -> None:
    related = (
        "<div class='related-posts'><h3>Related</h3><ul>"
        "<li><a href='/a'>Storm damages pier again</a></li>"
        "<li><a href='/b'>Council approves new budget for the coastal defences</a></li></ul></div>"
    )
    result = article(news_page(inside=related))
    assert "Storm damages" not in result.text
    assert "Related" not in result.text


def test_newsletter_box_and_share_bar_are_dropped() -> None:
    box = (
        "<div class='newsletter-signup'><p>Sign up for our daily newsletter and get the news "
        "first, straight to your inbox, every morning.</p></div>"
        "<div class='share-buttons'><a href='#'>Share on Facebook</a></div>"
    )
    result = article(news_page(inside=box))
    assert "newsletter" not in result.text
    assert "Facebook" not in result.text


def test_cookie_banner_is_dropped() -> None:
    banner = (
        "<div id='cookie-consent' class='cookie-banner'><p>We use cookies to improve your "
        "experience. By continuing to browse you accept our use of cookies.</p>"
        "<button>Accept</button></div>"
    )
    result = article(news_page(before=banner))
    assert "cookies" not in result.text


def test_hidden_elements_and_scripts_are_dropped() -> None:
    inside = (
        "<p style='display:none'>Secret hidden text that no reader sees.</p>"
        "<script>var tracking = 'script text';</script><p hidden>Also hidden.</p>"
    )
    result = article(news_page(inside=inside))
    assert "Secret" not in result.text
    assert "script text" not in result.text
    assert "Also hidden" not in result.text


def test_article_split_by_ads_is_joined() -> None:
    half = len(PARAGRAPHS) // 2
    body = (
        "<main><h1>Harbour wall to be rebuilt</h1><div class='story'>"
        f"<div class='chunk'>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[:half])}</div>"
        "<div class='ad-slot'>Advertisement</div>"
        f"<div class='chunk'>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[half:])}</div>"
        "</div></main>"
    )
    result = article(page(body))
    assert result.text == "\n\n".join(PARAGRAPHS)


def test_boilerplate_lines_inside_the_body_are_dropped() -> None:
    inside = "<p>Advertisement</p><p>Read more: Harbour history in pictures</p>"
    result = article(news_page(inside=inside))
    assert "Advertisement" not in result.text
    assert "Read more" not in result.text


def test_markdown_keeps_structure() -> None:
    inside = (
        "<h2>What happens next</h2><ul><li>Closure of the north pier</li>"
        "<li>New landing stage</li></ul><blockquote><p>It is about time.</p></blockquote>"
    )
    result = article(news_page(inside=inside))
    assert "## What happens next" in result.markdown
    assert "- Closure of the north pier" in result.markdown
    assert "> It is about time." in result.markdown
    assert "What happens next\n\nClosure of the north pier" in result.text


def test_inline_elements_keep_spaces_between_words() -> None:
    inside = (
        "<p>Shares of <a href='/hd'>Home Depot</a> are <b>dropping</b> today, the firm said.</p>"
    )
    result = article(news_page(inside=inside))
    assert "Shares of Home Depot are dropping today" in result.text


def test_br_separated_text_in_a_div() -> None:
    lines = "<br><br>".join(PARAGRAPHS)
    html = page(
        f"<div id='main'><h1>Harbour wall to be rebuilt</h1><div class='post'>{lines}</div></div>"
    )
    result = article(html)
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
