"""ExtractorSettings: every setting of the extractor service, from `PAGEWIRE_EXTRACTOR_*`."""

from __future__ import annotations

import os
import socket

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_REDIS_URL = "redis://127.0.0.1:6479/0"


def _consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class ExtractorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAGEWIRE_EXTRACTOR_", extra="ignore")

    redis_url: str = Field(DEFAULT_REDIS_URL, description="Redis server the streams live on.")
    stream_prefix: str = Field("", description="Prefix for every stream name (isolation).")
    consumer_name: str = Field(
        default_factory=_consumer_name,
        description="Unique name of this replica in the consumer group (default: host-pid).",
    )
    max_records: int = Field(16, ge=1, description="Entries read per XREADGROUP call.")
    claim_idle_ms: int = Field(
        60_000, ge=1000, description="An entry pending this long on a dead consumer is claimed."
    )
    max_deliveries: int = Field(
        3, ge=1, description="Deliveries before an entry is dead-lettered as poison."
    )
    max_page_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, description="Larger pages are rejected as 'too_large'."
    )
    rejected_maxlen: int = Field(
        100_000,
        ge=1000,
        description="Rejections kept on their stream (XADD MAXLEN ~); counts survive trimming.",
    )
    trim_interval_s: float = Field(
        30.0, gt=0, description="How often the input stream is trimmed below what is consumed."
    )
    heartbeat_file: str | None = Field(
        None, description="If set, touched every few seconds while the service runs."
    )
