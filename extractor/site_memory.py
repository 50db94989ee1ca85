"""The site memory in Redis: the one module that touches Redis for learned boilerplate.

Keys of a host H under the pipeline's prefix P (the `{H}` hash tag keeps one host's keys in one
cluster slot):

- `P sitemem:{H}:meta`, HASH: `seq`, pages ever counted; `recent`, pages since the last halving;
- `P sitemem:{H}:fps`, ZSET: fingerprint (16 hex digits) -> `count << 32 | seq of its last page`;
- `P sitemem:{H}:pages`, ZSET: page key -> seq, the last `max_pages` pages (a replay counts once);
- `P sitemem:hosts`, ZSET: host -> pages counted, for `pagewire status` (the busiest kept).

Reading a host's counts is one round trip (a pipeline of HGET and ZRANGEBYSCORE from
`min_pages`); recording a page is one atomic Lua script (replay check, counts, caps, halving,
EXPIRE), so any number of extractor replicas can share a host's memory. A host's keys expire
`ttl_s` after its last page. Semantics are those of `extractor.boilerplate.InMemorySiteMemory`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from redis import Redis as SyncRedis
from redis.exceptions import ResponseError

from extractor.boilerplate import COUNT_SHIFT, HostSummary, Policy, SiteCounts, page_set
from runtime.redis_streams import AsyncRedis

__all__ = ["RedisSiteMemory", "host_summaries"]

logger = logging.getLogger(__name__)

_RECORD = """
local meta, fps, pages, hosts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('ZSCORE', pages, ARGV[2]) then return 0 end
local shift = 4294967296
local seq = redis.call('HINCRBY', meta, 'seq', 1)
local recent = redis.call('HINCRBY', meta, 'recent', 1)
local function cap(key, most)
  local n = redis.call('ZCARD', key)
  if n > most then redis.call('ZREMRANGEBYRANK', key, 0, n - most - 1) end
end
redis.call('ZADD', pages, seq, ARGV[2])
cap(pages, tonumber(ARGV[5]))
for i = 8, #ARGV do
  local old = redis.call('ZSCORE', fps, ARGV[i])
  local count = 0
  if old then count = math.floor(tonumber(old) / shift) end
  redis.call('ZADD', fps, string.format('%.0f', (count + 1) * shift + seq), ARGV[i])
end
cap(fps, tonumber(ARGV[4]))
if recent >= tonumber(ARGV[6]) then
  local all = redis.call('ZRANGE', fps, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local score = tonumber(all[i + 1])
    local count = math.floor(score / shift)
    local half = math.floor(count / 2)
    if half == 0 then
      redis.call('ZREM', fps, all[i])
    else
      redis.call('ZADD', fps, string.format('%.0f', half * shift + (score - count * shift)), all[i])
    end
  end
  redis.call('HSET', meta, 'recent', math.floor(recent / 2))
end
local ttl = tonumber(ARGV[3])
redis.call('EXPIRE', meta, ttl)
redis.call('EXPIRE', fps, ttl)
redis.call('EXPIRE', pages, ttl)
redis.call('ZADD', hosts, seq, ARGV[1])
cap(hosts, tonumber(ARGV[7]))
redis.call('EXPIRE', hosts, ttl)
return seq
"""


def _keys(prefix: str, host: str) -> tuple[str, str, str, str]:
    base = f"{prefix}sitemem:{{{host}}}:"
    return base + "meta", base + "fps", base + "pages", f"{prefix}sitemem:hosts"


def _fp(value: int) -> str:
    return f"{value:016x}"


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


class RedisSiteMemory:
    """`SiteMemory` on Redis (see the module docstring for the keys)."""

    def __init__(
        self,
        redis: AsyncRedis,
        prefix: str = "",
        policy: Policy | None = None,
        *,
        ttl_s: int = 14 * 86400,
        max_hosts: int = 10_000,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.policy = policy or Policy()
        self.ttl_s = ttl_s
        self.max_hosts = max_hosts
        self._record = redis.register_script(_RECORD)

    async def counts(self, host: str) -> SiteCounts:
        """The host's counts; nothing known when the server refuses (ACL, script, memory):
        the page is then extracted as on a first visit. A lost connection raises as usual."""
        meta, fps, _, _ = _keys(self.prefix, host)
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hget(meta, "recent")
                least = self.policy.min_pages << COUNT_SHIFT
                pipe.zrangebyscore(fps, least, "+inf", withscores=True)
                recent, rows = await pipe.execute()
        except ResponseError as exc:
            logger.warning("site memory unreadable for %s: %s", host, exc)
            return SiteCounts()
        counts = {int(member, 16): int(score) >> COUNT_SHIFT for member, score in rows}
        return SiteCounts(_int(recent), counts)

    async def record(self, host: str, page_key: str, fingerprints: Iterable[int]) -> bool:
        """Count a page once (False for a replay, or when the server refuses the write)."""
        p = self.policy
        args: list[str | int] = [host, page_key, self.ttl_s, p.max_blocks, p.max_pages, p.window]
        args.append(self.max_hosts)
        args.extend(_fp(fp) for fp in page_set(fingerprints, p))
        try:
            done = await self._record(keys=list(_keys(self.prefix, host)), args=args)
        except ResponseError as exc:  # e.g. OOM under `noeviction`, a missing ACL permission
            logger.warning("site memory not updated for %s: %s", host, exc)
            return False
        return bool(done)


def host_summaries(
    redis: SyncRedis, prefix: str = "", policy: Policy | None = None, limit: int = 20
) -> list[HostSummary]:
    """The hosts with the most pages counted: pages seen and fingerprints learned now."""
    policy = policy or Policy()
    hosts = redis.zrevrange(f"{prefix}sitemem:hosts", 0, limit - 1)
    names = [h.decode() if isinstance(h, bytes) else str(h) for h in hosts]
    with redis.pipeline(transaction=False) as pipe:
        for host in names:
            pipe.hmget(_keys(prefix, host)[0], ["seq", "recent"])
        metas = pipe.execute()
    live = [(host, meta) for host, meta in zip(names, metas, strict=True) if meta[0] is not None]
    with redis.pipeline(transaction=False) as pipe:
        for host, (_, recent) in live:
            least = policy.threshold(_int(recent)) << COUNT_SHIFT
            pipe.zcount(_keys(prefix, host)[1], least, "+inf")
        learned = pipe.execute()
    out = [
        HostSummary(host, _int(meta[0]), int(n))
        for (host, meta), n in zip(live, learned, strict=True)
    ]
    return sorted(out, key=lambda s: (-s.pages, s.host))
