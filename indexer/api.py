"""The search API over HTTP; the only module importing FastAPI.

The searches (`/search` and the page `/`) run on the event loop: the hops to FastAPI's thread
pool and back cost more than a search holds the loop, which the stream consumer sharing it can
wait (docs/benchmarks.md, search at scale). The other routes are plain
(sync) functions, run in the thread pool. Every error body is `{"error": "<a sentence>"}`,
and the mapping from exception to status code lives in `_install_error_handlers` only:

    (no or a wrong token)      401  only when `api_token` is set; see `_install_token_check`
    QueryError                 400  the query, a filter or the cursor is not acceptable
    RequestValidationError     422  a parameter has the wrong type (e.g. limit=abc)
    HTTPException              its own status (404 for an unknown article)
    StoreError                 503  the index cannot be read right now
    anything else              500  logged with its traceback; a bug

`/` is the search page (HTML, `indexer.web`); its errors are the same, rendered as a page.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.config import IndexerSettings
from indexer.errors import QueryError, StoreError
from indexer.metrics import IndexerMetrics
from indexer.search_models import SearchHit, SearchPage, SearchRequest
from indexer.store import Store
from indexer.web import STYLESHEET, render_article_page, render_error_page, render_search_page
from shared.errors import describe_invalid
from shared.events import PageExtracted

__all__ = ["create_api"]

logger = logging.getLogger(__name__)

Text = Annotated[str | None, Query(max_length=10_000)]


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _settings(request: Request) -> IndexerSettings:
    settings: IndexerSettings = request.app.state.settings
    return settings


# The dependencies are coroutines: FastAPI runs a plain function in its thread pool, and the
# hops there would cost more than the dependencies' own work.
StoreDep = Annotated[Store, Depends(_store)]
SettingsDep = Annotated[IndexerSettings, Depends(_settings)]


async def _request(
    settings: SettingsDep,
    *,
    q: Annotated[str, Query(max_length=100_000)] = "",
    limit: int = 10,
    cursor: Text = None,
    site: Text = None,
    language: Text = None,
    author: Text = None,
    tag: Annotated[str | None, Query(max_length=10_000, description="a section or tag")] = None,
    since: Text = None,
    until: Text = None,
    page_type: Annotated[
        list[str] | None,
        Query(
            alias="type",
            max_length=1_000,
            description=(
                "page types, repeated or comma-separated (article, forum, product, collection,"
                " listing, documentation, service, other) or `all`; none given: article"
            ),
        ),
    ] = None,
    sort: Text = "relevance",
    facets: bool = False,
    recency: Annotated[
        int | None,
        Query(description="boost recent articles: the half-life of the boost, in days"),
    ] = None,
) -> SearchRequest:
    return SearchRequest.build(
        q, limit=limit, cursor=cursor, site=site, language=language, author=author, tag=tag,
        since=since, until=until, page_type=page_type, sort=sort or "relevance", facets=facets,
        recency=recency,
        max_query_length=settings.max_query_length, max_results=settings.max_results,
    )  # fmt: skip


RequestDep = Annotated[SearchRequest, Depends(_request)]


def create_api(
    store: Store, settings: IndexerSettings, metrics: IndexerMetrics | None = None
) -> FastAPI:
    """The search API over `store`; `settings` gives the query and result limits; with
    `metrics`, `/metrics` serves them and searches are timed."""
    # No /docs: Swagger UI loads from a CDN; the schema is at /openapi.json.
    app = FastAPI(title="pagewire search", version="1", docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.settings = settings
    _install_error_handlers(app)
    _install_token_check(app, settings.token())
    _add_api_routes(app)
    _add_page_routes(app)
    if metrics is not None:
        _add_metrics(app, metrics)  # added last: it also times requests the token check refuses
    return app


def _add_metrics(app: FastAPI, metrics: IndexerMetrics) -> None:
    @app.get("/metrics", include_in_schema=False)
    def metrics_page() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.middleware("http")
    async def time_searches(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path != "/search":
            return await call_next(request)
        started = time.perf_counter()
        response = await call_next(request)
        metrics.observe_search(response.status_code, time.perf_counter() - started)
        return response


def _add_api_routes(app: FastAPI) -> None:
    # The models are serialised by pydantic straight to JSON (`_json`): FastAPI's own path
    # dumps, validates again and encodes each result. `response_model` still documents them in
    # the OpenAPI schema.
    @app.get("/search", response_model=SearchPage)
    async def search(request: RequestDep, store: StoreDep) -> Response:
        """Full-text search: words, "phrases", -exclusions, OR, prefix*; filters and sort."""
        return _json(store.search(request))

    @app.get("/articles/{article_id}", response_model=PageExtracted)
    def get_article(article_id: str, store: StoreDep) -> Response:
        """The whole stored article, as the extractor published it."""
        article = store.get(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id[:200]!r}")
        return _json(article)

    @app.get("/articles/{article_id}/similar", response_model=list[SearchHit])
    def similar(
        article_id: str, store: StoreDep, settings: SettingsDep, limit: int = 10
    ) -> list[SearchHit]:
        """Articles sharing the rarest words of this one."""
        if not 1 <= limit <= settings.max_results:
            raise QueryError(f"limit must be between 1 and {settings.max_results}, got {limit}")
        hits = store.similar(article_id, limit)
        if hits is None:
            raise HTTPException(404, f"no article with id {article_id[:200]!r}")
        return hits

    @app.get("/health")
    def health(store: StoreDep) -> dict[str, object]:
        return {"status": "ok", "documents": store.count()}


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


def _add_page_routes(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(http: Request, request: RequestDep, store: StoreDep) -> HTMLResponse:
        page = store.search(replace(request, facets=True))
        html = render_search_page(page, dict(http.query_params))
        return HTMLResponse(html, headers=_PAGE_HEADERS)

    @app.get("/view/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def view(article_id: str, store: StoreDep) -> HTMLResponse:
        """One stored article as a page (its text, escaped), linked from the results."""
        article = store.get(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id[:200]!r}")
        return HTMLResponse(render_article_page(article), headers=_PAGE_HEADERS)

    @app.get("/static/style.css", include_in_schema=False)
    def stylesheet() -> Response:
        cache = {"Cache-Control": "max-age=3600"}
        return Response(STYLESHEET, media_type="text/css", headers=cache)


_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """`{"error": message}`, or the search page with the message for the page's own URL."""
    if request.url.path == "/":
        html = render_error_page(message, dict(request.query_params))
        return HTMLResponse(html, status_code=status, headers={**_PAGE_HEADERS, **(headers or {})})
    return JSONResponse({"error": message}, status_code=status, headers=headers)


