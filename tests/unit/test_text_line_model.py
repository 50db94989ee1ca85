"""The text engine's learned line model: its file, its features and its decision."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from extractor.class_trees import ModelFormatError, smooth
from extractor.text.line_features import FEATURES, line_rows
from extractor.text.line_model import MODEL_PATH, PAGE_FEATURES, model_from_dict, shipped
from extractor.text.lines import split_lines
from extractor.text.region import choose_region, line_score

DUMP = "\n".join(
    ["Home", "News", "Sport", "Council approves four new bus routes"]
    + [
        f"The council said on Tuesday that route {i} would connect the northern suburbs with "
        "the hospital, and that the work would be paid for by a regional transport fund."
        for i in range(4)
    ]
    + ["Subscribe", "Privacy policy", "© 2024 The Daily Example"]
)


def _model_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return data


def test_the_shipped_model_reads_the_code_s_features() -> None:
    model = shipped()
    assert model.lines.features == FEATURES
    assert model.page_type is not None and model.page_type.features == PAGE_FEATURES


def test_a_model_of_other_features_is_refused() -> None:
    data = _model_data()
    data["lines"]["features"] = [*FEATURES[:-1], "something else"]
    with pytest.raises(ModelFormatError):
        model_from_dict(data)


def test_a_file_of_another_format_is_refused() -> None:
    with pytest.raises(ModelFormatError):
        model_from_dict({**_model_data(), "format": "pagewire.blocks/1"})


def test_rows_have_one_row_a_line_and_the_model_s_width() -> None:
    lines = split_lines(DUMP)
    scores = [line_score(line) for line in lines]
    rows = line_rows(lines, choose_region(lines, scores), scores)
    assert rows.shape == (len(lines), len(FEATURES))
    assert np.isfinite(rows).all()


def test_paragraphs_score_above_the_menu_and_the_footer() -> None:
    lines = split_lines(DUMP)
    p = shipped().probabilities(line_rows(lines, choose_region(lines, [0.0] * len(lines))))
    paragraphs = [i for i, line in enumerate(lines) if line.words > 20]
    others = [i for i, line in enumerate(lines) if line.words <= 3]
    assert min(p[paragraphs]) > max(p[others])


def test_smoothing_blends_a_line_with_its_neighbours() -> None:
    p = np.array([1.0, 0.0, 1.0])
    assert smooth(p, 0.0).tolist() == [1.0, 0.0, 1.0]
    assert smooth(p, 0.5).tolist() == [0.75, 0.5, 0.75]  # an edge counts itself
