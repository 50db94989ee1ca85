"""The `pagewire` command line: thin commands over the services and the core.

Each command imports what it needs when it runs (Redis, the engines, the services, the
dead-letter tools), so a command starts with only what it uses: `pagewire extract` never
loads redis-py, FastStream, tantivy or FastAPI.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from runtime import logs
from runtime.redis_conn import DEFAULT_REDIS_URL, RedisTarget, describe_error
from shared.errors import InvalidMessage
from shared.streams import Streams

if TYPE_CHECKING:
    from redis import Redis

    from pagewire.publish import Source
    from pagewire.warc_pages import Tally

logger = logging.getLogger(__name__)

DEFAULT_API = "http://127.0.0.1:8080"

redis_option = click.option(
    "--redis-url", envvar="PAGEWIRE_REDIS_URL", default=DEFAULT_REDIS_URL, show_default=True,
    help="Redis server of the streams (env PAGEWIRE_REDIS_URL): redis://[user:password@]host:port/db,"
         " rediss:// for TLS; also PAGEWIRE_REDIS_{USERNAME,PASSWORD,CA_FILE,CERT_FILE,KEY_FILE}.",
)  # fmt: skip
prefix_option = click.option(
    "--stream-prefix", envvar="PAGEWIRE_STREAM_PREFIX", default="", help="Stream name prefix."
)
api_option = click.option(
    "--api", envvar="PAGEWIRE_API", default=DEFAULT_API, show_default=True,
    help="Base URL of the search API (env PAGEWIRE_API).",
)  # fmt: skip


def redis_target(redis_url: str) -> RedisTarget:
    """`redis_url` with the credentials and TLS files of `PAGEWIRE_REDIS_*`."""
    try:
        return RedisTarget.from_env(redis_url)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def connect(redis_url: str) -> Iterator[Redis]:
    """A Redis client whose errors (unreachable, wrong password, missing ACL permission, TLS)
    become a one-line message without secrets, not a traceback."""
    from redis.exceptions import RedisError

    target = redis_target(redis_url)
    try:
        with target.client() as redis:
            yield redis
    except (RedisError, OSError) as exc:
        raise click.ClickException(describe_error(exc, target)) from exc


@click.group()
@click.option("--log-level", envvar="PAGEWIRE_LOG_LEVEL", default="INFO", show_default=True)
@click.option("--log-format", envvar="PAGEWIRE_LOG_FORMAT", default="text", show_default=True,
              type=click.Choice(logs.FORMATS), help="json: one JSON object a line.")  # fmt: skip
def main(log_level: str, log_format: logs.LogFormat) -> None:
    """pagewire: raw web pages in, clean searchable articles out."""
    logs.configure(log_level, log_format)
    # `pagewire up` starts the services as child processes: they log alike.
    os.environ.update(PAGEWIRE_LOG_LEVEL=log_level, PAGEWIRE_LOG_FORMAT=log_format)


@main.command("up")
@click.option("--redis-url", envvar="PAGEWIRE_REDIS_URL", default=None,
              help="Use this Redis server instead of starting the embedded one.")  # fmt: skip
@click.option("--data-dir", type=click.Path(path_type=Path), default=Path(".data"),
              show_default=True, help="Index and embedded-Redis data.")  # fmt: skip
@click.option("--port", type=int, default=8080, show_default=True, help="Search API port.")
@click.option("--extractors", type=int, default=1, show_default=True)
@click.option(
    "--archive",
    type=click.Path(path_type=Path),
    default=None,
    help="Also run the archiver, writing every raw page to WARC files in this folder.",
)
@click.option("--no-samples", is_flag=True, help="Do not publish the sample pages.")
@click.option("--embedded-port", type=int, default=None, hidden=True)
def up_command(
    redis_url: str | None, data_dir: Path, port: int, extractors: int, archive: Path | None,
    no_samples: bool, embedded_port: int | None,
) -> None:  # fmt: skip
    """Run everything: embedded Redis (unless --redis-url), extractor(s), indexer, search API."""
    from pagewire import up

    server = None
    if redis_url is None:
        embedded = f"redis://{up.DEFAULT_HOST}:{embedded_port or up.DEFAULT_PORT}/0"
        try:
            server, redis_url = up.start_embedded_redis(data_dir / "redis", embedded)
        except Exception as exc:
            raise click.ClickException(
                f"could not start the embedded Redis on {embedded} ({exc}); "
                "is another pagewire running? Pass --redis-url to use a running server."
            ) from exc
    target = redis_target(redis_url)
    stack = up.Stack(redis_url, data_dir, port, extractors, archive,
                     redis_env=up.redis_environ(target))  # fmt: skip

    def ready() -> None:
        api = f"http://127.0.0.1:{port}"
        click.echo(f"Redis (publish pages here): {target.display}")
        click.echo(f"Search API: {api}/search?q=...   search page: {api}/")
        if not no_samples:
            n = _publish_samples(redis_url)
            click.echo(f"Published {n} sample pages; try: pagewire search tide")
        click.echo("Press Ctrl-C to stop.")

    try:
        up.serve(stack, ready)
    finally:
        if server is not None:
            server.stop()


def _publish_samples(redis_url: str) -> int:
    from pagewire import publish

    folder = Path(__file__).parent / "samples"
    pages = []
    for item in sorted(folder.iterdir()):
        text = item.name.endswith(".txt")
        url = f"https://samples.pagewire.example/{item.name.rsplit('.', 1)[0]}"
        pages.append(publish.make_page(item.read_bytes(), url, text=text, source="samples"))
    with connect(redis_url) as redis:
        return publish.publish_pages(redis, Streams().raw, pages)


@main.command()
def extractor() -> None:
    """Run one extractor (settings from PAGEWIRE_EXTRACTOR_*)."""
    from extractor.app import build_app
    from extractor.config import ExtractorSettings

    settings = ExtractorSettings()
    with _service_errors(settings.redis_target, "PAGEWIRE_EXTRACTOR_REDIS_"):
        _run_service(build_app(settings).run())


@main.command()
def indexer() -> None:
    """Run the indexer and its search API (settings from PAGEWIRE_INDEXER_*)."""
    from indexer.app import build_app
    from indexer.config import IndexerSettings

    settings = IndexerSettings()
    problem = settings.exposure_problem()
    if problem is not None:
        raise click.ClickException(problem)
    with _service_errors(settings.redis_target, "PAGEWIRE_INDEXER_REDIS_"):
        _run_service(build_app(settings).run())


def _run_service(main: Coroutine[Any, Any, None]) -> None:
    """Run a service on uvloop (a faster event loop and, with httptools, HTTP parser than the
    standard library's); on the standard loop where uvloop is missing.

    The objects made while starting (modules, schemas, the stemmers...) live as long as the
    process: `gc.freeze()` takes them out of the garbage collector's full passes, which
    otherwise stop a search or an extraction now and then.
    """
    import asyncio
    import gc

    gc.freeze()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux and macOS
        asyncio.run(main)
        return
    uvloop.run(main)


@contextmanager
def _service_errors(make_target: Callable[[], RedisTarget], env_prefix: str) -> Iterator[None]:
    """A service that cannot use Redis (bad settings, wrong password, no permission, TLS)
    exits with one line saying why, not a traceback."""
    from redis.exceptions import RedisError

    try:
        target = make_target()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield
    except (RedisError, OSError) as exc:
        logger.debug("the service stopped on a Redis error", exc_info=True)
        raise click.ClickException(describe_error(exc, target, env_prefix)) from exc


@main.command()
def archiver() -> None:
    """Run the archiver: every raw page into rotating WARC files (PAGEWIRE_ARCHIVER_*)."""
    from archiver.app import build_app
    from archiver.config import ArchiverSettings

    settings = ArchiverSettings()
    with _service_errors(settings.redis_target, "PAGEWIRE_ARCHIVER_REDIS_"):
        _run_service(build_app(settings).run())


@main.command("publish")
@click.argument("paths", nargs=-1, required=True)
@click.option("--text", is_flag=True, help="The pages are plain-text dumps, not HTML.")
@click.option("--url", default=None, help="The URL of the page (one input only).")
@click.option("--source", default="cli", show_default=True, help="Who published the pages.")
@redis_option
@prefix_option
def publish_command(
    paths: tuple[str, ...], text: bool, url: str | None, source: str, redis_url: str,
    stream_prefix: str,
) -> None:  # fmt: skip
    """Publish files, folders (recursive), WARC files (.warc, .warc.gz: each HTML response)
    or - (stdin, a page or a WARC) to the raw-pages stream."""
    from pagewire import publish
    from pagewire.warc_pages import Tally

    inputs = _sources(paths, text, url)
    stream = Streams.with_prefix(stream_prefix).raw
    tally = Tally()
    pages = publish.pages(inputs, text, source, tally)
    with connect(redis_url) as redis, _invalid_input():
        bulk = len(inputs) > 20 and not any(publish.is_warc(s.path) for s in inputs)
        if bulk and sys.stderr.isatty():
            with click.progressbar(pages, length=len(inputs), label="publishing") as bar:
                count = publish.publish_pages(redis, stream, bar)
        else:
            count = publish.publish_pages(redis, stream, pages)
    _report_warcs(tally)
    click.echo(f"published {count} pages to {stream}")


def _report_warcs(tally: Tally) -> None:
    """What the WARC records came to, and each unreadable part, on stderr."""
    if tally.published or tally.skipped or tally.corrupt:
        click.echo(tally.summary(), err=True)
    for part in tally.corrupt:
        click.echo(f"unreadable: {part}", err=True)


@main.command("replay")
@click.argument("archives", nargs=-1, required=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Only pages fetched at or after this time (UTC).")  # fmt: skip
@click.option(
    "--host",
    "hosts",
    multiple=True,
    metavar="HOST",
    help="Only pages of this site (as the site filter keys it; repeat for several).",
)
@redis_option
@prefix_option
def replay_command(
    archives: tuple[str, ...], since: datetime | None, hosts: tuple[str, ...], redis_url: str,
    stream_prefix: str,
) -> None:  # fmt: skip
    """Publish the pages of an archive (WARC files or folders of them) to the raw-pages stream
    again, so that they are extracted again: with the archiver's records, the same fetches."""
    from pagewire import publish
    from pagewire.replay import matches
    from pagewire.warc_pages import Tally

    try:
        files = [p for p in publish.expand(archives) if publish.is_warc(p)]
    except OSError as exc:
        raise click.ClickException(str(exc)) from exc
    if not files:
        raise click.ClickException("no WARC files (.warc, .warc.gz) in " + " ".join(archives))
    stream = Streams.with_prefix(stream_prefix).raw
    tally = Tally()
    keep = matches(since, hosts)
    pages = publish.pages_of_warcs(publish.open_warcs(files), tally, "replay", text_pages=True,
                                   keep=keep)  # fmt: skip
    with connect(redis_url) as redis:
        count = publish.publish_pages(redis, stream, pages)
    _report_warcs(tally)
    click.echo(f"replayed {count} pages from {len(files)} WARC files to {stream}")


@main.command("extract")
@click.argument("paths", nargs=-1)
@click.option("--text", is_flag=True, help="The pages are plain-text dumps, not HTML.")
@click.option("--url", default=None, help="The URL of the page (one input only).")
@click.option("--jsonl", is_flag=True, help="Inputs are raw-page JSON messages, one a line.")
def extract_command(paths: tuple[str, ...], text: bool, url: str | None, jsonl: bool) -> None:
    """Extract articles offline: one JSON line per input, in input order."""
    from pagewire import extract

    out = sys.stdout
    if jsonl:
        extract.write_lines(extract.extract_lines(extract.open_inputs(list(paths))), out)
        return
    inputs = _sources(paths or ("-",), text, url)
    with _invalid_input():
        extract.write_lines(extract.extract_files(((s.path, s.url) for s in inputs), text), out)


def _sources(paths: tuple[str, ...], text: bool, url: str | None) -> list[Source]:
    from pagewire.publish import sources

    try:
        return sources(paths, text=text, url=url)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _invalid_input() -> Iterator[None]:
    """A page that would break the wire contract (`--url ""`) ends the command with the reason."""
    try:
        yield
    except InvalidMessage as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("search")
@click.argument("query")
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--type", "page_types", multiple=True, metavar="TYPE",
              help="Page types to search (repeat it or separate with commas: forum,product;"
                   " `all` for every type). Default: article.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@api_option
@click.option("--token", envvar="PAGEWIRE_API_TOKEN", default=None,
              help="The search API's token, if it needs one (env PAGEWIRE_API_TOKEN).")  # fmt: skip
def search_command(
    query: str, limit: int, page_types: tuple[str, ...], as_json: bool, api: str,
    token: str | None,
) -> None:  # fmt: skip
    """Search the indexed pages (articles, unless --type says otherwise)."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request
    from contextlib import suppress

    fields = [("q", query), ("limit", str(limit)), *(("type", t) for t in page_types)]
    params = urllib.parse.urlencode(fields)
    request = urllib.request.Request(f"{api.rstrip('/')}/search?{params}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            result = json.load(resp)
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        with suppress(ValueError, AttributeError):
            body = str(json.loads(body).get("error", body))
        hint = " (set PAGEWIRE_API_TOKEN or --token)" if exc.code == 401 else ""
        raise click.ClickException(f"search failed ({exc.code}): {body}{hint}") from exc
    except OSError as exc:
        raise click.ClickException(f"the search API at {api} is unreachable: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"{result.get('total', 0)} results for {query!r}")
    for hit in result.get("hits", []):
        kind = hit.get("page_type") or "article"
        click.echo(f"\n{hit.get('title')}\n  {hit.get('url')}  [{hit.get('site') or ''}, {kind}]")


@main.command("status")
@redis_option
@prefix_option
@api_option
@click.option("--json", "as_json", is_flag=True)
def status_command(redis_url: str, stream_prefix: str, api: str, as_json: bool) -> None:
    """Streams, groups, lag, pending, dead letters and documents indexed."""
    from pagewire import status

    with connect(redis_url) as redis:
        report = status.collect(redis, Streams.with_prefix(stream_prefix), api)
    click.echo(report.to_json() if as_json else status.render(report))


@main.command("healthcheck")
@click.option("--file", "path", type=click.Path(path_type=Path), required=True)
@click.option("--max-age", type=float, default=30.0, show_default=True)
def healthcheck(path: Path, max_age: float) -> None:
    """Exit 0 when the heartbeat file was touched in the last --max-age seconds."""
    try:
        age = time.time() - os.stat(path).st_mtime
    except OSError as exc:
        raise click.ClickException(f"no heartbeat: {exc}") from exc
    if age > max_age:
        raise click.ClickException(f"heartbeat is {age:.0f} s old")
    click.echo(f"ok ({age:.0f} s)")


@main.group("dlq")
def dlq_group() -> None:
    """Dead letters: list, show, replay after a fix, drop."""


@dlq_group.command("list")
@redis_option
@prefix_option
@click.option("--limit", type=int, default=50, show_default=True)
def dlq_list(redis_url: str, stream_prefix: str, limit: int) -> None:
    """One line per dead letter: id, service, stream, deliveries, error."""
    from pagewire import dlq

    with connect(redis_url) as redis:
        letters = dlq.list_letters(redis, Streams.with_prefix(stream_prefix).dead, limit)
    for letter in letters:
        click.echo(dlq.summary(letter))
    click.echo(f"{len(letters)} dead letters shown")


@dlq_group.command("show")
@click.argument("entry_id")
@redis_option
@prefix_option
def dlq_show(entry_id: str, redis_url: str, stream_prefix: str) -> None:
    """The whole dead letter, as JSON."""
    from pagewire import dlq

    with connect(redis_url) as redis:
        letter = dlq.show(redis, Streams.with_prefix(stream_prefix).dead, entry_id)
    if letter is None:
        raise click.ClickException(f"no dead letter {entry_id}")
    click.echo(letter.event.model_dump_json(indent=2))


@dlq_group.command("replay")
@click.argument("entry_ids", nargs=-1)
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
@redis_option
@prefix_option
def dlq_replay(
    entry_ids: tuple[str, ...], replay_all: bool, redis_url: str, stream_prefix: str
) -> None:
    """Put dead letters back on the stream they came from (after fixing the cause)."""
    from pagewire import dlq

    if not entry_ids and not replay_all:
        raise click.ClickException("name the dead letters to replay, or pass --all")
    with connect(redis_url) as redis:
        count = dlq.replay(redis, Streams.with_prefix(stream_prefix).dead, list(entry_ids))
    click.echo(f"replayed {count} dead letters")


@dlq_group.command("drop")
@click.argument("entry_ids", nargs=-1)
@click.option("--all", "drop_all", is_flag=True, help="Drop every dead letter.")
@redis_option
@prefix_option
def dlq_drop(
    entry_ids: tuple[str, ...], drop_all: bool, redis_url: str, stream_prefix: str
) -> None:
    """Delete dead letters for good."""
    from pagewire import dlq

    if not entry_ids and not drop_all:
        raise click.ClickException("name the dead letters to drop, or pass --all")
    with connect(redis_url) as redis:
        count = dlq.drop(redis, Streams.with_prefix(stream_prefix).dead, list(entry_ids))
    click.echo(f"dropped {count} dead letters")
