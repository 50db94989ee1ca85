"""IndexerSettings: every setting of the indexer service, from `PAGEWIRE_INDEXER_*`."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from runtime.settings import ConsumerSettings


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
    api_token: SecretStr | None = Field(
        None,
        description="If set, /search, /articles/... and the HTML pages need "
        "`Authorization: Bearer <token>` (pages also take it once as ?token=, then a cookie); "
        "/health stays open.",
    )
    allow_anonymous: bool = Field(
        False,
        description="Serve without a token on a non-loopback address (e.g. behind an "
        "authenticating proxy); off, the indexer refuses to start that way.",
    )
    api_max_connections: int = Field(
        100, ge=1, description="Concurrent connections the API serves; more get a 503."
    )

    def token(self) -> str | None:
        """The API token, or None when the API is open (unset or empty)."""
        value = self.api_token.get_secret_value() if self.api_token is not None else ""
        return value or None

    def loopback_only(self) -> bool:
        """Whether the API binds to a loopback address only (reachable from this host alone)."""
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:  # a host name: it may resolve to anything
            return False

    def exposure_problem(self) -> str | None:
        """Why the API must not start as configured (None: it may)."""
        if self.token() is None and not self.loopback_only() and not self.allow_anonymous:
            return (
                f"the search API would listen on {self.host} (not loopback) without a token: "
                "set PAGEWIRE_INDEXER_API_TOKEN (clients send `Authorization: Bearer <token>`), "
                "or PAGEWIRE_INDEXER_ALLOW_ANONYMOUS=true if something in front authenticates"
            )
        return None
