"""The compose stack end to end: build the image, start redis + two extractors + the indexer,
publish pages from the host, find them with the search API.

Needs a usable Docker engine and a compose binary (`docker compose` v2, else `docker-compose`
v1). On machines without a container registry, `../shared/tools/docker-sandbox` provides the
engine and local base images; its exported variables are reused when already set. Skipped,
with the reason, when none of that works. The stack gets a unique project name and free host
ports, and is always taken down with its volumes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
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
from redis import Redis

from shared.streams import DATA_FIELD, EXTRACTOR_GROUP, RAW_PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

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


def _sandbox_env() -> dict[str, str]:
    """The environment to run docker in: as given when the image variables are set, else
    with the variables docker-sandbox exports; skips when docker cannot be used."""
    env = dict(os.environ)
    if not ("PYTHON_IMAGE" in env and "REDIS_IMAGE" in env) and SANDBOX.is_file():
        try:
            proc = subprocess.run(
                [str(SANDBOX)], capture_output=True, text=True, timeout=600, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"{SANDBOX} could not be run: {exc}")
        if proc.returncode != 0:
            pytest.skip(f"{SANDBOX} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        for line in proc.stdout.splitlines():
            name, sep, value = line.removeprefix("export ").partition("=")
            if line.startswith("export ") and sep:
                env[name] = value
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed (and no ../shared/tools/docker-sandbox to set it up)")
    info = _run(["docker", "info"], env, timeout=30, check=False)
    if info.returncode != 0:
        pytest.skip(f"docker is not usable (`docker info` failed): {info.stderr.strip()[-300:]}")
    return env


def _compose_command(env: Mapping[str, str]) -> list[str]:
    """`docker compose` (v2) when it exists, else `docker-compose` (v1); skips when neither."""
    for cmd in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(cmd[0]) is None:
            continue
        if _run([*cmd, "version"], env, timeout=30, check=False).returncode == 0:
            return cmd
    pytest.skip("no compose binary: neither `docker compose` nor `docker-compose` works")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """One compose project: its command line, environment and host ports."""

    compose: list[str]
    env: dict[str, str]
    project: str
    api_port: int
    redis_port: int

    def run(self, *args: str, timeout: float = 120) -> str:
        cmd = [*self.compose, "-f", str(REPO / "compose.yaml"), "-p", self.project, *args]
        return _run(cmd, self.env, timeout=timeout).stdout

    def containers(self, service: str | None = None) -> list[str]:
        """Ids of the project's running containers (of one service when given)."""
        cmd = ["docker", "ps", "-q", "--filter", f"label=com.docker.compose.project={self.project}"]
        if service is not None:
            cmd += ["--filter", f"label=com.docker.compose.service={service}"]
        return _run(cmd, self.env, timeout=30).stdout.split()

    def states(self) -> dict[str, tuple[int, str]]:
        """Each container's restart count and health (or state, without a healthcheck)."""
        ids = _run(
            ["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={self.project}"],
            self.env,
            timeout=30,
        ).stdout.split()
        if not ids:
            return {}
        out = _run(["docker", "inspect", "--format", STATE, *ids], self.env, timeout=30).stdout
        rows = (line.lstrip("/").split(" ") for line in out.splitlines() if line)
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
            return self.run("logs", "--no-color", "--tail", "200", timeout=60)
        except (AssertionError, subprocess.TimeoutExpired) as exc:
            return f"(no logs: {exc})"

    def down(self) -> None:
        self.run("down", "-v", "--remove-orphans", "--timeout", "10", timeout=180)


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    env = _sandbox_env()
    compose = _compose_command(env)
    api_port, redis_port = _free_port(), _free_port()
    env.update(
        PAGEWIRE_IMAGE=IMAGE_TAG,
        PAGEWIRE_PORT=str(api_port),
        PAGEWIRE_REDIS_PORT=str(redis_port),
        PAGEWIRE_BIND_ADDRESS="127.0.0.1",
    )
    project = f"pagewire-e2e-{secrets.token_hex(4)}"
    stack = Stack(compose, env, project, api_port, redis_port)
    failed_before = request.session.testsfailed
    passed = False
    started = time.monotonic()
    deadline = started + STARTUP_BUDGET_S
    try:
        stack.run("build", timeout=STARTUP_BUDGET_S)
        built = time.monotonic()
        stack.run("up", "-d", timeout=max(deadline - time.monotonic(), 30))
        stack.wait_healthy(deadline)
        print(
            f"\n{' '.join(compose)}: build {built - started:.1f}s, "
            f"up to healthy {time.monotonic() - built:.1f}s"
        )
        yield stack
        passed = request.session.testsfailed == failed_before
    finally:
        if not passed:
            print(f"\n===== logs of {project} =====\n{stack.logs()}")
        stack.down()


def _article(title: str, word: str) -> str:
    """A page the extractor takes as an article, with `word` in its title and text."""
    paragraph = (
        f"The {word} survey followed river otters along the northern estuary for three "
        "seasons, counting dens, recording the tides and noting where the fish went when the "
        "water warmed. Volunteers walked the same banks every morning and wrote down what "
        "they saw, so that the numbers could be compared from one year to the next."
    )
    body = "\n".join(f"<p>{paragraph} Part {n} of the report goes on.</p>" for n in range(1, 7))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright the river society</footer></body></html>"
    )


def _search(stack: Stack, word: str) -> set[str]:
    """The URLs of the hits for `word` (an empty set while the API answers with an error)."""
    query = urllib.parse.urlencode({"q": word})
    url = f"http://127.0.0.1:{stack.api_port}/search?{query}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            page = json.load(response)
    except (urllib.error.URLError, OSError):
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


def test_two_extractor_replicas_join_the_group_under_distinct_names(stack: Stack) -> None:
    assert len(stack.containers("extractor")) == EXTRACTOR_REPLICAS
    redis = Redis(port=stack.redis_port, decode_responses=True)
    deadline = time.monotonic() + 60
    names: set[str] = set()
    while time.monotonic() < deadline and len(names) < EXTRACTOR_REPLICAS:
        groups = redis.xinfo_groups(RAW_PAGES)
        if any(group["name"] == EXTRACTOR_GROUP for group in groups):
            names = {c["name"] for c in redis.xinfo_consumers(RAW_PAGES, EXTRACTOR_GROUP)}
        time.sleep(1)
    redis.close()
    assert len(names) >= EXTRACTOR_REPLICAS, names


def test_a_page_published_with_the_cli_becomes_searchable(stack: Stack, tmp_path: Path) -> None:
    word = f"otterly{secrets.token_hex(4)}"
    url = f"https://e2e.pagewire.test/cli/{word}"
    page = tmp_path / "page.html"
    page.write_text(_article(f"River otters counted ({word})", word), encoding="utf-8")
    redis_url = f"redis://127.0.0.1:{stack.redis_port}/0"
    cmd = [_pagewire(), "publish", "--redis-url", redis_url, "--url", url, str(page)]
    _run(cmd, os.environ, timeout=60)
    _wait_for_hit(stack, word, url)


def test_a_page_added_raw_to_the_stream_becomes_searchable(stack: Stack) -> None:
    word = f"estuary{secrets.token_hex(4)}"
    url = f"https://e2e.pagewire.test/raw/{word}"
    content = _article(f"Tides and dens ({word})", word)
    page = {"url": url, "content": content, "content_type": "text/html"}
    redis = Redis(port=stack.redis_port)
    redis.xadd(RAW_PAGES, {DATA_FIELD: json.dumps(page)})
    redis.close()
    _wait_for_hit(stack, word, url)
