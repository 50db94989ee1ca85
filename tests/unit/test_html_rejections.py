"""Anything to extract? Pages of every type are published with their type; only pages with
nothing to extract (empty, binary, no text, an error or login page with no content) are
rejected, each with its reason."""

from __future__ import annotations

from extractor.model import Rejection
from tests.unit.html_pages import PARAGRAPHS, article, article_body, news_page, page, run


def _teasers(count: int = 12) -> str:
    return "".join(
        f"<div class='teaser'><h2><a href='/story/{n}'>Story number {n} about the harbour</a></h2>"
        f"<p><a href='/story/{n}'>Read the full report on the council decision {n}</a></p></div>"
        for n in range(count)
    )


def _reason(html: str, url: str) -> str:
    result = run(html, url)
    assert isinstance(result, Rejection), result
    return result.reason


_LOGIN_FORM = (
    "<form action='/session' method='post'><h2>Sign in</h2>"
    "<label>Email <input type='email' name='email'></label>"
    "<label>Password <input type='PASSWORD' name='password'></label>"
    "<p><a href='/reset'>Forgot your password?</a></p><button>Sign in</button></form>"
)


def test_home_page_of_teasers_is_published_as_a_listing() -> None:
    result = article(page(_teasers()), url="https://news.example.com/")
    assert "Story number 3 about the harbour" in result.text
    assert result.page_type == "listing"


def test_tag_page_is_published_as_a_listing() -> None:
    result = article(page(_teasers()), url="https://news.example.com/tag/harbour/")
    assert "Story number 11 about the harbour" in result.text
    assert result.page_type == "listing"


def test_paywalled_teaser_is_published() -> None:
    body = (
        "<article><h1>Harbour wall to be rebuilt</h1><p>The council voted on Tuesday to rebuild "
        "the old harbour wall.</p><div class='paywall'><p>Subscribe now to continue reading."
        "</p></div></article>"
    )
    result = article(page(body), url="https://news.example.com/harbour")
    assert "The council voted on Tuesday to rebuild the old harbour wall." in result.text


def test_short_page_is_published() -> None:
    result = article(page("<p>Open Monday to Friday, 9 to 5.</p>"), url="https://x.example/about")
    assert result.text == "Open Monday to Friday, 9 to 5."


def test_error_page() -> None:
    html = page("<h1>Page not found</h1><p>Sorry, this page does not exist.</p>", title="404")
    assert _reason(html, "https://news.example.com/missing") == "error_page"


def test_error_title_over_content_is_published() -> None:
    html = page(article_body(), title="What a 404 page should say")
    assert article(html, url="https://news.example.com/404-pages").text.startswith(PARAGRAPHS[0])


def test_a_code_inside_a_name_is_no_error() -> None:
    html = page("<p>Original sales brochure, 8 pages, good condition.</p>", title="Ford P-500")
    assert article(html, url="https://shop.example.com/item/1").text.startswith("Original")


def test_login_page() -> None:
    html = page(_LOGIN_FORM, title="Sign in")
    assert _reason(html, "https://app.example.com/login") == "login_page"


def test_login_form_beside_content_is_published() -> None:
    result = article(news_page(after=_LOGIN_FORM))
    assert result.text.startswith(PARAGRAPHS[0])


def test_page_wrapped_in_one_form_with_a_password_field_is_published() -> None:
    # Some platforms wrap the whole page, a forum thread included, in one form.
    field = "<label>Password <input type='password' name='password'></label>"
    result = article(page(f"<form action='/'>{field}{article_body()}</form>"))
    assert result.text.endswith(PARAGRAPHS[-1])


def test_a_form_without_password_is_not_a_login() -> None:
    html = page("<form><label>Search <input type='search' name='q'></label></form><p>Hours.</p>")
    assert article(html, url="https://x.example/").text.endswith("Hours.")


def test_page_without_words() -> None:
    html = page("<div><img src='/logo.png'> <p> · — · </p></div>")
    assert _reason(html, "https://x.example/") == "no_text"


def test_empty_and_binary_input() -> None:
    assert _reason("", "https://x.example/") == "empty"
    junk = bytes(range(256)).decode("latin-1") * 40
    assert _reason(junk, "https://x.example/file") == "binary"
    assert _reason("just some words, no markup at all " * 10, "https://x.example/") == "not_html"


def test_real_article_on_a_listing_like_url_is_kept() -> None:
    result = article(news_page(), url="https://news.example.com/category/local/harbour")
    assert result.text
