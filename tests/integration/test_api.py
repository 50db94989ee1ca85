"""The search API over a real TantivyStore, through FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.api import create_api
from indexer.config import IndexerSettings
from indexer.store import TantivyStore
from shared.events import PageExtracted
from tests.factories import article

SETTINGS = IndexerSettings(max_query_length=200, max_results=50)
ARTICLES = [
    article("tea", title="Green tea guide", text="Brewing green tea at 80 degrees.",
            site="tea.example", language="en", authors=["Jane Doe"],
            published=datetime(2024, 2, 1, tzinfo=UTC)),
    article("coffee", title="Coffee roasting", text="Roasting beans; tea drinkers skip this.",
            site="coffee.example", language="fr", published=datetime(2023, 2, 1, tzinfo=UTC)),
    article("xss", title="<img src=x onerror=alert(1)>",
            text="Payload <script>steal()</script> tea"),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TantivyStore]:
    path: Path = tmp_path_factory.mktemp("api") / "index"
    with TantivyStore.open(path) as opened:
        opened.upsert(ARTICLES)
        yield opened


@pytest.fixture(scope="module")
def client(store: TantivyStore) -> TestClient:
    return TestClient(create_api(store, SETTINGS))


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "documents": 3}


def test_search(client: TestClient) -> None:
    body = client.get("/search", params={"q": "green tea"}).json()
    assert set(body) >= {"query", "total", "hits", "next_cursor"}
    assert (body["query"], body["total"], body["next_cursor"]) == ("green tea", 1, None)
    (hit,) = body["hits"]
    assert hit["id"] == "tea"
    assert hit["url"] == "https://tea.example/tea"
    assert hit["site"] == "tea.example"
    assert hit["authors"] == ["Jane Doe"]
    assert hit["published"].startswith("2024-02-01T00:00:00")
    assert "<mark>green</mark> <mark>tea</mark>" in hit["snippet"]
    assert hit["score"] > 0


def test_filters_and_sort(client: TestClient) -> None:
    def found(**params: str) -> list[str]:
        response = client.get("/search", params={"q": "tea", **params})
        assert response.status_code == 200, response.text
        return [hit["id"] for hit in response.json()["hits"]]

    assert found(site="coffee.example") == ["coffee"]
    assert found(language="en") == ["tea"]
    assert found(author="JANE doe") == ["tea"]
    assert found(since="2024-01-01") == ["tea"]
    assert found(until="2023-12-31") == ["coffee"]
    assert found(sort="oldest", since="2000-01-01") == ["coffee", "tea"]


def test_cursor_pagination(client: TestClient) -> None:
    first = client.get("/search", params={"q": "tea", "limit": 2}).json()
    assert first["total"] == 3 and len(first["hits"]) == 2
    second = client.get("/search", params={"q": "tea", "limit": 2, "cursor": first["next_cursor"]})
    rest = second.json()
    assert rest["next_cursor"] is None
    assert {h["id"] for h in first["hits"] + rest["hits"]} == {"tea", "coffee", "xss"}


def test_facets(client: TestClient) -> None:
    facets = client.get("/search", params={"q": "tea", "facets": "true"}).json()["facets"]
    assert {f["value"]: f["count"] for f in facets["language"]} == {"en": 1, "fr": 1}


def test_get_article(client: TestClient) -> None:
    response = client.get("/articles/tea")
    assert response.status_code == 200
    assert PageExtracted.model_validate(response.json()) == ARTICLES[0]


def test_unknown_article_is_404(client: TestClient) -> None:
    for path in ("/articles/nope", "/articles/nope/similar"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "no article with id 'nope'"}


def test_similar(client: TestClient) -> None:
    response = client.get("/articles/tea/similar", params={"limit": 5})
    assert response.status_code == 200
    assert "tea" not in [hit["id"] for hit in response.json()]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "OR"}, "no words"),
        ({"q": '"" -'}, "no words"),
        ({"q": "x" * 201}, "too long"),
        ({"q": "a*"}, "prefix"),
        ({"q": "tea", "limit": "51"}, "limit"),
        ({"q": "tea", "limit": "0"}, "limit"),
        ({"q": "tea", "sort": "random"}, "sort"),
        ({"q": "tea", "since": "last week"}, "since"),
        ({"q": "tea", "cursor": "garbage"}, "cursor"),
        ({"q": "tea", "recency": "0"}, "recency"),
    ],
)
def test_bad_queries_are_400(client: TestClient, params: dict[str, str], message: str) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_wrong_type_is_422_with_a_message(client: TestClient) -> None:
    response = client.get("/search", params={"q": "tea", "limit": "many"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("invalid parameters: limit: Input should be")


def test_recency_is_a_half_life_in_days(client: TestClient) -> None:
    assert client.get("/search", params={"q": "tea", "recency": "30"}).status_code == 200
    response = client.get("/search", params={"q": "tea", "recency": "soon"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("invalid parameters: recency:")
    page = client.get("/", params={"q": "tea", "recency": "30"})
    assert 'name="recency" value="30" checked' in page.text


def test_closed_store_is_503(tmp_path: Path) -> None:
    closed = TantivyStore.open(tmp_path / "closed")
    closed.close()
    response = TestClient(create_api(closed, SETTINGS)).get("/health")
    assert response.status_code == 503
    assert "not available" in response.json()["error"]


def test_unexpected_errors_are_500_without_details(store: TantivyStore) -> None:
    class BrokenStore(TantivyStore):
        def count(self) -> int:
            raise RuntimeError("secret internals")

    broken = BrokenStore.__new__(BrokenStore)
    client = TestClient(create_api(broken, SETTINGS), raise_server_exceptions=False)
    response = client.get("/health")
    assert response.status_code == 500
    assert response.json() == {"error": "internal error"}


def test_search_page_escapes_everything(client: TestClient) -> None:
    response = client.get("/", params={"q": 'tea "><script>'})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'value="tea &quot;&gt;&lt;script&gt;"' in page


def test_search_page_links_facets_and_next_page(client: TestClient) -> None:
    page = client.get("/", params={"q": "tea", "limit": "1", "sort": "newest"}).text
    assert "3 articles" in page
    assert 'href="/?q=tea&amp;sort=newest&amp;cursor=' in page
    assert 'href="/?q=tea&amp;sort=newest&amp;site=tea.example">tea.example</a> (1)' in page
    assert 'href="/?q=tea&amp;sort=newest&amp;since=2024-02-01&amp;until=2024-02-29"' in page
    assert '<option value="newest" selected>' in page


def test_search_page_shows_errors_as_html(client: TestClient) -> None:
    response = client.get("/", params={"q": "OR"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert '<p class="error">the query has no words to search for</p>' in response.text


def test_search_page_never_links_to_scripts() -> None:
    with TantivyStore.open(None) as store:
        store.upsert([article("js", title="Evil", url="javascript:alert(1)",
                              canonical_url="javascript:alert(1)")])  # fmt: skip
        page = TestClient(create_api(store, SETTINGS)).get("/", params={"q": "evil"}).text
    assert "javascript:" not in page
    assert 'href="#"' in page


def test_stylesheet(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "mark" in response.text


PARAMS = [
    "limit",
    "cursor",
    "site",
    "language",
    "author",
    "since",
    "until",
    "type",
    "sort",
    "facets",
]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=300),
    extra=st.dictionaries(
        st.sampled_from(PARAMS),
        st.text(max_size=30),
        max_size=3,
    ),
)
def test_no_query_is_a_server_error(client: TestClient, q: str, extra: dict[str, str]) -> None:
    response = client.get("/search", params={"q": q, **extra})
    assert response.status_code < 500, response.text
    assert response.status_code in (200, 400, 422)
    if response.status_code != 200:
        assert response.json()["error"]
