"""What the benchmarks and the tests both need on this machine: a free loopback port, a local
search API's health, the time a call takes. The tests take them through tests/helpers.py;
bench never imports tests."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def free_port() -> int:
    """A loopback port nothing listens on now (the OS's choice; free until someone takes it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """`call()`'s result and the seconds it took."""
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def health(base_url: str, timeout: float = 2.0) -> dict[str, Any] | None:
    """The search API's `/health` answer, or None while it does not answer (not yet listening,
    refused, an error status). `/health` needs no token."""
    try:
        with urllib.request.urlopen(f"{base_url}/health", timeout=timeout) as response:
            answer: dict[str, Any] = json.load(response)
    except (OSError, ValueError):  # urllib's HTTP and connection errors are OSErrors
        return None
    return answer


def wait_healthy(
    base_url: str, within: float = 60.0, process: subprocess.Popen[Any] | None = None
) -> dict[str, Any]:
    """Until the search API at `base_url` answers `/health`; fails at once when `process` (the
    server, when the caller started one) exits first."""
    deadline = time.monotonic() + within
    while (answer := health(base_url)) is None:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}) before {base_url}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{base_url}/health did not answer within {within} s")
        time.sleep(0.1)
    return answer
