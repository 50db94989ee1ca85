"""A long fuzzing run for people, not CI: the fuzz suite again and again until time is up.

    python -m bench.fuzz [--minutes 5] [-k EXPRESSION]

Runs the files of `tests/fuzz` in turn with `PAGEWIRE_FUZZ=long` (ten times the examples of
a normal run, fresh random examples every time; the fixed bombs are left out, they never
change). Stops at the first failure: Hypothesis prints the smallest failing input and keeps
it in `.hypothesis/`, so the next run of the suite replays it first. Writes no report.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent.parent / "tests" / "fuzz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to fuzz")
    parser.add_argument(
        "-k", dest="expression", default="not bomb", help="pytest -k (default: all but bombs)"
    )
    args = parser.parse_args(argv)
    env = {**os.environ, "PAGEWIRE_FUZZ": "long"}
    env.pop("CI", None)  # CI derandomizes; a long run wants new examples every time
    deadline = time.monotonic() + args.minutes * 60
    runs = 0
    for path in itertools.cycle(sorted(FUZZ_DIR.glob("test_*.py"))):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        command = [sys.executable, "-m", "pytest", str(path), "-x", "-q", "-p",
                   "no:cacheprovider", "-k", args.expression]  # fmt: skip
        print(f"fuzzing {path.name} ({left / 60:.1f} min left)", flush=True)
        try:
            done = subprocess.run(command, env=env, timeout=left, check=False)
        except subprocess.TimeoutExpired:
            break
        runs += 1
        if done.returncode not in (0, 5):  # 5: no test matched the expression
            print(f"bench.fuzz: {path.name} failed; see above", file=sys.stderr)
            return done.returncode
    print(f"bench.fuzz: no failure in {runs} complete runs over {args.minutes:g} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
