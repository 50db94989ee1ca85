"""`python -m bench.browser_dumps` on pages the test writes, in a real chromium.

The pages live under a URL of a local HTTP server that counts its requests: the command must
serve every page from its local HTML, so the server sees none, not even for the page's own
stylesheet, image or frame. Skips when playwright or chromium is missing (a failure under CI).
"""

from __future__ import annotations

import gzip
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bench import browser_dumps

pytestmark = pytest.mark.e2e

ARTICLE = """<!doctype html><html><head><title>Not in the dump</title>
<style>.promo {{ display: none }}</style>
<link rel="stylesheet" href="{base}/style.css"></head>
<body><nav>Home | News</nav>
<h1>Harbour wall repaired</h1>
<p>The harbour wall was repaired in <b>June</b>, the harbour master said.</p>
<div class="promo">Subscribe now</div><div hidden>Hidden note</div>
<script>document.write("Written by a script")</script>
<img src="{base}/photo.jpg" alt="A photo"><iframe src="{base}/frame.html"></iframe>
<noscript>Scripts are off</noscript>
</body></html>"""
LATIN = (
    '<html><head><meta charset="iso-8859-1"></head><body><p>Un café à Gérardmer</p></body></html>'
)


class _Counting(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<p>From the network</p>")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Counting,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def chromium() -> None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[dev]'")
    if not Path(browser_dumps.CHROMIUM).exists():
        pytest.skip(f"no chromium at {browser_dumps.CHROMIUM}: apt-get install -y chromium")


def _write_kit(kit: Path, base: str) -> None:
    root = kit / "scrapinghub"
    (root / "html").mkdir(parents=True)
    pages = {
        "a1": (f"{base}/news/harbour", ARTICLE.format(base=base).encode()),
        "b2": (base, LATIN.encode("iso-8859-1")),  # a bare host: the browser adds a slash
    }
    truth = {key: {"url": url, "articleBody": ""} for key, (url, _) in pages.items()}
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    for key, (_, data) in pages.items():
        (root / "html" / f"{key}.html.gz").write_bytes(gzip.compress(data))


def test_dumps_are_what_chromium_shows_with_no_network(
    chromium: None, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, seen = server
    _write_kit(tmp_path / "kit", base)
    out = tmp_path / "out"
    browser_dumps.main(
        ["--corpus", "scrapinghub", "--kit", str(tmp_path / "kit"), "--out", str(out)]
    )
    folder = out / "scrapinghub"
    article = (folder / "a1.txt").read_text(encoding="utf-8")
    lines = article.splitlines()
    assert lines[:2] == ["Home | News", "Harbour wall repaired"]
    assert "The harbour wall was repaired in June, the harbour master said." in lines
    assert article.endswith("\n")
    for absent in ("Not in the dump", "Subscribe now", "Hidden note", "Written by a script"):
        assert absent not in article
    assert "From the network" not in article
    assert "Scripts are off" in article  # JavaScript is off: <noscript> shows
    assert (folder / "b2.txt").read_text(encoding="utf-8") == "Un café à Gérardmer\n"
    assert seen == []  # nothing was fetched: page, stylesheet, image and frame all local
    record = json.loads((folder / "fingerprint.json").read_text(encoding="utf-8"))
    assert record["pages"] == 2 and record["missing"] == []


def test_dumps_are_reused_until_a_page_changes(
    chromium: None, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, _ = server
    kit, out = tmp_path / "kit", tmp_path / "out"
    _write_kit(kit, base)
    argv = ["--corpus", "scrapinghub", "--kit", str(kit), "--out", str(out)]
    browser_dumps.main(argv)
    dump = out / "scrapinghub" / "b2.txt"
    dump.write_text("left alone\n", encoding="utf-8")  # a reused dump is not rewritten
    browser_dumps.main(argv)
    assert dump.read_text(encoding="utf-8") == "left alone\n"
    page = kit / "scrapinghub" / "html" / "b2.html.gz"
    page.write_bytes(gzip.compress(LATIN.replace("Un café", "Un autre café").encode("iso-8859-1")))
    browser_dumps.main(argv)
    assert dump.read_text(encoding="utf-8") == "Un autre café à Gérardmer\n"
    shutil.rmtree(out)
