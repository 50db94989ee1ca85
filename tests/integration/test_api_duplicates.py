"""The API and the search page with near duplicates folded, and the article view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.api import create_api
from indexer.config import IndexerSettings
from indexer.store import TantivyStore
from tests.factories import article
from tests.integration.test_store_duplicates import SYNDICATED


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("dup-api") / "index"
    with TantivyStore.open(path) as store:
        store.upsert(SYNDICATED)
        store.upsert([article("x", title="<b>Bold</b> & co", text="Line one <i>\nLine two")])
        yield TestClient(create_api(store, IndexerSettings()))


def test_search_lists_the_other_copies(client: TestClient) -> None:
    body = client.get("/search", params={"q": "floods"}).json()
    assert body["total"] == 3
    (hit,) = body["hits"]
    assert len(hit["also_on"]) == 2
    assert set(hit["also_on"][0]) == {"id", "url", "site"}


def test_the_search_page_links_the_other_copies(client: TestClient) -> None:
    html = client.get("/", params={"q": "floods"}).text
    assert html.count('<div class="also">also on: ') == 1
    assert 'href="https://valleypost.example.org/wire-valleypost.example.org"' in html


def test_the_article_view_shows_the_text_escaped(client: TestClient) -> None:
    response = client.get("/view/x")
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    html = response.text
    assert "<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; co</h1>" in html
    assert "<p>Line one &lt;i&gt;</p><p>Line two</p>" in html
    assert client.get("/view/nope").status_code == 404
