"""tests/skips.py on a small suite run by pytest itself: under CI a skip fails with its reason,
unless the allowlist has it; without CI a skip is a skip; an xfail is never touched."""

from __future__ import annotations

import pytest

from tests import skips

pytest_plugins = ["pytester"]

SUITE = """
import pytest

@pytest.fixture
def kit():
    pytest.skip("the team kit is absent")

def test_runs():
    pass

def test_skips_itself():
    pytest.skip("no frobnicator on this machine")

@pytest.mark.skip(reason="marked to skip")
def test_marked():
    pass

def test_needs_the_kit(kit):
    pass

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False

def test_allowed():
    pytest.skip("allowed: the list names this one")
"""


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setattr(skips, "ALLOWED_UNDER_CI", {r"^allowed: ": "the test's own example"})
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    plugins = ["-p", "tests.skips", "-p", "no:cacheprovider", "-p", "no:asyncio"]
    return pytester.runpytest_inprocess(*plugins, "-rA")


def test_under_ci_a_skip_fails_and_names_its_reason(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    result = _run(suite)
    # A skip while the test runs fails it; one in its set-up (a skip mark, a fixture) is an error.
    result.assert_outcomes(passed=1, failed=1, errors=2, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(
        [
            "*skipped under CI: no frobnicator on this machine*",
            "*skipped under CI: marked to skip*",
            "*skipped under CI: the team kit is absent*",
        ]
    )
    assert "skipped under CI: allowed" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_without_ci_a_skip_is_a_skip(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = _run(suite)
    result.assert_outcomes(passed=1, skipped=4, xfailed=1)
    assert result.ret == pytest.ExitCode.OK


def test_under_ci_a_module_that_skips_whole_fails_its_collection(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    pytester.makepyfile(
        test_optional="""
        import pytest
        pytest.importorskip("a_module_nobody_installed")

        def test_never_collected():
            pass
        """
    )
    result = _run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*skipped under CI: could not import 'a_module_nobody_installed'*"]
    )
