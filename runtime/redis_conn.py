"""How every pagewire process reaches Redis: one `RedisTarget`, used by the services' FastStream
brokers and redis clients and by every CLI command.

A target is a URL plus optional credentials and TLS files:

- `redis://[[user]:password@]host[:port][/db]` or `rediss://...` (TLS); redis-py's query
  parameters work too (`?ssl_ca_certs=/ca.pem&ssl_check_hostname=false&socket_timeout=5`);
- `username` / `password` (override the URL's, so that the secret need not sit in the URL);
- `ca_file` (the CA that signed the server's certificate; default: the system's CAs),
  `cert_file` / `key_file` (a client certificate, when the server asks for one).

The services read these as `PAGEWIRE_<SERVICE>_REDIS_{URL,USERNAME,PASSWORD,CA_FILE,CERT_FILE,
KEY_FILE}`, the CLI as `PAGEWIRE_REDIS_*`. Secrets never appear in logs: print `target.display`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

if TYPE_CHECKING:
    from redis import Redis
    from redis.asyncio import Redis as AsyncRedis

__all__ = ["DEFAULT_REDIS_URL", "RedisTarget", "describe_error", "redact_url"]

DEFAULT_REDIS_URL = "redis://127.0.0.1:6479/0"
"""Where the commands and services look without settings: `pagewire up`'s embedded server."""
SCHEMES = ("redis", "rediss", "unix")
CLI_ENV_PREFIX = "PAGEWIRE_REDIS_"
# redis-py is imported where a client is made or its error read, not here: the commands that
# never touch Redis (`pagewire extract`) start without it.


