"""`indexer.snippets.window`: where a long body's snippet is looked for."""

from __future__ import annotations

from indexer.snippets import WINDOW_AFTER, WINDOW_BEFORE, window

FILLER = "word " * 400


def test_short_text_has_no_window() -> None:
    assert window("glaciers retreat", ["glaciers"]) is None


def test_window_starts_a_little_before_the_first_match_at_a_word() -> None:
    text = FILLER + "Glaciers retreat. glaciers again " + FILLER
    start, end = window(text, ["glaciers"]) or (0, 0)
    at = text.index("Glaciers")
    assert at - WINDOW_BEFORE <= start <= at and text[start - 1] == " "
    assert end == at + WINDOW_AFTER


def test_whole_words_only_unless_prefix() -> None:
    text = FILLER + "runner runs " + FILLER
    found = window(text, ["run"])
    assert found is None
    prefixed = window(text, ["run"], prefix=True)
    assert prefixed is not None and text.index("runner") - WINDOW_BEFORE <= prefixed[0]


def test_underscore_and_punctuation_split_words_like_the_tokenizer() -> None:
    text = FILLER + "foo_glaciers, (glaciers)" + FILLER
    assert window(text, ["glaciers"]) is not None
    assert window(text, ["foo"]) is not None


def test_accented_text_is_searched_folded_like_the_index_tokens() -> None:
    text = "é " * 900 + "Über Gletscher, la canción"
    found = window(text, ["uber"])  # the analyzer folds "Über" to "uber"
    assert found is not None and text[found[0] :].startswith(("é", "Über"))
    found = window(text, ["cancion"])
    assert found is not None and "canción" in text[found[0] : found[1]]
    assert window(text, ["ber"]) is None


def test_no_words_no_window() -> None:
    assert window(FILLER * 2, []) is None
    assert window(FILLER * 2, ["absent"]) is None


def test_a_word_cut_by_the_end_of_the_start_read_first_is_not_taken_for_a_match() -> None:
    # The start of the text is searched first; "glacierside" straddles its end there.
    for shift in range(-12, 4):
        text = "-" * (1024 + shift - len("glacier")) + "glacierside " + FILLER + "glacier end"
        found = window(text, ["glacier"])
        assert found is not None
        assert "glacier end" in text[found[0] : found[1]]


def test_the_first_match_wins_wherever_it_stands() -> None:
    late = FILLER * 3 + "tide " + FILLER
    assert window(late, ["tide"]) == window(late.upper().lower(), ["tide"])
    found = window(late, ["tide"])
    assert found is not None and found[0] > 1024


def test_a_cut_word_in_another_script_is_not_a_match_either() -> None:
    for shift in range(-8, 3):
        text = "-" * (1024 + shift - len("ледник")) + "ледники " + FILLER + "ледник тает"
        found = window(text, ["ледник"])
        assert found is not None and "ледник тает" in text[found[0] : found[1]]
