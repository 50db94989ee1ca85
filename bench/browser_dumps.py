"""Real-browser dumps of the development pages, made the way WCXB's `dumps-chromium` were made.

    python -m bench.browser_dumps                      # scrapinghub and trafilatura-eval
    python -m bench.browser_dumps --corpus wcxb        # any of the three corpora
    python -m bench.browser_dumps --check 60           # agreement with WCXB's own dumps

A person who copies a page (select all, copy) gets what the browser shows: Debian's chromium,
driven by Playwright, JavaScript off, no network. Every request is aborted except the page's
own, which is answered with the page's local HTML (decoded by `extractor.decode`, served as
UTF-8) under its URL, and the dump is `document.body.innerText`. WCXB's development dumps were
made that way (`../shared/bench/wcxb/dev/dumps-chromium/`); `--check` measures how many of them
this command reproduces.

The dumps go to `.data/dumps-chromium/<corpus>/<key>.txt` (not in the repository, not in the
kit), with `fingerprint.json`: the digest of the pages, this module and the browser's
version. A directory whose fingerprint matches is reused; one that differs is rebuilt. A page
that does not load within the timeout gets no dump (as in WCXB's set) and is listed in the
fingerprint file. The same HTML gives the same dump (fixed viewport, locale and time zone).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from bench import corpus, wcxb
from extractor.decode import decode_bytes

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

__all__ = ["CHROMIUM", "Source", "browser", "dump_dir", "load_dumps", "main", "make_dumps"]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".data" / "dumps-chromium"
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
    "--disable-extensions",
]
VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default: media queries read it
TIMEOUT_MS = 30_000  # WCXB's: a page not loaded by then has no dump
CORPORA = ("scrapinghub", "trafilatura", "wcxb")
FINGERPRINT = "fingerprint.json"


@dataclass(frozen=True, slots=True)
class Source:
    """One page to dump: its key (the dump's file name), URL and raw bytes."""

    key: str
    url: str
    data: bytes


def corpus_sources(name: str, kit: Path = corpus.KIT) -> Iterator[Source]:
    """The pages of one development corpus, read from the kit."""
    if name == "scrapinghub":
        for page, _ in corpus.scrapinghub_pages(kit / "scrapinghub"):
            yield Source(page.key, page.url, page.data)
    elif name == "trafilatura":
        for page, _ in corpus.trafilatura_pages(kit / "trafilatura-eval"):
            yield Source(page.key, page.url, page.data)
    elif name == "wcxb":
        for wpage in wcxb.wcxb_pages(kit / "wcxb" / "dev"):
            yield Source(wpage.key, wpage.url, wpage.data)
    else:
        raise ValueError(f"unknown corpus {name!r}: one of {', '.join(CORPORA)}")


def _browser_version() -> str:
    try:
        return metadata.version("playwright") + " " + Path(CHROMIUM).resolve().name
    except metadata.PackageNotFoundError:
        return "absent"


def fingerprint(sources: list[Source], browser_version: str) -> str:
    """sha256 of the pages (key, URL, bytes), this module's source and the browser."""
    found = hashlib.sha256(Path(__file__).read_bytes())
    found.update(browser_version.encode())
    for source in sorted(sources, key=lambda s: s.key):
        found.update(f"\0{source.key}\0{source.url}\0{len(source.data)}\0".encode())
        found.update(source.data)
    return found.hexdigest()


@contextmanager
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, launched by Playwright (never Playwright's own download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _address(source: Source) -> str:
    """The page's URL; a made-up one under `.invalid` when the corpus gives none that a
    browser can load ("hard::page.html" in trafilatura-eval)."""
    scheme = urlsplit(source.url).scheme
    return source.url if scheme in ("http", "https") else f"https://{quote(source.key)}.invalid/"


def dump_page(chromium: Browser, source: Source, timeout_ms: int = TIMEOUT_MS) -> str | None:
    """`document.body.innerText` of the page, or None when it did not load in time."""
    body = decode_bytes(source.data).encode("utf-8", "replace")
    served: list[str] = []

    def answer(route: Route) -> None:
        # the first navigation is the page itself (its URL as the browser writes it: a slash
        # added to a bare host); a later one (a meta refresh) goes nowhere, like the rest
        if route.request.is_navigation_request() and not served:
            served.append(route.request.url)
            route.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
        else:
            route.abort()

    context = chromium.new_context(
        java_script_enabled=False,
        viewport=VIEWPORT,  # type: ignore[arg-type]
        locale="en-US",
        timezone_id="UTC",
        service_workers="block",
    )
    try:
        context.route("**/*", answer)
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        page.goto(_address(source), wait_until="load", timeout=timeout_ms)
        text = page.evaluate("document.body ? document.body.innerText : ''")
        return str(text)
    except Exception as error:  # a page that does not load is left out, as in WCXB's set
        logger.warning("no dump of %s (%s): %s", source.key, source.url, error)
        return None
    finally:
        context.close()


def dump_dir(name: str, out: Path = OUT) -> Path:
    return out / name


def make_dumps(sources: Iterable[Source], directory: Path) -> dict[str, object]:
    """Dump every page into `directory` unless its fingerprint says the dumps are current.
    Returns the fingerprint record (digest, pages, missing, seconds)."""
    pages = list(sources)
    digest = fingerprint(pages, _browser_version())
    record_path = directory / FINGERPRINT
    if record_path.exists():
        record: dict[str, object] = json.loads(record_path.read_text(encoding="utf-8"))
        if record.get("digest") == digest:
            return record
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    missing, started = [], time.perf_counter()
    with browser() as chromium:
        for i, source in enumerate(pages, 1):
            # a page that timed out on a busy machine mostly loads the second time
            text = dump_page(chromium, source)
            text = dump_page(chromium, source) if text is None else text
            if text is None:
                missing.append(source.key)
            else:
                # as WCXB's files: the text and a newline
                (directory / f"{source.key}.txt").write_text(text + "\n", encoding="utf-8")
            if i % 50 == 0:
                logger.info("%s: %d of %d pages", directory.name, i, len(pages))
    record = {
        "digest": digest,
        "browser": _browser_version(),
        "pages": len(pages),
        "missing": missing,
        "seconds": round(time.perf_counter() - started, 1),
    }
    record_path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


def load_dumps(name: str, out: Path = OUT) -> dict[str, str]:
    """The browser dumps of a corpus by page key: WCXB's own for WCXB, ours for the others
    (empty when `python -m bench.browser_dumps` has not made them)."""
    directory = wcxb.WCXB_DEV / "dumps-chromium" if name == "wcxb" else dump_dir(name, out)
    complete = name == "wcxb" or (directory / FINGERPRINT).exists()  # not one being made
    if not directory.is_dir() or not complete:
        return {}
    return {path.stem: path.read_text(encoding="utf-8") for path in directory.glob("*.txt")}


# --- agreement with WCXB's own dumps ---------------------------------------------------------


def _sample(sources: list[Source], count: int) -> list[Source]:
    """`count` pages spread evenly over the corpus (deterministic)."""
    step = max(1, len(sources) // max(count, 1))
    return sources[::step][:count]


def check(count: int, out: Path = OUT) -> dict[str, float]:
    """Dump a sample of WCXB dev pages and compare with WCXB's dumps: the share identical,
    identical once whitespace is collapsed, and the mean word F1 between the two."""
    theirs_dir = wcxb.WCXB_DEV / "dumps-chromium"
    sources = [s for s in corpus_sources("wcxb") if (theirs_dir / f"{s.key}.txt").exists()]
    sample = _sample(sources, count)
    directory = out / "check-wcxb"
    make_dumps(sample, directory)
    exact, spaced, f1s = 0, 0, []
    for source in sample:
        ours_path = directory / f"{source.key}.txt"
        ours = ours_path.read_text(encoding="utf-8") if ours_path.exists() else ""
        theirs = (theirs_dir / f"{source.key}.txt").read_text(encoding="utf-8")
        exact += ours == theirs
        spaced += ours.split() == theirs.split()
        f1s.append(wcxb.word_f1(ours, theirs))
    return {
        "pages": len(sample),
        "identical": exact / len(sample),
        "identical_words": spaced / len(sample),
        "word_f1_mean": statistics.mean(f1s),
        "word_f1_min": min(f1s),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA, action="append", help="default: the two")
    parser.add_argument("--kit", type=Path, default=corpus.KIT, help="the corpora's folder")
    parser.add_argument("--out", type=Path, default=OUT, help="where the dumps go")
    parser.add_argument("--check", type=int, metavar="N", help="compare N WCXB dumps, print")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.check:
        print(json.dumps(check(args.check, args.out), indent=1))
        return
    for name in args.corpus or ["scrapinghub", "trafilatura"]:
        record = make_dumps(corpus_sources(name, args.kit), dump_dir(name, args.out))
        missing = record["missing"]
        count = len(missing) if isinstance(missing, list) else 0
        print(f"{name}: {record['pages']} pages, {count} without a dump", file=sys.stderr)


if __name__ == "__main__":
    main()
