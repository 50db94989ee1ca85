"""Which archived pages `pagewire replay` publishes again: by fetch time and by site."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from shared.events import PageFetched
from shared.hosts import site_host, site_of

__all__ = ["matches"]


def matches(since: datetime | None, hosts: Iterable[str]) -> Callable[[PageFetched], bool]:
    """A filter of pages fetched at or after `since` (naive: UTC) on one of `hosts` (each
    keyed as the search's site filter keys it: `www.` and case do not matter). A page without
    a fetch time passes `since`: nothing says it is older."""
    floor = None if since is None else (since if since.tzinfo else since.replace(tzinfo=UTC))
    sites = {site_host(host) for host in hosts}

    def keep(page: PageFetched) -> bool:
        if floor is not None and page.fetched_at is not None:
            fetched = page.fetched_at
            if (fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)) < floor:
                return False
        return not sites or site_of(page.url) in sites

    return keep
