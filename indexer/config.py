"""IndexerSettings: every setting of the indexer service, from `PAGEWIRE_INDEXER_*`."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_REDIS_URL = "redis://127.0.0.1:6479/0"


def _consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class IndexerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAGEWIRE_INDEXER_", extra="ignore")

    redis_url: str = Field(DEFAULT_REDIS_URL, description="Redis server the streams live on.")
    stream_prefix: str = Field("", description="Prefix for every stream name (isolation).")
    consumer_name: str = Field(default_factory=_consumer_name)
    data_dir: Path = Field(Path(".data/index"), description="Where the tantivy index lives.")
    host: str = Field("127.0.0.1", description="Search API bind address.")
    port: int = Field(8080, ge=0, le=65535, description="Search API port (0: any free port).")
    batch_size: int = Field(64, ge=1, description="Most articles read, and committed, at once.")
    commit_interval_s: float = Field(
        0.5, gt=0, le=60, description="Longest an article waits in memory before its commit."
    )
    claim_idle_ms: int = Field(60_000, ge=1000)
    max_deliveries: int = Field(3, ge=1)
    trim_interval_s: float = Field(
        30.0, gt=0, description="How often the input stream is trimmed below what is consumed."
    )
    max_query_length: int = Field(1000, ge=1, description="Longer queries get a 400.")
    max_results: int = Field(100, ge=1, description="Largest `limit` a search may ask for.")
