"""What every process that reaches Redis is configured with (`RedisSettings`: the server, its
credentials, the stream prefix), and what every stream-consuming service adds to it
(`ConsumerSettings`); each service adds its own settings and its own environment prefix
(`PAGEWIRE_EXTRACTOR_`, `PAGEWIRE_INDEXER_`; the Scrapy publisher `PAGEWIRE_`)."""

from __future__ import annotations

import os
import socket

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from runtime.redis_conn import DEFAULT_REDIS_URL, RedisTarget


def default_consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class RedisSettings(BaseSettings):
    redis_url: str = Field(
        DEFAULT_REDIS_URL,
        description="Redis server the streams live on: redis://[user:password@]host:port/db, "
        "rediss:// for TLS.",
    )
    redis_username: str | None = Field(None, description="Redis ACL user (overrides the URL's).")
    redis_password: SecretStr | None = Field(
        None, description="Redis password (overrides the URL's; keeps the secret out of the URL)."
    )
    redis_ca_file: str | None = Field(
        None, description="CA certificate(s) that signed the Redis server's (rediss:// only)."
    )
    redis_cert_file: str | None = Field(None, description="TLS client certificate (mutual TLS).")
    redis_key_file: str | None = Field(None, description="TLS client key (mutual TLS).")
    stream_prefix: str = Field("", description="Prefix for every stream name (isolation).")

    def redis_target(self) -> RedisTarget:
        """How to connect: URL, credentials and TLS files (raises ValueError if inconsistent)."""
        password = self.redis_password.get_secret_value() if self.redis_password else None
        return RedisTarget(
            self.redis_url, self.redis_username, password, self.redis_ca_file,
            self.redis_cert_file, self.redis_key_file,
        )  # fmt: skip


class ConsumerSettings(RedisSettings):
    consumer_name: str = Field(
        default_factory=default_consumer_name,
        description="Unique name of this replica in the consumer group (default: host-pid).",
    )
    claim_idle_ms: int = Field(
        60_000, ge=1000, description="An entry pending this long on a dead consumer is claimed."
    )
    max_deliveries: int = Field(
        3, ge=1, description="Deliveries before an entry is dead-lettered as poison."
    )
    metrics_interval_s: float = Field(
        5.0, gt=0, description="How often the stream metrics (length, lag, pending) are read."
    )
    trim_interval_s: float = Field(
        30.0, gt=0, description="How often the input stream is trimmed below what is consumed."
    )