def redact_url(url: str) -> str:
    """`url` with its password (and any `password=` query value) replaced by `***`."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            user = parts.username or ""
            netloc = f"{user}:***@{netloc.rpartition('@')[2]}"
        query = "&".join(
            f"{key}=***" if key.lower() == "password" else item
            for item in parts.query.split("&")
            if item
            for key in [item.partition("=")[0]]
        )
        return SplitResult(parts.scheme, netloc, parts.path, query, parts.fragment).geturl()
    except ValueError:  # not even a URL: show nothing of it that could be a secret
        return "<unparsable Redis URL>"


@dataclass(frozen=True, slots=True)
class RedisTarget:
    """Where Redis is and how to authenticate to it; `kwargs()` for redis-py and FastStream."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None

    def __post_init__(self) -> None:
        scheme = urlsplit(self.url).scheme
        if scheme not in SCHEMES:
            raise ValueError(
                f"the Redis URL {self.display} must start with redis:// (plain), rediss:// (TLS)"
                " or unix://"
            )
        tls_files = [f for f in (self.ca_file, self.cert_file, self.key_file) if f]
        if tls_files and scheme != "rediss":
            raise ValueError(
                f"TLS files are set ({', '.join(tls_files)}) but the Redis URL {self.display} is "
                "not rediss://; use rediss://host:port to connect with TLS"
            )
        if bool(self.cert_file) != bool(self.key_file):
            raise ValueError("a client certificate needs both a cert file and a key file")

    @classmethod
    def from_env(cls, url: str, environ: Mapping[str, str] | None = None,
                 prefix: str = CLI_ENV_PREFIX) -> RedisTarget:  # fmt: skip
        """The CLI's target: `url` with `PAGEWIRE_REDIS_{USERNAME,PASSWORD,CA_FILE,...}`."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return env.get(prefix + name) or None

        return cls(url, get("USERNAME"), get("PASSWORD"), get("CA_FILE"), get("CERT_FILE"),
                   get("KEY_FILE"))  # fmt: skip

    @property
    def display(self) -> str:
        """The URL without its secrets, for logs and messages."""
        shown = redact_url(self.url)
        if self.username and "@" not in shown:
            scheme, sep, rest = shown.partition("://")
            shown = f"{scheme}{sep}{self.username}@{rest}"
        return shown

    @property
    def tls(self) -> bool:
        return urlsplit(self.url).scheme == "rediss"

    def kwargs(self) -> dict[str, Any]:
        """Connection arguments beyond the URL, for `Redis.from_url` and `RedisBroker`."""
        out: dict[str, Any] = {}
        if self.username:
            out["username"] = self.username
        if self.password:
            out["password"] = self.password
        if self.ca_file:
            out["ssl_ca_certs"] = self.ca_file
        if self.cert_file:
            out["ssl_certfile"] = self.cert_file
        if self.key_file:
            out["ssl_keyfile"] = self.key_file
        return out

    def client(self, **extra: Any) -> Redis:
        """A synchronous redis-py client."""
        from redis import Redis

        return Redis.from_url(self.url, **self.kwargs(), **extra)

    def async_client(self, **extra: Any) -> AsyncRedis:
        """An asyncio redis-py client."""
        from redis.asyncio import Redis as AsyncRedis

        return AsyncRedis.from_url(self.url, **self.kwargs(), **extra)

    def environ(self, prefix: str) -> dict[str, str]:
        """These settings as environment variables under `prefix` (for child processes)."""
        values = {
            "URL": self.url, "USERNAME": self.username, "PASSWORD": self.password,
            "CA_FILE": self.ca_file, "CERT_FILE": self.cert_file, "KEY_FILE": self.key_file,
        }  # fmt: skip
        return {f"{prefix}{name}": value for name, value in values.items() if value}


def _url_password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def describe_error(
    exc: BaseException, target: RedisTarget, env_prefix: str = CLI_ENV_PREFIX
) -> str:
    """One readable sentence for a failure to use Redis (no traceback, no secret);
    `env_prefix` names the settings to check (`PAGEWIRE_EXTRACTOR_REDIS_` for a service)."""
    from redis.exceptions import (
        AuthenticationError,
        AuthorizationError,
        NoPermissionError,
        RedisError,
    )
    from redis.exceptions import ConnectionError as RedisConnectionError

    where = target.display
    detail = str(exc)
    for secret in (target.password, _url_password(target.url)):
        if secret:
            detail = detail.replace(secret, "***")
    if isinstance(exc, AuthenticationError) or "WRONGPASS" in detail or "NOAUTH" in detail:
        return (
            f"Redis at {where} refused the credentials ({detail}); check the user name and "
            f"password ({env_prefix}USERNAME / {env_prefix}PASSWORD or the URL)"
        )
    if isinstance(exc, NoPermissionError | AuthorizationError) or "NOPERM" in detail:
        return (
            f"the Redis user at {where} lacks a permission pagewire needs ({detail}); "
            "see docs/security.md for the ACL line"
        )
    if isinstance(exc, RedisConnectionError | OSError):
        hint = ""
        if "SSL" in detail or "certificate" in detail.lower():
            hint = "; check the TLS settings (rediss://, CA file, client certificate)"
        elif target.tls:
            hint = "; is the server listening for TLS on that port?"
        return f"cannot reach Redis at {where}: {detail}{hint}"
    if isinstance(exc, RedisError):
        return f"Redis at {where} answered with an error: {detail}"
    return f"{type(exc).__name__}: {detail}"


def acl_rules(role: str, prefix: str = "") -> str:
    """The Redis ACL rules (after `user NAME on >PASSWORD`) a pagewire role needs, no more.

    - `service`: the extractor, the indexer and the operator commands (`status`, `dlq`):
      the pipeline's streams and their failure notes (`pages.*`), the extractor's site memory
      (`sitemem:*`, through one Lua script), stream and group commands, transactions.
    - `producer`: XADD to `pages.raw`, nothing else (a crawler, `pagewire publish`).
    """
    if role == "service":
        return (
            f"resetkeys ~{prefix}pages.* ~{prefix}sitemem:* resetchannels -@all "
            "+@stream +@hash +@sortedset +@transaction +expire "
            "+eval +evalsha +script|load +ping +select"
        )
    if role == "producer":
        return f"resetkeys ~{prefix}pages.raw resetchannels -@all +xadd +ping +select"
    raise ValueError(f"unknown role {role!r}: 'service' or 'producer'")
