"""ArchiverSettings: every setting of the archiver service, from `PAGEWIRE_ARCHIVER_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.settings import ConsumerSettings


class ArchiverSettings(ConsumerSettings):
    model_config = SettingsConfigDict(env_prefix="PAGEWIRE_ARCHIVER_", extra="ignore")

    dir: Path = Field(Path(".data/archive"), description="Where the WARC files are written.")
    max_file_bytes: int = Field(
        1 << 30, ge=1 << 16, description="A WARC file is closed, and a new one begun, at this size."
    )
    max_file_age_s: float = Field(
        3600.0, gt=0, description="... or once it is this old (checked at each write)."
    )
    batch_size: int = Field(
        256, ge=1, description="Most pages read at once, and written with one fsync."
    )
    sync_interval_s: float = Field(
        0.5,
        gt=0,
        le=60,
        description="Longest a page waits before it is written, fsynced and acknowledged.",
    )
    compression_level: int = Field(
        1, ge=1, le=9, description="gzip level of each record (1 fastest, 9 smallest)."
    )