TOKEN_COOKIE = "pagewire_token"
_PUBLIC_PATHS = frozenset({"/health", "/static/style.css", "/openapi.json"})


def _is_page(path: str) -> bool:
    """The HTML pages a browser opens (they also take the token cookie)."""
    return path == "/" or path.startswith("/view/")


def _install_token_check(app: FastAPI, token: str | None) -> None:
    """With a token, every route but /health, the stylesheet and the schema needs it.

    API clients send `Authorization: Bearer <token>`. A browser opens `/?token=<token>` once:
    the page sets an HttpOnly, SameSite=Strict cookie and redirects to the same URL without the
    token (so it stays out of the address bar and history); later pages send the cookie. The
    cookie opens the HTML pages only, never the JSON API.
    Comparisons are constant-time. A missing or wrong token is a 401 with a readable message.
    """
    if token is None:
        return
    expected = token.encode()

    def matches(given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), expected)

    @app.middleware("http")
    async def require_token(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if path in _PUBLIC_PATHS:
            return await call_next(request)
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and matches(given.strip()):
            return await call_next(request)
        if _is_page(path):
            if matches(request.cookies.get(TOKEN_COOKIE)):
                return await call_next(request)
            if matches(request.query_params.get("token")):
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                location = request.url.path + (f"?{urlencode(rest)}" if rest else "")
                response = RedirectResponse(location, status_code=303)
                response.set_cookie(
                    TOKEN_COOKIE, token, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/",
                )  # fmt: skip
                return response
        message = (
            "this search API needs a token: send `Authorization: Bearer <token>`"
            if not request.headers.get("authorization")
            else "the token is not valid"
        )
        if _is_page(path):
            message += " (in a browser, open /?token=<token> once)"
        return _error(request, 401, message, {"WWW-Authenticate": 'Bearer realm="pagewire"'})


def _install_error_handlers(app: FastAPI) -> None:
    """The one place where exceptions become HTTP status codes."""

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, describe_invalid("invalid parameters", exc, skip=1))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, exc: StoreError) -> Response:
        logger.warning("store error on %s: %s", request.url.path, exc)
        return _error(request, 503, "the index is not available right now; try again shortly")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error on %s", request.url.path)
        return _error(request, 500, "internal error")
