"""A small web site served on loopback for the Scrapy test: a home page, a news page linking
three articles, a CSV file and a page that does not exist (404)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.factories import article_page


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


ARTICLES = {
    "/news/ferry": article_page(
        "The island ferry returns to its winter timetable",
        [
            "The island ferry returned to its winter timetable on Monday, with four crossings a "
            "day instead of nine, after a summer in which it carried more passengers than ever.",
            "The operator said the quieter months would be used to overhaul the engines and to "
            "repaint the hull, work that should be finished before the spring sailings resume.",
        ],
    ),
    "/news/orchard": article_page(
        "Volunteers graft the old pear varieties of the valley",
        [
            "Volunteers spent the weekend grafting cuttings from the valley's oldest pear trees "
            "onto young rootstock, so that varieties known only to a few farmers survive them.",
            "Some of the trees are more than a century old. The cuttings will grow in a nursery "
            "for two years before they are planted in the village's new community orchard.",
        ],
    ),
    "/news/choir": article_page(
        "A miners' choir sings again in the restored chapel",
        [
            "The miners' choir gave its first concert in the restored chapel on Saturday, forty "
            "years after the last pit closed and the chapel's roof began to let the rain in.",
            "Singers came from three generations; the oldest had sung there as a boy. The "
            "restoration was paid for by a lottery grant and a decade of cake sales.",
        ],
    ),
}
LISTING = "<!doctype html><html><head><title>{}</title></head><body><ul>{}</ul></body></html>"
LISTINGS = {  # each article's navigation links to "/" and "/news" (tests.factories)
    "/": ("Valley news", ["/news", "/data/tides.csv"]),
    "/news": ("Latest news", [*ARTICLES, "/news/gone"]),
}
HTML_PATHS = [*LISTINGS, *ARTICLES]


def resources() -> dict[str, Resource]:
    site = {}
    for path, (title, links) in LISTINGS.items():
        items = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
        site[path] = Resource(LISTING.format(title, items).encode(), "text/html; charset=utf-8")
    for path, html in ARTICLES.items():
        # Windows-1252 declared in the header only, as many old sites do: the bytes are not
        # UTF-8, so the page goes as content_b64 and the header must travel with it.
        body = html.replace("miners'", "miners\u2019").encode("cp1252")
        headers = {"Content-Language": "en-GB", "Set-Cookie": "session=secret"}
        site[path] = Resource(body, "text/html; charset=windows-1252", headers)
    site["/data/tides.csv"] = Resource(b"date,height\n2026-01-01,4.2\n", "text/csv")
    return site


@contextmanager
def serving() -> Iterator[str]:
    """The site at `http://127.0.0.1:PORT`, while the block runs."""
    site = resources()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = site.get(self.path)
            if found is None:
                found = Resource(b"<html><body>Not found</body></html>", "text/html")
                self.send_response(404)
            else:
                self.send_response(200)
            self.send_header("Content-Type", found.content_type)
            self.send_header("Content-Length", str(len(found.body)))
            for name, value in found.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(found.body)

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
