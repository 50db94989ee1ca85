"""The compose stack end to end: build the image, start redis + two extractors + the indexer,
publish pages from the host, find them with the search API.

Needs a usable Docker engine and a compose binary (`docker compose` v2, else `docker-compose`
v1). On machines without a container registry, `../shared/tools/docker-sandbox` provides the
engine and local base images; its exported variables are reused when already set. Skipped,
with the reason, when none of that works (under CI that skip fails: tests/skips.py). The stack
gets a unique project name and free host ports, and is always taken down with its volumes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis
from redis.exceptions import AuthenticationError, NoPermissionError

from shared.streams import DATA_FIELD, EXTRACTED, EXTRACTOR_GROUP, RAW_PAGES
from tests.factories import article_page
from tests.helpers import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parents[2]
SANDBOX = REPO.parent / "shared" / "tools" / "docker-sandbox"
IMAGE_TAG = "pagewire:e2e"
STARTUP_BUDGET_S = 360.0  # image build + start until every container is healthy
SEARCH_BUDGET_S = 120.0
EXTRACTOR_REPLICAS = 2
MAX_RESTARTS = 3  # a container restarted this often is crash-looping: stop waiting
STATE = (
    "{{.Name}} {{.RestartCount}} "
    "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}"
)


def _run(
    cmd: Sequence[str], env: Mapping[str, str], timeout: float, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a command in the repo; on failure raise with its output (check) or return it."""
    proc = subprocess.run(
        cmd, cwd=REPO, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout[-4000:]}{proc.stderr[-4000:]}"
        )
    return proc


def _docker_works(env: Mapping[str, str]) -> subprocess.CompletedProcess[str] | None:
    """`docker info`'s failure, or None when the engine answers."""
    if shutil.which("docker") is None:
        return subprocess.CompletedProcess(["docker"], 127, "", "docker is not installed")
    info = _run(["docker", "info"], env, timeout=30, check=False)
    return None if info.returncode == 0 else info


