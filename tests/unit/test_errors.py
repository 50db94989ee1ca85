"""One format for what failed validation (`shared.errors.describe_invalid`), wherever it is told."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from shared.errors import MAX_PROBLEMS, describe_invalid
from shared.events import PageExtracted, PageFetched


def invalid(model: type[PageFetched] | type[PageExtracted], data: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        model.model_validate_json(json.dumps(data))
    return caught.value


def test_each_problem_is_where_then_what() -> None:
    exc = invalid(PageFetched, {"url": "", "content": "x", "headers": {"a": 1}})
    assert describe_invalid("invalid raw page", exc) == (
        "invalid raw page: url: String should have at least 1 character; "
        "headers.a: Input should be a valid string"
    )


def test_a_problem_of_the_whole_message_has_no_location() -> None:
    exc = invalid(PageFetched, {"url": "https://e.example/"})
    assert describe_invalid("invalid raw page", exc) == (
        "invalid raw page: Value error, exactly one of 'content' and 'content_b64' must be set"
    )
    with pytest.raises(ValidationError) as caught:
        PageFetched.model_validate_json(b"{not json")
    assert describe_invalid("invalid raw page", caught.value).startswith(
        "invalid raw page: Invalid JSON: "
    )


def test_past_the_limit_problems_are_counted_not_listed() -> None:
    exc = invalid(PageExtracted, {})
    shown = describe_invalid("invalid article event", exc)
    assert shown.count(": Field required") == MAX_PROBLEMS
    assert shown.endswith(f" (and {exc.error_count() - MAX_PROBLEMS} more)")


def test_keys_from_the_input_are_cut_and_escaped() -> None:
    key = "\n\x1b[31m" + "k" * 100
    exc = invalid(PageFetched, {"url": "https://e.example/", "content": "x", "headers": {key: 1}})
    shown = describe_invalid("invalid raw page", exc)
    assert "\n" not in shown and "\x1b" not in shown
    assert "headers.\\n\\x1b[31m" + "k" * 34 + ": Input should be" in shown


def test_leading_location_parts_can_be_skipped() -> None:
    exc = invalid(PageFetched, {"url": "", "content": "x"})
    assert describe_invalid("invalid", exc, skip=1) == (
        "invalid: String should have at least 1 character"
    )
