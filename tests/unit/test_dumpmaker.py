"""html_to_dump: what a browser's select-all copy of a page reads."""

from __future__ import annotations

import pytest

from bench.dumpmaker import html_to_dump


def test_blocks_on_their_own_lines_and_paragraphs_set_off() -> None:
    html = (
        "<html><head><title>T</title></head><body><nav><a>Home</a> <a>News</a></nav>"
        "<h1>Title</h1><p>First <b>bold</b> paragraph.</p><p>Second\n   paragraph.</p>"
        "<footer>Footer</footer></body></html>"
    )
    assert (
        html_to_dump(html)
        == "Home News\nTitle\n\nFirst bold paragraph.\n\nSecond paragraph.\n\nFooter"
    )


def test_lists_divs_and_br() -> None:
    html = "<ul><li>one</li><li>two</li></ul><div>a<br>b</div><div><div>nested</div></div>"
    assert html_to_dump(html) == "one\ntwo\na\nb\nnested"


def test_table_cells_are_tab_separated() -> None:
    html = "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"
    assert html_to_dump(html) == "a\tb\nc\td"


def test_pre_keeps_its_whitespace() -> None:
    assert html_to_dump("<p>x</p><pre>line 1\n  line 2</pre>") == "x\n\nline 1\n  line 2"


@pytest.mark.parametrize(
    "hidden",
    [
        "<script>var x = 1;</script>",
        "<style>p { color: red }</style>",
        "<noscript>Enable JavaScript</noscript>",
        "<template><p>tpl</p></template>",
        "<div hidden>hidden attr</div>",
        '<div style="color: red; display : none">display none</div>',
        '<span aria-hidden="true">aria hidden</span>',
        '<div style="visibility:hidden">invisible</div>',
    ],
)
def test_unrendered_and_hidden_elements_are_dropped(hidden: str) -> None:
    html = f"<body><p>kept</p>{hidden}<p>also kept</p></body>"
    assert html_to_dump(html) == "kept\n\nalso kept"


def test_navigation_newsletter_and_footer_are_kept() -> None:
    html = (
        "<body><header><nav><ul><li>Home</li><li>World</li></ul></nav></header>"
        "<article><p>Body.</p></article>"
        "<aside><form><label>Enter your email</label><button>Subscribe</button></form></aside>"
        "<footer>© 2024</footer></body>"
    )
    dump = html_to_dump(html)
    for text in ("Home", "World", "Body.", "Enter your email", "Subscribe", "© 2024"):
        assert text in dump


def test_inline_elements_do_not_break_lines() -> None:
    assert html_to_dump("<p>a <a href='#'>link</a>, <em>em</em> and <span>span</span>.</p>") == (
        "a link, em and span."
    )


def test_entities_are_decoded() -> None:
    assert (
        html_to_dump("<p>Tom &amp; Jerry&nbsp;&mdash; &quot;hi&quot;</p>") == 'Tom & Jerry — "hi"'
    )


def test_empty_input() -> None:
    assert html_to_dump("") == ""
    assert html_to_dump("<html><head><script>x</script></head><body></body></html>") == ""


def test_deeply_nested_blocks() -> None:
    depth = 5_000
    html = "<div>" * depth + "<p>deep</p>" + "</div>" * depth
    assert html_to_dump(html) == "deep"


def test_whitespace_between_cells_does_not_lead_a_row() -> None:
    html = "<table>\n <tr>\n  <td>a</td>\n  <td>b</td>\n </tr>\n</table><p>after</p>"
    assert html_to_dump(html) == "a\tb\n\nafter"


def test_an_unclosed_element_in_noscript_does_not_swallow_the_page() -> None:
    html = '<body><noscript><div id="nojs"></noscript><div><p>The page.</p></div></body>'
    assert html_to_dump(html) == "The page."