def _sandbox_env() -> dict[str, str]:
    """The environment to run docker in: as given when the image variables are set and the
    engine answers, else with what docker-sandbox exports; skips when docker is not usable."""
    env = dict(os.environ)
    ready = "PYTHON_IMAGE" in env and "REDIS_IMAGE" in env and _docker_works(env) is None
    if not ready and SANDBOX.is_file():
        try:
            proc = subprocess.run(
                [str(SANDBOX)], capture_output=True, text=True, timeout=420, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"{SANDBOX} could not be run: {exc}")
        if proc.returncode != 0:
            pytest.skip(f"{SANDBOX} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        for line in proc.stdout.splitlines():
            name, sep, value = line.removeprefix("export ").partition("=")
            if line.startswith("export ") and sep:
                env[name] = value
    failure = _docker_works(env)
    if failure is not None:
        reason = failure.stderr.strip()[-300:]
        pytest.skip(f"docker is not usable (`docker info` failed): {reason}")
    return env


def _compose_command(env: Mapping[str, str]) -> list[str]:
    """`docker compose` (v2) when it exists, else `docker-compose` (v1); skips when neither."""
    for cmd in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(cmd[0]) is None:
            continue
        if _run([*cmd, "version"], env, timeout=30, check=False).returncode == 0:
            return cmd
    pytest.skip("no compose binary: neither `docker compose` nor `docker-compose` works")


@dataclass
class Stack:
    """One compose project: its command line, environment and host ports."""

    compose: list[str]
    env: dict[str, str]
    project: str
    api_port: int
    redis_port: int
    redis_password: str = ""  # the `pagewire` ACL user's (services, status, dlq)
    producer_password: str = ""  # the `producer` ACL user's (XADD to pages.raw only)
    api_token: str = ""

    def redis(self, user: str = "pagewire") -> Redis:
        password = self.redis_password if user == "pagewire" else self.producer_password
        return Redis(port=self.redis_port, username=user, password=password,
                     decode_responses=True)  # fmt: skip

    def run(self, *args: str, timeout: float = 120) -> str:
        cmd = [*self.compose, "-f", str(REPO / "compose.yaml"), "-p", self.project, *args]
        return _run(cmd, self.env, timeout=timeout).stdout

    def containers(self, service: str | None = None) -> list[str]:
        """Ids of the project's running containers (of one service when given)."""
        cmd = ["docker", "ps", "-q", "--filter", f"label=com.docker.compose.project={self.project}"]
        if service is not None:
            cmd += ["--filter", f"label=com.docker.compose.service={service}"]
        return _run(cmd, self.env, timeout=30).stdout.split()

    def inspect(self, template: str, ids: Sequence[str]) -> list[str]:
        out = _run(["docker", "inspect", "--format", template, *ids], self.env, timeout=30)
        return out.stdout.splitlines()

    def states(self) -> dict[str, tuple[int, str]]:
        """Each container's restart count and health (or state, without a healthcheck)."""
        ids = _run(
            ["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={self.project}"],
            self.env,
            timeout=30,
        ).stdout.split()
        if not ids:
            return {}
        rows = (line.lstrip("/").split(" ") for line in self.inspect(STATE, ids) if line)
        return {name: (int(restarts), state) for name, restarts, state in rows}

    def wait_healthy(self, deadline: float) -> None:
        expected = EXTRACTOR_REPLICAS + 2  # redis, indexer
        states: dict[str, tuple[int, str]] = {}
        while time.monotonic() < deadline:
            states = self.states()
            if len(states) == expected and all(s == "healthy" for _, s in states.values()):
                return
            if any(restarts >= MAX_RESTARTS for restarts, _ in states.values()):
                raise AssertionError(f"a container is crash-looping: {states}")
            time.sleep(2)
        raise AssertionError(f"stack not healthy in time: {states}")

    def logs(self) -> str:
        try:
            logs = self.run("logs", "--no-color", "--tail", "200", timeout=60)
        except (AssertionError, subprocess.TimeoutExpired) as exc:
            logs = f"(no logs: {exc})"
        return f"\n===== logs of {self.project} =====\n{logs}"

    def down(self) -> None:
        self.run("down", "-v", "--remove-orphans", "--timeout", "10", timeout=180)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """The running stack, healthy; its logs are printed when it does not come up."""
    env = _sandbox_env()
    compose = _compose_command(env)
    api_port, redis_port = free_port(), free_port()
    redis_password, producer_password = secrets.token_hex(16), secrets.token_hex(16)
    api_token = secrets.token_urlsafe(24)
    env.update(
        PAGEWIRE_IMAGE=IMAGE_TAG,
        PAGEWIRE_PORT=str(api_port),
        PAGEWIRE_REDIS_PORT=str(redis_port),
        PAGEWIRE_BIND_ADDRESS="127.0.0.1",
        PAGEWIRE_REDIS_PASSWORD=redis_password,
        PAGEWIRE_PRODUCER_PASSWORD=producer_password,
        PAGEWIRE_API_TOKEN=api_token,
        PAGEWIRE_METRICS_PORTS="",  # Docker picks a free host port for each replica
    )
    stack = Stack(compose, env, f"pagewire-e2e-{secrets.token_hex(4)}", api_port, redis_port,
                  redis_password, producer_password, api_token)  # fmt: skip
    started = time.monotonic()
    deadline = started + STARTUP_BUDGET_S
    try:
        try:
            stack.run("build", timeout=STARTUP_BUDGET_S)
            built = time.monotonic()
            stack.run("up", "-d", timeout=max(deadline - time.monotonic(), 30))
            stack.wait_healthy(deadline)
        except BaseException:
            print(stack.logs())
            raise
        print(
            f"\n{' '.join(compose)}: build {built - started:.1f}s, "
            f"up to healthy {time.monotonic() - built:.1f}s"
        )
        yield stack
    finally:
        stack.down()


@pytest.fixture(autouse=True)
def _logs_on_failure(request: pytest.FixtureRequest, stack: Stack) -> Iterator[None]:
    """After a failed test, the services' logs (pytest shows them with the failure)."""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        print(stack.logs())


def _survey_page(title: str, word: str) -> str:
    """A page the extractor takes as an article, with `word` in its title and text."""
    paragraph = (
        f"The {word} survey followed river otters along the northern estuary for three "
        "seasons, counting dens, recording the tides and noting where the fish went when the "
        "water warmed. Volunteers walked the same banks every morning and wrote down what "
        "they saw, so that the numbers could be compared from one year to the next."
    )
    return article_page(
        title, [f"{paragraph} Part {n} of the report goes on." for n in range(1, 7)]
    )


def _publish_raw(stack: Stack, url: str, word: str) -> None:
    content = _survey_page(f"Tides and dens ({word})", word)
    page = {"url": url, "content": content, "content_type": "text/html"}
    with stack.redis("producer") as redis:
        redis.xadd(RAW_PAGES, {DATA_FIELD: json.dumps(page)})


def _search(stack: Stack, word: str) -> set[str]:
    """The URLs of the hits for `word` (an empty set while the API answers with an error)."""
    query = urllib.parse.urlencode({"q": word})
    url = f"http://127.0.0.1:{stack.api_port}/search?{query}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {stack.api_token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            page = json.load(response)
    except OSError:  # refused, reset, or an HTTP error status (urllib's errors are OSErrors)
        return set()
    return {str(hit["url"]) for hit in page["hits"]}


def _wait_for_hit(stack: Stack, word: str, url: str) -> None:
    deadline = time.monotonic() + SEARCH_BUDGET_S
    found: set[str] = set()
    while time.monotonic() < deadline:
        found = _search(stack, word)
        if url in found:
            return
        time.sleep(1)
    raise AssertionError(f"{url} not found by searching {word!r} (hits: {sorted(found)})")


def _pagewire() -> str:
    beside = Path(sys.executable).parent / "pagewire"
    return str(beside) if beside.exists() else shutil.which("pagewire") or "pagewire"


def test_a_page_published_with_the_cli_becomes_searchable(stack: Stack, tmp_path: Path) -> None:
    word = f"otterly{secrets.token_hex(4)}"
    url = f"https://e2e.pagewire.test/cli/{word}"
    page = tmp_path / "page.html"
    page.write_text(_survey_page(f"River otters counted ({word})", word), encoding="utf-8")
    redis_url = f"redis://127.0.0.1:{stack.redis_port}/0"
    cmd = [_pagewire(), "publish", "--redis-url", redis_url, "--url", url, str(page)]
    producer = {"PAGEWIRE_REDIS_USERNAME": "producer",
                "PAGEWIRE_REDIS_PASSWORD": stack.producer_password}  # fmt: skip
    _run(cmd, {**os.environ, **producer}, timeout=60)
    _wait_for_hit(stack, word, url)


def test_a_page_added_raw_to_the_stream_becomes_searchable(stack: Stack) -> None:
    word = f"estuary{secrets.token_hex(4)}"
    url = f"https://e2e.pagewire.test/raw/{word}"
    _publish_raw(stack, url, word)
    _wait_for_hit(stack, word, url)


def test_the_search_page_and_its_stylesheet_are_served(stack: Stack) -> None:
    """The web files are package data: this fails when the image is built without them."""
    base = f"http://127.0.0.1:{stack.api_port}"
    bearer = {"Authorization": f"Bearer {stack.api_token}"}
    for path, kind in (("/?q=otters", "text/html"), ("/static/style.css", "text/css")):
        request = urllib.request.Request(base + path, headers=bearer)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, path
            assert response.headers.get_content_type() == kind, path
            assert response.read(), path


def test_the_stack_is_locked_down(stack: Stack) -> None:
    """No anonymous Redis, a producer that can only publish, an API that wants its token
    (but /health, for the healthchecks), services that run as the image's non-root user."""
    with Redis(port=stack.redis_port) as anonymous, pytest.raises(AuthenticationError):
        anonymous.ping()
    with stack.redis("producer") as producer, pytest.raises(NoPermissionError):
        producer.xrange(RAW_PAGES, count=1)
    base = f"http://127.0.0.1:{stack.api_port}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/search?q=otters", timeout=10)
    assert refused.value.code == 401
    assert "token" in json.loads(refused.value.read())["error"]
    with urllib.request.urlopen(f"{base}/health", timeout=10) as health:
        assert health.status == 200
    users = stack.inspect("{{.Config.User}}", stack.containers("extractor"))
    assert users and all(user == "pagewire" for user in users), users


