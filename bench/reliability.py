"""Copy the fault suite's figures into docs/reliability.md.

    pytest -q tests/faults && python -m bench.reliability

`tests/faults` writes `.data/faults-report.json` at the end of every run; this turns it into the
table between the `bench:faults` markers of docs/reliability.md (the rest of the page is prose).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.report import write_section

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / ".data" / "faults-report.json"
DOC = ROOT / "docs" / "reliability.md"


def _recovery(report: dict[str, Any]) -> str:
    rows = ["| fault | times | median s | max s |", "|---|---|---|---|"]
    for kind, s in report["recovery_s"].items():
        idle = f" ({s['no_progress']} with nothing left to do)" if s["no_progress"] else ""
        rows.append(f"| {kind} | {s['n']}{idle} | {s['median']} | {s['max']} |")
    return "\n".join(rows)


def _pairs(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items())


def table(report: dict[str, Any]) -> str:
    f, o, p = report["faults"], report["outcome"], report["producer"]
    redis = ", ".join(f"{n} in `{mode}`" for mode, n in f["redis_sigkill"].items())
    lost = ", ".join(f"{n} in `{m}`" for m, n in p["confirmed_xadds_lost_by_redis"].items())
    rows = [
        ("pages published", f"{report['pages']['published']} ({report['pages']['articles']} "
         f"articles, {report['pages']['non_articles']} non-articles, "
         f"{report['pages']['poison']} poison entries)"),
        ("SIGKILLs", f"extractors {f['sigkill_extractor']}, indexer {f['sigkill_indexer']}"),
        ("SIGTERMs mid-batch", f"{f['sigterm_mid_batch']} (slowest clean stop "
         f"{report['sigterm_exit_s_max']} s)"),
        ("Valkey SIGKILLed and restarted", f"{redis}; {f['redis_aof_bytes_dropped']} AOF bytes "
         "dropped to simulate OS crashes under `everysec`"),
        ("proxy cuts", f"{f['proxy_cuts']} ({f['proxy_connections_cut']} connections reset)"),
        ("service restarts", f"{report['restarts']} (of which failed starts while Valkey was "
         f"down: {sum(report['failed_starts'].values())})"),
        ("acknowledged XADDs the server lost", f"{lost}; all re-published by the producer"),
        ("indexed / rejected / dead-lettered", f"{o['indexed']} / {o['rejected']} / "
         f"{o['dead_lettered']} (dead letters: {_pairs(o['dead_letters_by_error'])})"),
        ("events written (one page, one event, at least)", _pairs(o["entries_added"])),
        ("**lost**", str(report["lost"])),
        ("**duplicate documents**", str(report["duplicated"])),
        ("pending entries at the end", str(o["pending"])),
        ("most deliveries of one entry", str(o["max_delivery_count"])),
        ("stream lengths after trimming", _pairs(report["stream_length_after_trim"])),
        ("drained, after the last page published", f"{report['drain_after_last_page_s']} s"),
        ("drained, after the last fault", f"{report['drain_after_last_fault_s']} s"),
        ("whole test, wall clock", f"{report['wall_s']} s"),
    ]  # fmt: skip
    lines = ["| figure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]
    intro = (f"`pytest -q tests/faults` (seed {report['seed']}, run {report['date']}), "
             "then `python -m bench.reliability`.")  # fmt: skip
    recovery = ("Time from each fault until both the extractors and the indexer had made "
                "progress again:")  # fmt: skip
    return "\n".join([intro, "", *lines, "", recovery, "", _recovery(report)])


def main() -> None:
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    write_section("faults", table(report), DOC)
    print(f"wrote the figures of {report['date']} into {DOC}")


if __name__ == "__main__":
    main()
