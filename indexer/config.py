"""IndexerSettings: every setting of the indexer service, from `PAGEWIRE_INDEXER_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from pagewire.settings import ConsumerSettings


class IndexerSettings(ConsumerSettings):
    model_config = SettingsConfigDict(env_prefix="PAGEWIRE_INDEXER_", extra="ignore")

    data_dir: Path = Field(Path(".data/index"), description="Where the tantivy index lives.")
    host: str = Field("127.0.0.1", description="Search API bind address.")
    port: int = Field(8080, ge=0, le=65535, description="Search API port (0: any free port).")
    batch_size: int = Field(256, ge=1, description="Most articles read, and committed, at once.")
    commit_interval_s: float = Field(
        1.0, gt=0, le=60, description="Longest an article waits in memory before its commit."
    )
    max_query_length: int = Field(1000, ge=1, description="Longer queries get a 400.")
    max_results: int = Field(100, ge=1, description="Largest `limit` a search may ask for.")
