"""Under CI a skipped test is a failed test, except for the few skips allowed here.

A skip is a test that did not run: without Docker, a browser or the team kit (../shared), whole
tiers would skip and the run would still be green. CI has all of them (`.ci/run` installs
them), so there a skip means something is broken, and the failure names the skip's reason.
Without `CI` in the environment skips stay skips. An xfail is not a skip: it is left alone.

`tests/conftest.py` loads this module as a plugin.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator

import pytest

ALLOWED_UNDER_CI: dict[str, str] = {}
"""A pattern searched for in a skip's reason -> why CI may skip that test. Keep it short: each
entry is a test that CI never runs. (Empty: under CI every test runs.)"""


def under_ci() -> bool:
    return bool(os.environ.get("CI"))


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # (path, line, "Skipped: <reason>")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def allowed(reason: str) -> bool:
    return any(re.search(pattern, reason) for pattern in ALLOWED_UNDER_CI)


def _fail_unless_allowed(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail") or not under_ci():
        return
    reason = skip_reason(report)
    if allowed(reason):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI: {reason}\n"
        "CI has Docker, chromium and ../shared: make this test run there, or allow the skip "
        "in tests/skips.py (ALLOWED_UNDER_CI) with the reason why."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    _fail_unless_allowed(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    _fail_unless_allowed(report)
    return report
