"""The search API and the search page under fuzzing: queries, parameters, paths, and script in
article text. Never a 5xx; a 4xx always says what is wrong; no markup from an article ever
reaches a page unescaped.

Extends tests/integration/test_api.py (which fuzzes `q` with short text on /search): here the
query language's own hostile shapes, every parameter, huge values, the HTML page, the article
view and path tricks. A real in-memory TantivyStore, no files, no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import example, given
from hypothesis import strategies as st

from indexer.api import create_api
from indexer.config import IndexerSettings
from indexer.store import TantivyStore
from tests.factories import article
from tests.fuzz.profiles import fuzz

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
SETTINGS = IndexerSettings(max_query_length=500, max_results=50, api_token=None)
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT}{IMG}<svg onload=alert(1)><iframe src=javascript:alert(1)>'-alert(1)-'"
ARTICLES = [
    article("tea", title="Green tea guide", text="Brewing green tea at 80 degrees. " * 5,
            site="tea.example", language="en", authors=["Jane Doe"],
            published=datetime(2024, 2, 1, tzinfo=UTC)),
    article("xss", title=f"Tea {HOSTILE}", text=f"Tea text {HOSTILE}\n\nMore tea {SCRIPT}",
            description=HOSTILE, authors=[f"Mallory {SCRIPT}"], site_name=f"Evil {IMG}",
            tags=[SCRIPT], section=IMG, language="en",
            published=datetime(2024, 3, 1, tzinfo=UTC)),
    article("js-url", title="Tea javascript link", text="tea " * 20,
            url="javascript:alert(1)//tea", canonical_url="javascript:alert(1)//tea"),
    article("bad-url", title="Tea broken link", text="tea leaves " * 20,
            url="http://[oops/tea", canonical_url="http://[oops/tea"),
    article("quote-url", title="Tea quoted link", text="tea cups " * 20,
            url='https://q.example/"><script>alert(1)</script>',
            canonical_url='https://q.example/"><script>alert(1)</script>'),
]  # fmt: skip
MAX_URL = 40_000  # httpx refuses URLs over 64 KiB itself (with the other parameters)
PARAMS = [
    "limit",
    "cursor",
    "site",
    "language",
    "author",
    "tag",
    "since",
    "until",
    "sort",
    "facets",
    "recency",
]
ACTIVE_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "math", "base", "meta"}
URL_ATTRS = {"href", "src", "action", "formaction", "srcdoc"}


class ActiveMarkup(HTMLParser):
    """What a browser would run or fetch in a page: tags, handlers and javascript: links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS - {"meta"} or (
            tag == "meta" and attrs != [("charset", "utf-8")] and attrs[0] != ("name", "viewport")
        ):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            target = (value or "").strip().lower()
            if name.startswith("on") or (name in URL_ATTRS and target.startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value!r}>")


