"""When a new event for an article replaces the one the index holds (`indexer.fields`): a
newer fetch, or a newer engine for the same fetch, and never the other way round."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.fields import supersedes, version_key
from tests.factories import article


def _wins(new: dict[str, Any], held: dict[str, Any]) -> bool:
    return supersedes(version_key(article("a", **new)), version_key(article("a", **held)))


@pytest.mark.parametrize(
    ("new", "held", "replaces"),
    [
        # a newer fetch wins, whichever engine extracted either
        ({"fetched_minutes": 10}, {"fetched_minutes": 0}, True),
        ({"fetched_minutes": 10, "engine_version": 1}, {"engine_version": 2}, True),
        ({"fetched_minutes": 0, "engine_version": 9}, {"fetched_minutes": 10}, False),
        # the same fetch: a newer engine wins, however early; an older one never, however late
        (
            {"engine_version": 2, "extracted_minutes": 1},
            {"engine_version": 1, "extracted_minutes": 5},
            True,
        ),
        ({"engine_version": 1, "extracted_minutes": 50}, {"engine_version": 2}, False),
        # the same fetch and engine: the later extraction; the same event again: nothing
        ({"extracted_minutes": 5}, {"extracted_minutes": 1}, True),
        ({"extracted_minutes": 1}, {"extracted_minutes": 5}, False),
        ({}, {}, False),
        # no fetch time: each extraction counts as a fetch (at its extraction time)
        ({"fetched_minutes": None, "extracted_minutes": 9}, {"fetched_minutes": None}, True),
    ],
)
def test_a_newer_fetch_or_engine_replaces_never_an_older(
    new: dict[str, Any], held: dict[str, Any], replaces: bool
) -> None:
    assert _wins(new, held) is replaces
    if replaces:  # and never both ways
        assert not _wins(held, new)


def test_an_event_without_engine_version_is_version_0() -> None:
    old = article("a").model_dump(exclude={"engine_version"})
    assert version_key(type(article("a")).model_validate(old))[1] == 0
    assert _wins({"engine_version": 1}, {"engine_version": 0})
