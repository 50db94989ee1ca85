"""The search API's token and limits, over a real TantivyStore (docs/security.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from indexer.api import TOKEN_COOKIE, create_api
from indexer.config import IndexerSettings
from indexer.store import TantivyStore
from pagewire.cli import main
from tests.factories import article

TOKEN = "correct-horse-battery-staple-42"
SETTINGS = IndexerSettings(api_token=TOKEN, max_query_length=50, max_results=20)
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TantivyStore]:
    path: Path = tmp_path_factory.mktemp("api-security") / "index"
    with TantivyStore.open(path) as opened:
        opened.upsert([article("tea", title="Green tea guide", text="Brewing green tea.")])
        yield opened


@pytest.fixture
def client(store: TantivyStore) -> TestClient:
    return TestClient(create_api(store, SETTINGS), follow_redirects=False)


@pytest.mark.parametrize("path", ["/search?q=tea", "/articles/tea", "/articles/tea/similar"])
def test_without_a_token_the_api_answers_401_with_a_sentence(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.json() == {
        "error": "this search API needs a token: send `Authorization: Bearer <token>`"
    }
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN])
def test_a_wrong_token_is_401(client: TestClient, header: str) -> None:
    response = client.get("/search", params={"q": "tea"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"error": "the token is not valid"}


def test_the_bearer_token_opens_the_api(client: TestClient) -> None:
    response = client.get("/search", params={"q": "tea"}, headers=BEARER)
    assert response.status_code == 200
    assert [hit["id"] for hit in response.json()["hits"]] == ["tea"]
    assert client.get("/articles/tea", headers=BEARER).json()["title"] == "Green tea guide"


def test_health_stylesheet_and_schema_stay_open(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "documents": 1}
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_the_page_takes_the_token_once_then_a_cookie(client: TestClient) -> None:
    refused = client.get("/", params={"q": "tea"})
    assert refused.status_code == 401 and "text/html" in refused.headers["content-type"]
    assert "/?token=" in refused.text
    assert client.get("/view/tea").status_code == 401
    assert client.get("/", params={"q": "tea", "token": "wrong"}).status_code == 401

    login = client.get("/", params={"q": "tea", "token": TOKEN})
    assert login.status_code == 303
    assert login.headers["location"] == "/?q=tea"  # the token leaves the address bar
    cookie = login.headers["set-cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}=") and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    client.cookies.set(TOKEN_COOKIE, TOKEN)
    page = client.get("/", params={"q": "tea"})
    assert page.status_code == 200 and "Green tea guide" in page.text
    assert client.get("/view/tea").status_code != 401  # an article's page: the cookie too
    # the cookie is for the pages only: the JSON API wants the header
    assert client.get("/search?q=tea").status_code == 401
    assert client.get("/articles/tea").status_code == 401


def test_no_token_set_means_an_open_api(store: TantivyStore) -> None:
    open_client = TestClient(create_api(store, IndexerSettings()))
    assert open_client.get("/search", params={"q": "tea"}).status_code == 200


def test_limits_are_4xx_with_a_sentence(client: TestClient) -> None:
    long_query = client.get("/search", params={"q": "tea " * 20}, headers=BEARER)
    assert long_query.status_code == 400
    assert "50" in long_query.json()["error"]
    too_many = client.get("/search", params={"q": "tea", "limit": 21}, headers=BEARER)
    assert too_many.status_code == 400
    assert too_many.json() == {"error": "limit must be between 1 and 20, got 21"}
    similar = client.get("/articles/tea/similar", params={"limit": 500}, headers=BEARER)
    assert similar.status_code == 400
    huge_filter = client.get("/search", params={"q": "tea", "site": "x" * 10_001}, headers=BEARER)
    assert huge_filter.status_code == 422 and "site" in huge_filter.json()["error"]


def test_a_public_address_without_a_token_is_refused() -> None:
    env = {"PAGEWIRE_INDEXER_HOST": "0.0.0.0", "PAGEWIRE_INDEXER_API_TOKEN": ""}
    result = CliRunner().invoke(main, ["indexer"], env=env)
    assert result.exit_code == 1
    assert "without a token" in result.output and "PAGEWIRE_INDEXER_API_TOKEN" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("host", "token", "anonymous", "refused"),
    [
        ("127.0.0.1", None, False, False),
        ("::1", None, False, False),
        ("localhost", None, False, False),
        ("0.0.0.0", None, False, True),
        ("indexer.internal", None, False, True),
        ("0.0.0.0", "t0ken", False, False),
        ("0.0.0.0", None, True, False),
    ],
)
def test_exposure_rule(host: str, token: str | None, anonymous: bool, refused: bool) -> None:
    settings = IndexerSettings(host=host, api_token=token, allow_anonymous=anonymous)
    assert (settings.exposure_problem() is not None) == refused
