"""Command-line start-up: one page through `pagewire extract` and through trafilatura's command.

    python -m bench.startup [--runs N] [--no-write]

A person trying pagewire on one file pays the start-up, not the extraction: this times the
whole process, both commands on the same article page (decompressed to a file first), runs
interleaved (pagewire, trafilatura, pagewire, ...) so that a busy machine slows both alike.
Wall time and CPU time (user + system of the child) are medians over the runs.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus
from bench.report import write_section


def _page(directory: Path) -> Path:
    """The first scrapinghub page, as a plain .html file."""
    source = corpus.scrapinghub_files()[1]  # [0] is the ground truth
    target = directory / source.name.removesuffix(".gz")
    target.write_bytes(gzip.decompress(source.read_bytes()))
    return target


def _run(command: list[str], page: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one whole process; its output must be non-empty."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with page.open("rb") as stdin:
        done = subprocess.run(command, stdin=stdin, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not done.stdout.strip():
        raise SystemExit(f"{command[0]} printed nothing: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _commands(page: Path) -> dict[str, list[str]]:
    bindir = Path(sys.executable).parent
    trafilatura = shutil.which("trafilatura", path=str(bindir)) or "trafilatura"
    return {
        "pagewire extract page.html": [str(bindir / "pagewire"), "extract", str(page)],
        "trafilatura --json --with-metadata < page.html": [
            trafilatura, "--json", "--with-metadata",
        ],
    }  # fmt: skip


def measure(runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds per command, runs interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        page = _page(Path(tmp))
        commands = _commands(page)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(_run(command, page))
    return {
        name: (statistics.median(w for w, _ in rows), statistics.median(c for _, c in rows))
        for name, rows in times.items()
    }


def table(medians: dict[str, tuple[float, float]], runs: int) -> str:
    (ours_wall, ours_cpu), (peer_wall, peer_cpu) = medians.values()
    rows = [f"| `{name}` | {wall:.3f} | {cpu:.3f} |" for name, (wall, cpu) in medians.items()]
    return "\n".join(
        ["## Command-line start-up: one page through `pagewire extract`", "",
         f"`python -m bench.startup --runs {runs}`: one scrapinghub article page, each command a "
         "whole process, runs interleaved; medians in seconds. pagewire's output includes the "
         "near-duplicate signature (numpy), as every `page.extracted` event does.", "",
         "| command | wall | CPU (user + sys) |", "|---|---|---|", *rows, "",
         f"pagewire / trafilatura: wall {ours_wall / peer_wall:.2f}×, CPU "
         f"{ours_cpu / peer_cpu:.2f}× (below 1 is faster)."]
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command")
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    args = parser.parse_args()
    if not corpus.available():
        raise SystemExit(f"skipped: {corpus.MISSING}")
    text = table(measure(args.runs), args.runs)
    print(text)
    if not args.no_write:
        write_section("cli-startup", text)


if __name__ == "__main__":
    main()
