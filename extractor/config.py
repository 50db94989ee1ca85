"""ExtractorSettings: every setting of the extractor service, from `PAGEWIRE_EXTRACTOR_*`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from extractor.boilerplate import Policy
from extractor.version import ENGINE_VERSION
from runtime.settings import ConsumerSettings


class ExtractorSettings(ConsumerSettings):
    model_config = SettingsConfigDict(env_prefix="PAGEWIRE_EXTRACTOR_", extra="ignore")

    max_records: int = Field(
        16, ge=1, description="Entries read per XREADGROUP, and results written per MULTI/EXEC."
    )
    publish_interval_s: float = Field(
        0.05, gt=0, le=10, description="Longest a result waits before it is written (and acked)."
    )
    max_page_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, description="Larger pages are rejected as 'too_large'."
    )
    rejected_maxlen: int = Field(
        100_000,
        ge=1000,
        description="Rejections kept on their stream (XADD MAXLEN ~); counts survive trimming.",
    )
    engine_version: int = Field(
        ENGINE_VERSION, ge=0,
        description="Stamped on every article (the engine's version; override it only to test"
        " or to force re-extraction on the next replay).",
    )  # fmt: skip
    metrics_port: int | None = Field(
        None, ge=0, le=65535,
        description="Serve Prometheus metrics at http://METRICS_HOST:PORT/metrics (off if unset).",
    )  # fmt: skip
    metrics_host: str = Field(
        "127.0.0.1", description="Address of the metrics endpoint (0.0.0.0 in a container)."
    )
    heartbeat_file: str | None = Field(
        None, description="If set, touched every few seconds while the service runs."
    )
    site_memory: bool = Field(
        True,
        description="Learn each host's boilerplate across its pages (kept in Redis) and drop it.",
    )
    site_memory_min_pages: int = Field(
        3, ge=2, description="A block is a host's boilerplate once seen on this many pages ..."
    )
    site_memory_min_share: float = Field(
        0.05, ge=0, le=1, description="... and on this share of the host's recent pages."
    )
    site_memory_max_blocks: int = Field(
        1000, ge=10, description="Block fingerprints kept per host (least seen evicted first)."
    )
    site_memory_max_pages: int = Field(
        500, ge=1, description="Page keys kept per host, so that a replayed page counts once."
    )
    site_memory_window: int = Field(
        1000, ge=2, description="Counts halve each time a host has this many recent pages."
    )
    site_memory_ttl_s: int = Field(
        14 * 86400, ge=60, description="A host's memory expires this long after its last page."
    )
    site_memory_max_hosts: int = Field(
        10_000, ge=1, description="Hosts listed for `pagewire status` (the busiest kept)."
    )

    def site_policy(self) -> Policy:
        return Policy(
            min_pages=self.site_memory_min_pages,
            min_share=self.site_memory_min_share,
            max_blocks=self.site_memory_max_blocks,
            max_pages=self.site_memory_max_pages,
            window=self.site_memory_window,
        )
