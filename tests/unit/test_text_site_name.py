"""The site's name from a dump's copyright line (`extractor.text.site_name`)."""

from __future__ import annotations

import pytest

from extractor.model import Article, Document
from extractor.text import extract_text
from extractor.text.site_name import site_name


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("© 2024 The Daily Example. All rights reserved.", "The Daily Example"),
        ("Copyright © 2019-2024 Example Media Ltd", "Example Media"),
        ("(c) Heise Medien GmbH & Co. KG", "Heise Medien"),
        ("Copyright 2023 Harbour Press | Privacy | Terms", "Harbour Press"),
        ("© Copyright Gannett 2024", "Gannett"),
        ("Copyright Violation", None),  # the word alone, no sign or year: a link
        ("Copyright | Privacy Policy", None),
        ("The harbour wall was repaired in June.", None),
    ],
)
def test_the_owner_of_the_copyright(line: str, name: str | None) -> None:
    assert site_name(["Home", line]) == name


def test_the_last_copyright_line_wins() -> None:
    lines = ["© 2020 Quoted Agency", "a paragraph", "© 2024 The Harbour Times"]
    assert site_name(lines) == "The Harbour Times"


def test_the_engine_reports_the_site_name_and_its_source() -> None:
    body = " ".join(
        f"The harbour board met on day {i} and agreed that the old wall, which the storms had"
        " broken twice, should be rebuilt before the summer season began."
        for i in range(4)
    )
    dump = f"Home\nNews\nHarbour wall to be rebuilt\n{body}\n© 2024 The Harbour Times\n"
    result = extract_text(Document(url="https://example.com/a", body=dump, is_html=False))
    assert isinstance(result, Article)
    assert result.site_name == "The Harbour Times"
    assert result.sources["site_name"] == "text"
