"""`pagewire status`: what is on each stream, what each group has left, what was indexed."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import asdict, dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import NoPermissionError, ResponseError

from extractor.boilerplate import HostSummary, Policy
from shared.streams import RAW_PAGES, Streams

SITE_ROWS = 20  # hosts shown in the site memory table


@dataclass(slots=True)
class GroupStatus:
    name: str
    consumers: int
    pending: int
    lag: int | None


@dataclass(slots=True)
class StreamStatus:
    name: str
    length: int
    entries_added: int
    groups: list[GroupStatus] = field(default_factory=list)


@dataclass(slots=True)
class Accounting:
    """Where every published page is: each ends as extracted, rejected or dead-lettered."""

    published: int
    extracted: int
    rejected: int
    dead_lettered: int
    in_flight: int  # not yet read, or read and not yet acknowledged, by the extractors


@dataclass(slots=True)
class Status:
    streams: list[StreamStatus]
    documents: int | None
    api: str
    accounting: Accounting | None = None
    sites: list[HostSummary] = field(default_factory=list)  # the site memory, busiest hosts

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def _num(value: Any) -> int:
    return int(value) if value is not None else 0


def stream_status(redis: Redis, name: str) -> StreamStatus:
    try:
        info = redis.xinfo_stream(name)
    except NoPermissionError:  # not "no such stream": the caller says so
        raise
    except ResponseError as exc:  # no such stream yet
        if str(exc).startswith("NOPERM"):
            raise
        return StreamStatus(name, 0, 0)
    groups = []
    for group in redis.xinfo_groups(name):
        lag = group.get("lag")
        groups.append(
            GroupStatus(
                name=_text(group["name"]),
                consumers=_num(group.get("consumers")),
                pending=_num(group.get("pending")),
                lag=None if lag is None else int(lag),
            )
        )
    added = info.get("entries-added", info.get("length"))
    return StreamStatus(name, _num(info.get("length")), _num(added), groups)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def documents_indexed(api: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(f"{api.rstrip('/')}/health", timeout=timeout) as resp:
            return int(json.load(resp).get("documents", 0))
    except (OSError, ValueError):
        return None


def backlog(stream: StreamStatus, group: str) -> int:
    """Entries of `stream` that `group` has not finished: not yet read (its lag) or read and not
    yet acknowledged (pending); every entry ever added while the group does not exist."""
    mine = next((g for g in stream.groups if g.name == group), None)
    return stream.entries_added if mine is None else (mine.lag or 0) + mine.pending


def account(raw: StreamStatus, extracted: StreamStatus, rejected: StreamStatus,
            dead: StreamStatus, group: str) -> Accounting:  # fmt: skip
    return Accounting(raw.entries_added, extracted.entries_added, rejected.entries_added,
                      dead.entries_added, backlog(raw, group))  # fmt: skip


def collect(redis: Redis, streams: Streams, api: str) -> Status:
    names = [streams.raw, streams.extracted, streams.rejected, streams.dead]
    found = [stream_status(redis, n) for n in names]
    raw, extracted, rejected, dead = found
    accounting = account(raw, extracted, rejected, dead, streams.extractor_group)
    return Status(found, documents_indexed(api), api, accounting, site_memory(redis, streams))


def site_memory(redis: Redis, streams: Streams) -> list[HostSummary]:
    """Per host: pages counted and blocks learned (thresholds from the extractor's settings)."""
    from extractor.config import ExtractorSettings
    from extractor.site_memory import host_summaries

    try:
        policy = ExtractorSettings().site_policy()
    except ValueError:  # a bad extractor setting in this shell: the defaults will do here
        policy = Policy()
    prefix = streams.raw[: -len(RAW_PAGES)]
    return host_summaries(redis, prefix, policy, SITE_ROWS)


def render(status: Status) -> str:
    lines = [f"{'stream':<22}{'length':>10}{'added':>10}  groups (pending / lag)"]
    for s in status.streams:
        groups = ", ".join(
            f"{g.name}: {g.pending} pending / {'?' if g.lag is None else g.lag} lag"
            for g in s.groups
        )
        lines.append(f"{s.name:<22}{s.length:>10}{s.entries_added:>10}  {groups or '-'}")
    docs = "unreachable" if status.documents is None else str(status.documents)
    lines.append(f"documents indexed: {docs} ({status.api})")
    if (a := status.accounting) is not None:
        lines.append(
            f"pages: {a.published} published = {a.extracted} extracted + {a.rejected} rejected"
            f" + {a.dead_lettered} dead letters (all services) + {a.in_flight} in flight"
        )
    if status.sites:
        lines.append(f"site memory ({len(status.sites)} busiest hosts):")
        lines.append(f"  {'host':<40}{'pages seen':>12}{'blocks learned':>16}")
        lines += [f"  {s.host[:39]:<40}{s.pages:>12}{s.learned:>16}" for s in status.sites]
    return "\n".join(lines)
