"""Hypothesis settings for the fuzz suite.

- default: a few dozen examples per test, no deadline (the machine may be loaded), so that
  the whole of `tests/fuzz` stays well under a minute;
- `CI` set: the same, derandomized, so CI runs the same examples every time;
- `PAGEWIRE_FUZZ=long`: ten times the examples, random every run (for people:
  `python -m bench.fuzz --minutes 5`).

The settings are decorators (`@FUZZ`, `@fuzz(examples)`), not a loaded profile, so the rest
of the suite keeps Hypothesis' own defaults.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG = os.environ.get("PAGEWIRE_FUZZ", "").lower() == "long"
CI = bool(os.environ.get("CI"))

_SCALE = 10 if LONG else 1

FUZZ = settings(
    settings.get_profile("ci") if CI else settings(),
    max_examples=25 * _SCALE,
    deadline=None,
    derandomize=CI and not LONG,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
    print_blob=True,
)


def fuzz(examples: int) -> settings:
    """FUZZ with `examples` examples (scaled up under PAGEWIRE_FUZZ=long)."""
    return settings(FUZZ, max_examples=examples * _SCALE)