def test_each_extractor_replica_consumes_under_its_own_name(stack: Stack) -> None:
    """Two replicas run, and pages spread over both: two consumers in the group, each named
    after its container's hostname (the default consumer name is hostname-pid)."""
    containers = stack.containers("extractor")
    assert len(containers) == EXTRACTOR_REPLICAS
    hostnames = set(stack.inspect("{{.Config.Hostname}}", containers))
    # Redis serves blocked readers first come, first served: pages published one at a time
    # go to each replica in turn (and a consumer shows up in the group once it is served).
    for n in range(4 * EXTRACTOR_REPLICAS):
        _publish_raw(stack, f"https://e2e.pagewire.test/spread/{n}", "dens")
        time.sleep(0.5)
    deadline = time.monotonic() + 60
    names: set[str] = set()
    with stack.redis() as redis:
        while time.monotonic() < deadline and len(names) < EXTRACTOR_REPLICAS:
            names = {c["name"] for c in redis.xinfo_consumers(RAW_PAGES, EXTRACTOR_GROUP)}
            time.sleep(1)
    assert {name.rpartition("-")[0] for name in names} == hostnames, (names, hostnames)


def _metrics(url: str, token: str | None = None) -> dict[tuple[str, str], float]:
    """(name, labels) -> value of each sample an endpoint serves."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return {
        (sample.name, json.dumps(sample.labels, sort_keys=True)): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_each_service_s_metrics_are_exposed_and_add_up(stack: Stack) -> None:
    """Each extractor replica serves its metrics on a host port of its own; together they
    count every page extracted; the indexer's /metrics (behind the token) counts its
    documents as /health does."""
    _publish_raw(stack, "https://e2e.pagewire.test/metrics/1", "gauges")
    _wait_for_hit(stack, "gauges", "https://e2e.pagewire.test/metrics/1")
    extracted = 0.0
    for index in range(1, EXTRACTOR_REPLICAS + 1):
        address = stack.run("port", "--index", str(index), "extractor", "9464").strip()
        scraped = _metrics(f"http://{address}/metrics")
        extracted += scraped[("pagewire_extractor_pages_total", '{"outcome": "extracted"}')]
    with stack.redis() as redis:
        published = int(redis.xinfo_stream(EXTRACTED)["entries-added"])
    assert extracted == published >= 1
    base = f"http://127.0.0.1:{stack.api_port}"
    indexer = _metrics(f"{base}/metrics", stack.api_token)
    with urllib.request.urlopen(f"{base}/health", timeout=10) as health:
        documents = json.load(health)["documents"]
    assert indexer[("pagewire_indexer_documents", "{}")] == documents >= 1


def test_streams_and_index_outlive_their_containers(stack: Stack) -> None:
    """Redis restarted (AOF on its volume) and the indexer recreated (index on its volume):
    what was indexed is still found, the groups still exist, new pages still flow. Last in
    this module: it restarts services."""
    before = f"https://e2e.pagewire.test/before/{secrets.token_hex(4)}"
    word_before = f"durable{secrets.token_hex(4)}"
    _publish_raw(stack, before, word_before)
    _wait_for_hit(stack, word_before, before)

    stack.run("restart", "redis")
    stack.run("up", "-d", "--no-deps", "--force-recreate", "indexer")
    stack.wait_healthy(time.monotonic() + 120)

    with stack.redis() as redis:
        groups = {group["name"] for group in redis.xinfo_groups(RAW_PAGES)}
    assert EXTRACTOR_GROUP in groups
    _wait_for_hit(stack, word_before, before)
    after = f"https://e2e.pagewire.test/after/{secrets.token_hex(4)}"
    word_after = f"revived{secrets.token_hex(4)}"
    _publish_raw(stack, after, word_after)
    _wait_for_hit(stack, word_after, after)
