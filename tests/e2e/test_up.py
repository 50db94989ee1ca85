"""`pagewire up` as a user runs it: embedded Redis, services, publish, search, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import article_page
from tests.helpers import free_port

pytestmark = pytest.mark.e2e

PAGE = article_page(
    "Glassblowers revive the zaffre blue of old Venice",
    [
        "A workshop on Murano has recreated the deep zaffre blue that Venetian glassmakers used "
        "in the fifteenth century, after two years of experiments with cobalt ores from old mines.",
        "The recipe had been lost for centuries. The glassblowers compared fragments from museum "
        "collections with their own test pieces until the colour and the tiny bubbles matched.",
        "The first vases in the recovered colour will be shown at the island's glass museum.",
    ],
)


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pagewire", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def _resp_xadd(port: int, stream: str, data: str) -> bytes:
    """XADD over a bare socket in the Redis protocol: a producer that is not our code."""
    parts = [b"XADD", stream.encode(), b"*", b"__data__", data.encode()]
    frame = b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(frame)
        return sock.recv(128)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[int, int]]:
    api_port, redis_port = free_port(), free_port()
    log = tmp_path / "up.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pagewire", "up", "--data-dir", str(tmp_path / "data"),
             "--port", str(api_port), "--embedded-port", str(redis_port),
             "--archive", str(tmp_path / "archive")],
            stdout=out, stderr=subprocess.STDOUT, text=True,
            env=dict(os.environ, PAGEWIRE_LOG_LEVEL="WARNING"),
        )  # fmt: skip
    deadline = time.monotonic() + 90
    while "Press Ctrl-C" not in log.read_text() and proc.poll() is None:
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    assert f"redis://127.0.0.1:{redis_port}" in log.read_text(), log.read_text()
    try:
        yield api_port, redis_port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        assert code == 0, f"pagewire up did not stop cleanly on Ctrl-C:\n{log.read_text()}"


def _search(api_port: int, query: str) -> list[dict[str, object]]:
    # Every page type: this checks delivery; what type a page is, is the model's business.
    done = _cli("search", query, "--json", "--type", "all", "--api", f"http://127.0.0.1:{api_port}")
    assert done.returncode == 0, done.stderr
    hits: list[dict[str, object]] = json.loads(done.stdout)["hits"]
    return hits


def _eventually(api_port: int, query: str, timeout: float = 60) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = _search(api_port, query)
        if hits:
            return hits
        time.sleep(0.5)
    raise AssertionError(f"nothing found for {query!r} within {timeout} s")


def test_up_publish_search(stack: tuple[int, int], tmp_path: Path) -> None:
    api_port, redis_port = stack
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    assert _eventually(api_port, "tide")  # the sample pages published by `up`

    page = tmp_path / "zaffre.html"
    page.write_text(PAGE, encoding="utf-8")
    done = _cli("publish", str(page), "--url", "https://glass.example/zaffre",
                "--redis-url", redis_url)  # fmt: skip
    assert done.returncode == 0 and "published 1 pages" in done.stdout, done.stderr
    [hit] = _eventually(api_port, "zaffre")
    assert hit["url"] == "https://glass.example/zaffre"

    foreign = json.dumps({"url": "https://glass.example/cobalt",
                          "content": PAGE.replace("zaffre", "smalt")})  # fmt: skip
    assert _resp_xadd(redis_port, "pages.raw", foreign).startswith(b"$")
    [hit] = _eventually(api_port, "smalt")
    assert hit["url"] == "https://glass.example/cobalt"

    status = _cli("status", "--json", "--redis-url", redis_url,
                  "--api", f"http://127.0.0.1:{api_port}")  # fmt: skip
    report = json.loads(status.stdout)
    raw = next(s for s in report["streams"] if s["name"] == "pages.raw")
    assert raw["entries_added"] >= 5
    assert report["documents"] >= 4
    books = report["accounting"]
    assert books["published"] == raw["entries_added"]
    assert books["published"] == (
        books["extracted"] + books["rejected"] + books["dead_lettered"] + books["in_flight"]
    )
    # the archiver beside them (`--archive`) keeps every raw page, ours and the foreign one
    published = {"https://glass.example/zaffre", "https://glass.example/cobalt"}
    deadline = time.monotonic() + 30
    while not published <= _archived(tmp_path / "archive"):
        assert time.monotonic() < deadline, (
            f"not archived: {published - _archived(tmp_path / 'archive')}"
        )
        time.sleep(0.5)


def _archived(folder: Path) -> set[str]:
    from archiver.warc import Record, read

    urls = set()
    for path in folder.glob("*.warc.gz"):
        with path.open("rb") as stream:
            urls |= {
                r.target_uri or "" for r in read(stream, lambda _: False) if isinstance(r, Record)
            }
    return urls
