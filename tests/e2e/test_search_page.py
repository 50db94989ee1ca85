"""The search page in a real headless browser (Debian's chromium, driven by Playwright).

The indexer's API runs in this process (uvicorn in a thread, on a free port) over a real
index. The browser types a query, submits, follows a facet, pages, opens an article, and
the test checks that hostile text in titles and bodies is shown as text and never runs,
and that the page fetches nothing from anywhere but the API's own address.

Skips when the `playwright` package or a chromium binary is missing (under CI that skip is a
failure: `.ci/run` installs chromium with apt and `.[dev]` installs playwright). Playwright's
own browser download is never used: the system chromium is launched with `executable_path`.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import uvicorn

from indexer.api import create_api
from indexer.config import IndexerSettings
from indexer.store import TantivyStore
from shared.events import PageExtracted
from tests.factories import article
from tests.helpers import free_port, wait_healthy
from tests.unit.test_dedup import WIRE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Route

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("PAGEWIRE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCRIPT = "<script>window.pwned=1</script>"
IMG = "<img src=x onerror=\"window.pwned=2;alert('xss')\">"
HOSTILE_TITLE = f"Harbour plans {SCRIPT} {IMG}"
HOSTILE_TEXT = (
    f"The harbour board met again. {SCRIPT} was pasted into this article by a prankster, "
    f"and so was {IMG}; a reader must see both as text.\n"
    "The harbour master said the pier would reopen in June."
)
SITES = ("a.example.com", "b.example.org", "c.example.net")


def _articles() -> list[PageExtracted]:
    events = [
        article(
            f"h{i}", site=SITES[i % 3], title=f"Harbour report {i}",
            text=f"Harbour news number {i}: the harbour wall, the boats and the quay {i}.",
            language="en" if i % 2 else "fr", published=datetime(2024, 3, 1 + i, tzinfo=UTC),
        )
        for i in range(12)
    ]  # fmt: skip
    events.append(article("hostile", site="d.example.com", title=HOSTILE_TITLE, text=HOSTILE_TEXT))
    events += [
        article(
            f"wire-{site}", site=site, title="Floods cut off the harbour",
            text=f"{site} news desk.\n{WIRE} The harbour was closed.",
            published=datetime(2024, 5, 1, k, tzinfo=UTC),
        )
        for k, site in enumerate(SITES)
    ]  # fmt: skip
    events.append(
        article("moorings", site="a.example.com", title="Harbour mooring fees: anyone else?",
                text="Has anyone paid the new harbour mooring fees? Reply below.",
                page_type="forum")
    )  # fmt: skip
    return events


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright import sync_api
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[dev]'")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with TantivyStore.open(tmp_path_factory.mktemp("e2e") / "index") as store:
        store.upsert(_articles())
        app = create_api(store, IndexerSettings(max_results=50, api_token=None))
        port = free_port()
        config = uvicorn.Config(app, port=port, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, within=20)
            yield base
        finally:
            server.should_exit = True
            thread.join(10)


@dataclass
class Watch:
    """What a page did that it must not: requests elsewhere, dialogs, uncaught errors."""

    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(java_script_enabled=True)
    watch = Watch()

    def guard(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    opened.on("pageerror", lambda error: watch.errors.append(str(error)))
    try:
        yield opened, watch
    finally:
        context.close()


def _result_ids(page: Page) -> list[str]:
    links = page.locator("ol.hits a.view").evaluate_all("links => links.map(a => a.pathname)")
    return [str(path).rsplit("/", 1)[-1] for path in links]


def test_search_facet_pages_and_hostile_text(page: tuple[Page, Watch], base_url: str) -> None:
    tab, watch = page
    tab.goto(base_url + "/")
    assert tab.title() == "pagewire search"

    # Type a query and submit the form.
    tab.fill("input[name=q]", "harbour")
    with tab.expect_navigation():
        tab.click("button[type=submit]")
    assert "q=harbour" in tab.url
    summary = tab.inner_text(".summary")
    assert summary.startswith("16 articles"), summary  # documents; copies folded below
    first = _result_ids(tab)
    assert len(first) == 10
    assert tab.locator("ol.hits .snippet mark").count() >= 10
    assert tab.inner_text("ol.hits .snippet mark >> nth=0").lower() == "harbour"

    # Pages: the rest of the results, none of them again, the syndicated story once.
    with tab.expect_navigation():
        tab.click("nav.pages a")
    second = _result_ids(tab)
    assert second and not set(first) & set(second)
    shown = first + second
    assert len(shown) == 14 == len(set(shown))  # 12 reports, the hostile one, 1 of 3 copies
    assert len([i for i in shown if i.startswith("wire-")]) == 1
    assert tab.locator("nav.pages a").count() == 0

    # "also on" links for the syndicated story, wherever it is shown.
    tab.goto(base_url + "/?q=floods")
    also = tab.locator("ol.hits .also a")
    assert tab.locator("ol.hits > li").count() == 1
    assert also.count() == 2
    assert tab.inner_text("ol.hits .also").startswith("also on:")
    for href in also.evaluate_all("links => links.map(a => a.href)"):
        assert urlsplit(str(href)).hostname in SITES

    # A facet narrows the results to its value.
    tab.goto(base_url + "/?q=harbour")
    with tab.expect_navigation():
        tab.click("aside.facets a:text-is('b.example.org')")
    assert "site=b.example.org" in tab.url
    metas = tab.locator("ol.hits .meta").all_inner_texts()
    assert metas and all(m.startswith("b.example.org") for m in metas)

    # The hostile article in the results: its markup is text, nothing ran.
    tab.goto(base_url + "/?q=prankster")
    title = tab.inner_text("ol.hits a.title")
    assert SCRIPT in title and "<img src=x" in title
    assert tab.locator("ol.hits img").count() == 0
    assert tab.locator("main script").count() == 0

    # The article view shows it as text too.
    with tab.expect_navigation():
        tab.click("ol.hits a.view")
    assert urlsplit(tab.url).path == "/view/hostile"
    assert SCRIPT in tab.inner_text("article h1")
    body = tab.inner_text("article")
    assert SCRIPT in body and "onerror=" in body and "The harbour master said" in body
    assert tab.locator("article img, article script").count() == 0

    assert tab.evaluate("() => typeof window.pwned") == "undefined"
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.outside == []


def test_page_types_are_counted_and_chosen(page: tuple[Page, Watch], base_url: str) -> None:
    tab, watch = page
    tab.goto(base_url + "/?q=harbour")
    assert tab.inner_text(".summary").startswith("16 articles")  # a news reader's default
    assert "moorings" not in _result_ids(tab)
    types = tab.locator("aside.facets h3:text-is('type') + ul").inner_text()
    assert "article (16)" in types and "forum (1)" in types

    # The type control: forum threads only, then every type.
    tab.select_option("select[name=type]", "forum")
    with tab.expect_navigation():
        tab.click("button[type=submit]")
    assert "type=forum" in tab.url
    assert tab.inner_text(".summary").startswith("1 page")
    assert _result_ids(tab) == ["moorings"]
    assert "forum" in tab.inner_text("ol.hits .meta").split(" · ")
    tab.select_option("select[name=type]", "all")
    with tab.expect_navigation():
        tab.click("button[type=submit]")
    assert tab.inner_text(".summary").startswith("17 pages")
    assert watch.errors == [] and watch.outside == []


def test_the_page_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(base_url + "/?q=harbour&sort=newest")
        assert tab.locator("ol.hits > li").count() == 10
        with tab.expect_navigation():
            tab.click("nav.pages a")
        assert tab.locator("ol.hits > li").count() == 4
    finally:
        context.close()
