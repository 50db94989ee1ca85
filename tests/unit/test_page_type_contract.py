"""`page_type` and `extraction_quality` on the wire, and the search's page-type filter values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from indexer.errors import QueryError
from indexer.search_models import DEFAULT_TYPES, SearchRequest, page_types_key
from shared.events import PAGE_TYPES, PageExtracted
from tests.factories import article


def test_an_older_producers_event_reads_as_an_article_of_unknown_quality() -> None:
    payload = article().model_dump(mode="json", exclude={"page_type", "extraction_quality"})
    event = PageExtracted.model_validate(payload)
    assert (event.page_type, event.extraction_quality) == ("article", None)


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_round_trips(kind: str) -> None:
    event = article(page_type=kind, extraction_quality=0.75)
    again = PageExtracted.model_validate_json(event.model_dump_json())
    assert (again.page_type, again.extraction_quality) == (kind, 0.75)


@pytest.mark.parametrize(
    "fields",
    [{"page_type": "recipe"}, {"page_type": ""}, {"extraction_quality": 1.5},
     {"extraction_quality": -0.1}],
)  # fmt: skip
def test_unknown_types_and_qualities_out_of_range_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        article(**fields)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (None, DEFAULT_TYPES),
        ("", DEFAULT_TYPES),
        ([], DEFAULT_TYPES),
        ("forum", ("forum",)),
        ("Product, forum", ("forum", "product")),
        (["listing", "article,listing"], ("article", "listing")),
        ("forum,all", None),
        (["ALL"], None),
    ],
)
def test_page_type_filter_values(
    asked: str | list[str] | None, expected: tuple[str, ...] | None
) -> None:
    assert page_types_key(asked) == expected


def test_an_unknown_type_names_the_choices() -> None:
    with pytest.raises(QueryError, match=r"'recipe'.*") as caught:
        SearchRequest.build("x", page_type="forum,recipe")
    assert "documentation" in str(caught.value)


def test_the_type_filter_is_part_of_what_a_cursor_is_bound_to() -> None:
    articles, forums = SearchRequest.build("x"), SearchRequest.build("x", page_type="forum")
    assert articles.fingerprint() != forums.fingerprint()
