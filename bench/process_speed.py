"""Extraction speed as whole processes: `pagewire extract` against trafilatura, WCXB dev pages.

    python -m bench.process_speed [--rounds N] [--pages N] [--no-write]

What a user runs, timed from outside: each extractor is one process started the same way
(`python -m ...`), given the same 1,497 WCXB dev page files (`../shared/bench/wcxb/dev/html`,
gzip, the ones with a ground truth) and writing one JSON line per page with the metadata:
- pagewire: `python -m pagewire extract FILE...` (the command line: decoding, both learned
  models, metadata, Markdown, the near-duplicate signature; `page.extracted` or
  `page.rejected` JSON);
- trafilatura: `python -m bench.trafilatura_files FILE...`, `trafilatura.extract(
  with_metadata=True, output_format="json")` on each file.

Measured per process: wall seconds from start to exit (start-up and model loading included),
CPU seconds (user + system, `os.wait4`), peak RSS (`ru_maxrss` of that child alone), and the
time between consecutive output lines (a page's time, as the reader sees it come out; both
processes run unbuffered). The machine's 2 CPUs are shared, so the processes run one after the
other in rounds whose order alternates, and the table gives medians over rounds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench.report import write_section
from bench.wcxb import WCXB_DEV

KIB_PER_MIB = 1024  # ru_maxrss is in KiB on Linux


@dataclass(frozen=True, slots=True)
class ProcessRun:
    wall: float
    cpu: float
    rss_mib: float
    gaps_ms: list[float]
    lines: list[bytes]


def page_files(root: Path = WCXB_DEV, limit: int | None = None) -> list[str]:
    """The dev pages with a ground truth (those `bench.wcxb` scores), in the same order."""
    stems = sorted(p.stem for p in (root / "ground-truth").glob("*.json"))
    files = [root / "html" / f"{stem}.html.gz" for stem in stems]
    return [str(f) for f in files if f.exists()][:limit]


def commands(files: list[str]) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "pagewire": [python, "-m", "pagewire", "extract", *files],
        "trafilatura": [python, "-m", "bench.trafilatura_files", *files],
    }


def run_process(command: list[str]) -> ProcessRun:
    """One whole process: its output lines, when each arrived, its CPU time and peak RSS."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    lines, stamps = [], []
    for line in iter(proc.stdout.readline, b""):
        stamps.append(time.perf_counter())
        lines.append(line)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{command[2]} exited with {proc.returncode}")
    gaps = [1000 * (b - a) for a, b in itertools.pairwise(stamps)]
    cpu = usage.ru_utime + usage.ru_stime
    return ProcessRun(wall, cpu, usage.ru_maxrss / KIB_PER_MIB, gaps, lines)


def outcome(name: str, lines: list[bytes]) -> str:
    """What the process wrote: one JSON value per page, and how many held an extraction."""
    values = [json.loads(line) for line in lines]
    if name == "pagewire":
        found = sum(1 for v in values if "text" in v)
        return f"{found} articles, {len(values) - found} rejections"
    found = sum(1 for v in values if v)
    return f"{found} extractions, {len(values) - found} empty"


def rounds(files: list[str], count: int) -> dict[str, list[ProcessRun]]:
    """`count` rounds of every command, the order alternating from round to round."""
    found: dict[str, list[ProcessRun]] = {name: [] for name in commands(files)}
    for r in range(count):
        order = list(commands(files).items())
        for name, command in order if r % 2 == 0 else reversed(order):
            run = run_process(command)
            if len(run.lines) != len(files):
                raise SystemExit(f"{name} wrote {len(run.lines)} lines for {len(files)} pages")
            found[name].append(run)
            print(f"round {r + 1} {name}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
                  f"{run.rss_mib:.0f} MiB", file=sys.stderr)  # fmt: skip
    return found


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def table(found: dict[str, list[ProcessRun]], pages: int) -> str:
    med = {name: (statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs))
           for name, runs in found.items()}  # fmt: skip
    base_wall, base_cpu = med["trafilatura"]
    rows = [
        "| process | pages | wall s | pages/s | CPU s | median ms | p99 ms | peak RSS MiB "
        "| speed vs trafilatura, wall | CPU |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, runs in found.items():
        wall, cpu = med[name]
        gaps = [statistics.median(r.gaps_ms) for r in runs]
        p99s = [_p99(r.gaps_ms) for r in runs]
        rss = max(r.rss_mib for r in runs)
        rows.append(
            f"| {name} | {pages} | {wall:.1f} | {pages / wall:.0f} | {cpu:.1f} "
            f"| {statistics.median(gaps):.1f} | {statistics.median(p99s):.1f} | {rss:.0f} "
            f"| {base_wall / wall:.1f}x | {base_cpu / cpu:.1f}x |"
        )
    return "\n".join(rows)


def describe(found: dict[str, list[ProcessRun]], pages: int) -> str:
    per_round = "; ".join(
        f"{name} " + ", ".join(f"{r.wall:.1f}" for r in runs) for name, runs in found.items()
    )
    outputs = "; ".join(f"{name}: {outcome(name, runs[0].lines)}" for name, runs in found.items())
    return (
        "## Extraction speed, whole processes\n\n"
        f"`python -m bench.process_speed --rounds {len(next(iter(found.values())))}`: "
        f"{pages} WCXB dev pages (gzip files), each extractor one process started the same way "
        "(`python -m pagewire extract FILE...` against `python -m bench.trafilatura_files "
        f"FILE...`, trafilatura {version('trafilatura')} `extract(with_metadata=True, "
        'output_format="json")`), one JSON line per page. Wall and CPU seconds per process '
        "(start-up and model loading included), medians over rounds run one process at a time "
        "in alternating order; median and p99 ms are the time between consecutive output "
        "lines; peak RSS is each process's own (`ru_maxrss`, the largest over rounds). "
        "2 CPUs shared with other jobs: compare rows of one run, and the CPU column over the "
        "wall one when the machine is busy.\n\n"
        f"{table(found, pages)}\n\n"
        f"Wall seconds per round: {per_round}. Outputs of the first round: {outputs}."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)
    files = page_files(limit=args.pages)
    found = rounds(files, args.rounds)
    text = describe(found, len(files))
    print(text)
    if not args.no_write:
        write_section("process-speed", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
