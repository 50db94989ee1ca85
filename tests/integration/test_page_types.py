"""Page types in the index: filters and counts, through the real store, the API, the search
page and `pagewire search` (against the API served on a loopback port)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

from indexer.api import create_api
from indexer.config import IndexerSettings
from indexer.search_models import SearchRequest
from indexer.store import TantivyStore
from pagewire.cli import main
from shared.events import PageExtracted
from tests.factories import article

SETTINGS = IndexerSettings(max_query_length=200, max_results=50)
PAGES = [
    article("news1", title="Kettle recall", text="The kettle maker recalls a kettle model."),
    article("news2", title="Kettle prices", text="Why kettle prices rose this year."),
    article("thread", title="Which kettle?", text="Which kettle do you use? Reply below.",
            page_type="forum"),
    article("shop", title="Steel kettle", text="A steel kettle, 1.7 litres, in stock.",
            page_type="product"),
    article("cat", title="Kettles", text="All our kettle models in one place.",
            page_type="collection"),
]  # fmt: skip


def _counts(page_facets: dict[str, list[dict[str, object]]]) -> dict[object, object]:
    return {f["value"]: f["count"] for f in page_facets["page_type"]}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TantivyStore]:
    path: Path = tmp_path_factory.mktemp("types") / "index"
    with TantivyStore.open(path) as opened:
        opened.upsert(PAGES)
        yield opened


@pytest.fixture(scope="module")
def client(store: TantivyStore) -> TestClient:
    return TestClient(create_api(store, SETTINGS))


def _ids(store: TantivyStore, **asked: object) -> set[str]:
    page = store.search(SearchRequest.build("kettle", limit=50, **asked))  # type: ignore[arg-type]
    return {hit.id for hit in page.hits}


def test_the_store_returns_articles_unless_asked_for_other_types(store: TantivyStore) -> None:
    assert _ids(store) == {"news1", "news2"}
    assert _ids(store, page_type="forum") == {"thread"}
    assert _ids(store, page_type=["forum", "product"]) == {"thread", "shop"}
    assert _ids(store, page_type="all") == {p.id for p in PAGES}


def test_type_counts_ignore_the_type_filter_and_keep_the_others(store: TantivyStore) -> None:
    page = store.search(SearchRequest.build("kettle", page_type="forum", facets=True))
    assert page.total == 1
    counts = {f.value: f.count for f in page.facets["page_type"]}
    assert counts == {"article": 2, "forum": 1, "product": 1, "collection": 1}
    narrowed = store.search(SearchRequest.build("steel", page_type="forum", facets=True))
    assert {f.value: f.count for f in narrowed.facets["page_type"]} == {"product": 1}


def test_a_page_type_survives_the_round_trip(store: TantivyStore) -> None:
    stored = store.get("thread")
    assert stored is not None and stored.page_type == "forum"


def test_an_event_without_a_page_type_is_indexed_as_an_article(tmp_path: Path) -> None:
    legacy = article("old", title="Old kettle", text="An old kettle story.")
    payload = legacy.model_dump(mode="json", exclude={"page_type", "extraction_quality"})
    with TantivyStore.open(None) as store:
        store.upsert([PageExtracted.model_validate(payload)])
        assert _ids(store) == {"old"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"news1", "news2"}),
        ({"type": "forum"}, {"thread"}),
        ({"type": "forum,product"}, {"thread", "shop"}),
        ({"type": ["forum", "collection"]}, {"thread", "cat"}),
        ({"type": " Product "}, {"shop"}),
        ({"type": "all"}, {p.id for p in PAGES}),
    ],
)
def test_the_api_filters_by_type(
    client: TestClient, params: dict[str, object], expected: set[str]
) -> None:
    body = client.get("/search", params={"q": "kettle", **params}).json()
    assert {hit["id"] for hit in body["hits"]} == expected
    assert all(hit["page_type"] in {"article", "forum", "product", "collection"}
               for hit in body["hits"])  # fmt: skip


def test_the_api_counts_types_and_refuses_unknown_ones(client: TestClient) -> None:
    body = client.get("/search", params={"q": "kettle", "facets": "true"}).json()
    assert body["total"] == 2
    assert _counts(body["facets"]) == {"article": 2, "forum": 1, "product": 1, "collection": 1}
    response = client.get("/search", params={"q": "kettle", "type": "recipe"})
    assert response.status_code == 400
    assert "'recipe'" in response.json()["error"] and "documentation" in response.json()["error"]


def test_the_search_page_has_a_type_control_and_type_counts(client: TestClient) -> None:
    page = client.get("/", params={"q": "kettle"}).text
    assert "2 articles" in page
    assert '<select name="type" aria-label="page type">' in page
    assert '<option value="article" selected>' in page
    assert '<option value="all">' in page
    assert "<h3>type</h3>" in page
    assert 'href="/?q=kettle&amp;type=forum">forum</a> (1)' in page
    forum = client.get("/", params={"q": "kettle", "type": "forum"}).text
    assert "1 page" in forum and "Which kettle?" in forum and "Kettle recall" not in forum
    assert '<option value="forum" selected>' in forum


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def api_url(store: TantivyStore) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_api(store, SETTINGS), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the API did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], {"Kettle recall", "Kettle prices"}),
        (["--type", "forum"], {"Which kettle?"}),
        (["--type", "forum,product"], {"Which kettle?", "Steel kettle"}),
        (["--type", "forum", "--type", "collection"], {"Which kettle?", "Kettles"}),
        (["--type", "all"], {p.title for p in PAGES}),
    ],
)
def test_the_cli_searches_the_types_asked_for(
    api_url: str, options: list[str], expected: set[str]
) -> None:
    result = CliRunner().invoke(main, ["search", "kettle", "--api", api_url, *options])
    assert result.exit_code == 0, result.output
    titles = {t for t in (p.title for p in PAGES) if f"\n{t}\n" in result.output}
    assert titles == expected
