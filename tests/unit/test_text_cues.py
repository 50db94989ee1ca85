"""Boilerplate cues in several languages: calls to action, rail and comments headings,
captions; and the prose they must leave alone."""

from __future__ import annotations

import pytest

from extractor.text.cues import (
    is_call_to_action,
    is_caption,
    is_comments_heading,
    is_rail_heading,
)


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe",
        "* indicates required",
        "Enter your email address",
        "We use cookies to improve your experience. Accept all cookies",
        "© 2024 The Daily Example. All rights reserved.",
        "READ MORE: China plague outbreak confirmed in Beijing",
        "Continue Reading Below",
        "Jetzt abonnieren",
        "Abonnez-vous à notre newsletter",
        "Suscríbete",
        "Подпишитесь на рассылку",
        "Alle Rechte vorbehalten",
    ],
)
def test_calls_to_action(line: str) -> None:
    assert is_call_to_action(line)


@pytest.mark.parametrize(
    "line",
    [
        "The streaming service said its subscribers grew by ten percent in the quarter.",
        "Advertising revenue fell sharply, the company said on Tuesday.",
        "The council said it would publish the new timetables in the spring.",
    ],
)
def test_prose_is_not_a_call_to_action(line: str) -> None:
    assert not is_call_to_action(line)


@pytest.mark.parametrize(
    "line",
    ["Related articles", "Read more", "Most popular", "Editors' Picks",
     "Lesen Sie auch:", "Ähnliche Beiträge", "À lire aussi", "Noticias relacionadas",
     "Читайте также", "Baca juga", "About the author", "About Jane Doe"],
)  # fmt: skip
def test_rail_headings(line: str) -> None:
    assert is_rail_heading(line)


@pytest.mark.parametrize(
    "line", ["Related research shows a rise in cases.", "About the weather", "Latest results: 3-1"]
)
def test_not_rail_headings(line: str) -> None:
    assert not is_rail_heading(line)


@pytest.mark.parametrize(
    "line", ["News Feed", "Explore further", "Edit post", "This audio is created with AI"]
)
def test_phrases_of_one_page_are_not_cues(line: str) -> None:
    """Phrases found on one or two development pages are left to the line model."""
    assert not is_rail_heading(line)
    assert not is_call_to_action(line)


@pytest.mark.parametrize(
    "line", ["167 comments", "Leave a Reply", "Comments (12)", "Schreibe einen Kommentar",
             "12 Antworten", "Commentaires", "Комментарии"],
)  # fmt: skip
def test_comments_headings(line: str) -> None:
    assert is_comments_heading(line)


@pytest.mark.parametrize(
    "line",
    ["Photo: Jane Doe / Reuters", "Image 1 of 8", "Photograph by John Doe",
     "The mayor at the depot on Monday (AP Photo/Jane Doe)", "Foto: dpa"],
)  # fmt: skip
def test_captions(line: str) -> None:
    assert is_caption(line)


def test_prose_mentioning_a_photo_is_not_a_caption() -> None:
    assert not is_caption("The photo by the lake was taken on the last day of the trip.")
