"""The seed page (../shared/seeds) must come out exactly as its README says."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from extractor.model import Article, Document
from extractor.text import extract_text

SEED = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "seeds"
    / "kyiv-independent-kherson-2022-11-11.txt"
)
BOILERPLATE = (
    "Skip to content",
    "Edit post",
    "by The Kyiv Independent",
    "1 min read",
    "This audio is created with AI assistance",
    "News Feed",
    "5:44 PM",
    "Estonian foreign minister",
    "Zelensky, Trump",
    "MORE NEWS",
    "Editors' Picks",
    "Subscribe",
    "indicates required",
    "Explaining Ukraine",
    "Successfuly subscribed",
    "Thank you for signing up",
)


@pytest.fixture(scope="module")
def seed() -> Article:
    if not SEED.exists():
        pytest.skip(f"the team kit is absent: {SEED} not found (../shared is not laid out)")
    result = extract_text(
        Document(url="https://kyivindependent.com/x", body=SEED.read_text(), is_html=False)
    )
    assert isinstance(result, Article), result
    return result


def test_title(seed: Article) -> None:
    assert seed.title == (
        "National Resistance Center: Abandoned Russian soldiers in Kherson "
        "disguise themselves as civilians"
    )


def test_author_without_by_or_date(seed: Article) -> None:
    assert seed.authors == ["The Kyiv Independent news desk"]


def test_published_has_no_invented_zone(seed: Article) -> None:
    assert seed.published == datetime(2022, 11, 11, 15, 20)
    assert seed.published is not None and seed.published.tzinfo is None
    assert seed.published_raw is not None and "November 11, 2022" in seed.published_raw


def test_body_is_the_three_paragraphs_whole_and_in_order(seed: Article) -> None:
    paragraphs = seed.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Russian troops wearing civilian clothes")
    assert paragraphs[0].endswith("but keep weapons, the report reads.")
    assert paragraphs[1].startswith("The National Resistance Center believes")
    assert paragraphs[1].endswith("resisting Ukraine's liberation of Kherson.")
    assert paragraphs[2].startswith("At about 12 p.m. on Nov. 11")
    assert paragraphs[2].endswith("where the city of Kherson sits.")


@pytest.mark.parametrize("fragment", BOILERPLATE)
def test_no_boilerplate_in_body(seed: Article, fragment: str) -> None:
    assert fragment not in seed.text


def test_language_and_markdown(seed: Article) -> None:
    assert seed.language == "en"
    assert seed.markdown.startswith("# National Resistance Center:")
    assert "Russian troops wearing civilian clothes" in seed.markdown
