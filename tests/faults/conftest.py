"""The fault-injection suite (issue 6): real processes, killed and cut on purpose."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: fault injection over real processes (slow)")
