"""The Scrapy publisher's settings: the Redis settings of every pagewire process, and how it
batches, retries and holds back. Each is read from the Scrapy project's settings under its
environment name (`PAGEWIRE_REDIS_URL`, `PAGEWIRE_MAX_LAG`, ...), else from the environment
variable of that name, else the default."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.settings import RedisSettings

ENV_PREFIX = "PAGEWIRE_"


class PublisherSettings(RedisSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    publish_batch_size: int = Field(
        20, ge=1, le=1000, description="Pages written to Redis at once (one pipelined round trip)."
    )
    publish_batch_wait_s: float = Field(
        1.0, gt=0, le=60, description="Longest a page waits in memory before it is written."
    )
    publish_retries: int = Field(
        3, ge=0, le=20,
        description="Retries of a batch Redis refused; then its pages count as failed.",
    )  # fmt: skip
    publish_retry_wait_s: float = Field(
        1.0, ge=0, le=60, description="Wait before the first retry; it doubles with each."
    )
    max_lag: int = Field(
        10_000, ge=0,
        description="Hold responses back while the extractors have more pages than this left "
        "to finish on pages.raw (not yet read, or pending); 0 turns back-pressure off.",
    )  # fmt: skip
    lag_check_interval_s: float = Field(
        1.0, gt=0, le=60, description="How often that backlog is read while the crawl runs."
    )

    @classmethod
    def from_scrapy(cls, values: Any) -> PublisherSettings:
        """Settings from a Scrapy `Settings` (anything with `.get(name)`): a value there wins
        over the environment, which wins over the default."""
        given = {
            name: value
            for name in cls.model_fields
            if (value := values.get(ENV_PREFIX + name.upper())) is not None
        }
        return cls(**given)
