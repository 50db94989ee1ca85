"""Language detection and the Markdown/text renderings of blocks."""

from __future__ import annotations

import pytest

from extractor.html.blocks import Block
from extractor.html.markdown import to_markdown, to_text
from extractor.language import detect_language

SAMPLES = {
    "en": "The council said that the work on the new bridge will start in the spring and it is "
    "expected to be finished by the end of the year, with the road closed for two months.",
    "de": "Der Gemeinderat hat beschlossen, dass die Arbeiten an der neuen Brücke im Frühjahr "
    "beginnen und die Straße für zwei Monate gesperrt wird, was nicht alle freut.",
    "fr": "Le conseil a annoncé que les travaux du nouveau pont commenceront au printemps et "
    "que la route sera fermée pendant deux mois, ce qui ne plaît pas à tous les habitants.",
    "es": "El ayuntamiento dijo que las obras del nuevo puente comenzarán en la primavera y que "
    "la carretera estará cerrada durante dos meses, lo que no gusta a todos los vecinos.",
    "ru": "Городской совет сообщил, что работы на новом мосту начнутся весной и дорога будет "
    "закрыта на два месяца.",
    "ja": "市議会は新しい橋の工事が春に始まり、道路は二か月間閉鎖されると発表しました。",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_detect_language(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_too_little_text_is_undetermined() -> None:
    assert detect_language("OK 123") is None


def test_markdown_and_text() -> None:
    blocks = [
        Block("Title two", "h2", 1),
        Block("First point", "li", 2),
        Block("Quoted words", "p", 3, in_quote=True),
        Block("x = 1\ny = 2", "pre", 4),
        Block("# not a heading", "p", 5),
    ]
    assert (
        to_text(blocks)
        == "Title two\n\nFirst point\n\nQuoted words\n\nx = 1\ny = 2\n\n# not a heading"
    )
    assert to_markdown(blocks) == (
        "## Title two\n\n- First point\n\n> Quoted words\n\n"
        "```\nx = 1\ny = 2\n```\n\n\\# not a heading"
    )
