"""ExtractorSettings: every setting of the extractor service, from `PAGEWIRE_EXTRACTOR_*`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from pagewire.settings import ConsumerSettings


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
    heartbeat_file: str | None = Field(
        None, description="If set, touched every few seconds while the service runs."
    )