def active_markup(page: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(page)
    parser.close()
    return parser.found


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TantivyStore.open(None) as store:
        store.upsert(ARTICLES)
        yield TestClient(create_api(store, SETTINGS), raise_server_exceptions=False)


def sized(params: dict[str, str]) -> dict[str, str]:
    """`params` less the values that would make the URL longer than httpx accepts."""
    fitted: dict[str, str] = {}
    for name, value in params.items():
        if len(urlencode({**fitted, name: value})) < MAX_URL:
            fitted[name] = value
    return fitted


def checked(response: Response) -> Response:
    """Never a 5xx; a 4xx carries a message (JSON for the API, an error paragraph for pages)."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if response.status_code >= 400:
        if response.headers["content-type"].startswith("text/html"):
            assert '<p class="error">' in response.text
            message = response.text.split('<p class="error">', 1)[1].split("</p>", 1)[0]
        else:
            message = response.json()["error"]
        assert message.strip() and len(message) < 2000, message
    if response.headers.get("content-type", "").startswith("text/html"):
        assert not active_markup(response.text), active_markup(response.text)
    return response


# -- queries -------------------------------------------------------------------------------

query_atoms = st.sampled_from(
    ["tea", "green", '"', '"green tea"', "-", "-tea", "*", "OR", "or", "AND", "NOT", "(", ")",
     "te*", "t*", "-*", '-"', "title:tea", "tea^2", "tea~1", "\\", "\x00", "\u202e", "\u200b",
     "\ud7ff", "𝕥𝕖𝕒", "茶", "чай", "شاي", "%00", "%", "&", "<script>", "'", "`", "\r\n", "\t",
     "\x7f", "\ufffd", "NaN", "1e999", "\ue000", "\U0010ffff"]
)  # fmt: skip
queries = (
    st.lists(query_atoms | st.text(max_size=12), max_size=30).map(" ".join)
    | st.text(max_size=200)
    | st.builds(lambda n: " OR ".join(["tea"] * n), st.integers(1, 400))
    | st.builds(lambda n: '"tea ' * n, st.integers(1, 300))
    | st.builds(lambda c, n: c * n, st.sampled_from(["a", "*", "-", '"', " ", "é"]),
                st.sampled_from([1, 499, 500, 501, 5000, 9000]))
)  # fmt: skip
junk_values = (
    st.text(max_size=40)
    | st.sampled_from(["", "0", "-1", "51", "1e3", "99999999999999999999999", "true", "no",
                       "NaN", "2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31",
                       "2024-01-01T25:00", "1970-01-01", "-2024-01-01", "relevance", "newest",
                       "oldest", "random", "../../etc/passwd", "%00", "\x00", "a" * 10_001])
    | st.builds(lambda n: "x" * n, st.sampled_from([1000, 10_000, 10_001]))
)  # fmt: skip
extras = st.dictionaries(st.sampled_from([*PARAMS, "q2", "token", ""]), junk_values, max_size=4)


@fuzz(120)
@given(q=queries, extra=extras)
@example(q="*", extra={})
@example(q="-", extra={})
@example(q='"', extra={})
@example(q="tea " + "OR tea " * 1000, extra={})
@example(q="x" * MAX_URL, extra={})
@example(q="tea", extra={"since": "2024-05-01", "until": "2024-01-01"})
@example(q="tea", extra={"cursor": "A" * 10_000})
@example(q="tea", extra={"limit": "99999999999999999999999"})
@example(q="tea", extra={"sort": "random", "facets": "maybe"})
@example(q="tea", extra={"recency": "1e400", "tag": SCRIPT})
@example(q="the of and", extra={"recency": "-1", "language": "uk"})
@example(q="tea", extra={"site": "http://[oops/"})
def test_search_api(client: TestClient, q: str, extra: dict[str, str]) -> None:
    response = checked(client.get("/search", params=sized({"q": q, **extra})))
    assert response.status_code in (200, 400, 422)
    assert response.headers["content-type"].startswith("application/json")


@fuzz(80)
@given(q=queries, extra=extras)
@example(q=f"tea {IMG}", extra={"site": SCRIPT, "author": IMG})
@example(q="tea", extra={"since": IMG, "sort": SCRIPT})
def test_search_page(client: TestClient, q: str, extra: dict[str, str]) -> None:
    response = checked(client.get("/", params=sized({"q": q, **extra})))
    assert response.status_code in (200, 400, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]


@fuzz(40)
@given(cursor=st.text(max_size=200) | st.binary(max_size=150).map(lambda b: b.hex()))
def test_cursor_junk(client: TestClient, cursor: str) -> None:
    for path in ("/search", "/"):
        checked(client.get(path, params={"q": "tea", "cursor": cursor}))


def test_a_real_cursor_on_another_query_is_refused(client: TestClient) -> None:
    first = checked(client.get("/search", params={"q": "tea", "limit": 1})).json()
    assert first["next_cursor"]
    other = checked(client.get("/search", params={"q": "green", "cursor": first["next_cursor"]}))
    assert other.status_code == 400


# -- paths ---------------------------------------------------------------------------------

PATHS = [
    "/articles/../../etc/passwd",
    "/articles/..%2F..%2Fetc%2Fpasswd",
    "/articles/%2e%2e/%2e%2e/etc/passwd",
    "/articles/%252e%252e%252fetc",
    "/articles/tea%2Fsimilar",
    "/articles/tea/similar?limit=0",
    "/articles/tea/similar?limit=-1",
    "/articles/tea/similar?limit=abc",
    "/articles/tea/similar?limit=99999999999999999999",
    "/articles/%00",
    "/articles/%ff%fe",
    "/articles/" + "a" * MAX_URL,
    "/articles/" + "%41" * 20_000,
    "/view/../../etc/passwd",
    "/view/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/view/" + "a" * MAX_URL,
    "/view/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/static/../../../etc/passwd",
    "/static/..%2F..%2Fpyproject.toml",
    "/static/style.css/../../../etc/passwd",
    "/static/%2e%2e/api.py",
    "//etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/?q=" + "%" * 50,
    "/search?q=%ZZ",
    "/search?q=%C0%AE%C0%AE",
    "/search?q=tea&q=coffee",
    "/search?" + "&".join(f"p{i}=1" for i in range(2000)),
    "/health/../articles/tea",
    "/openapi.json/..",
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p[:40])
def test_path_tricks(client: TestClient, path: str) -> None:
    response = checked(client.get(path))
    assert "root:" not in response.text and "[tool." not in response.text
    if "etc" in path or "passwd" in path or "pyproject" in path or "api.py" in path:
        assert response.status_code in (400, 404, 405, 422), (path, response.status_code)


@fuzz(60)
@given(st.text(min_size=1, max_size=300))
@example("../../etc/passwd")
@example("\x00")
@example("tea/../tea")
@example(SCRIPT)
def test_article_ids(client: TestClient, article_id: str) -> None:
    quoted = quote(article_id, safe="")
    for path in (f"/articles/{quoted}", f"/articles/{quoted}/similar", f"/view/{quoted}"):
        response = checked(client.get(path))
        assert response.status_code in (200, 404, 405), (path, response.status_code)


# -- script in article text -----------------------------------------------------------------


def test_script_in_articles_is_escaped_in_the_search_page(client: TestClient) -> None:
    response = checked(client.get("/", params={"q": "tea", "limit": 50}))
    assert response.status_code == 200
    page = response.text
    for id_ in ("xss", "js-url", "bad-url", "quote-url"):
        assert f"/view/{id_}" in page, id_
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" not in page or "<img" not in page
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert 'href="#"' in page  # the javascript: and unparseable URLs are dead links


def test_script_in_an_article_is_escaped_in_the_article_view(client: TestClient) -> None:
    response = checked(client.get("/view/xss"))
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script" not in response.text.lower() and "<img" not in response.text.lower()
    assert "Tea text &lt;script&gt;alert(1)&lt;/script&gt;" in response.text


@pytest.mark.parametrize("id_", ["js-url", "bad-url", "quote-url"])
def test_hostile_urls_in_the_article_view(client: TestClient, id_: str) -> None:
    response = checked(client.get(f"/view/{id_}"))
    assert response.status_code == 200
    assert "<script" not in response.text.lower()


def test_the_json_article_is_json_not_html(client: TestClient) -> None:
    """The JSON API returns the text as stored (escaping is the renderer's job), so it must
    never be served as something a browser would render."""
    response = checked(client.get("/articles/xss"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["title"] == f"Tea {HOSTILE}"


def test_snippets_and_similar_escape_article_text(client: TestClient) -> None:
    body = checked(client.get("/search", params={"q": "tea text"})).json()
    snippets = " ".join(hit["snippet"] for hit in body["hits"])
    assert "<script" not in snippets and "<img" not in snippets
    checked(client.get("/articles/xss/similar"))
