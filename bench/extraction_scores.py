"""The extraction benchmark's figures, each corpus by its own metric (../shared/bench/README.md):

- body: scrapinghub 4-token shingle F1, P, R (`SH ...`); trafilatura-eval snippet F1
  (`TE F1`); WCXB dev mean word F1 over all pages and per page type (`WCXB all`, `WCXB
  article`...); a rejected page is an empty body;
- metadata, over pages whose gold value is set: the title as the same case-folded, NFKC,
  whitespace-collapsed string with edge punctuation stripped; the authors as the same set of
  names; the published date as the same calendar day (a WCXB gold of a month only: the same
  month). The same rules for every extractor, on trafilatura-eval (`TE title`...) and WCXB dev
  (`WCXB title`...);
- page type: the share of WCXB dev pages whose type the page-type model names, the shipped
  model (in-sample: it was trained on them) and, cross-validated, the model of the folds that
  never saw the page's site (`bench.train_page_type.cross_validate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from bench import wcxb
from bench.extraction_pages import Page
from bench.extractors import Output
from bench.scoring import SnippetScore, author_set, normalise_field, score_scrapinghub

META = ("title", "authors", "date")


def _same_day(found: date | None, gold: str) -> bool:
    return found is not None and found.isoformat().startswith(gold)


def add_meta(score: SnippetScore, out: Output, title: Any, author: Any, day: Any) -> None:
    """Count the title, authors and date of `out` against the gold values that are set."""
    if title:
        score.add_meta("title", normalise_field(out.title) == normalise_field(title))
    if author:
        score.add_meta("authors", author_set(out.authors) == author_set(author))
    if day:
        score.add_meta("date", _same_day(out.date, str(day)))


def score_eval(pages: Sequence[Page], outputs: Sequence[Output]) -> SnippetScore:
    """trafilatura-eval: the snippets and the metadata."""
    score = SnippetScore()
    for page, out in zip(pages, outputs, strict=True):
        gold = page.gold
        score.add_body(out.text, gold.get("with", []), gold.get("without", []))
        add_meta(score, out, gold.get("title"), gold.get("author"), gold.get("date"))
    return score


def score_wcxb(pages: Sequence[Page], outputs: Sequence[Output]) -> tuple[dict[str, float], Any]:
    """WCXB dev: mean word F1 ("all" and per type), and the metadata's `SnippetScore`."""
    meta = SnippetScore()
    scores = []
    for page, out in zip(pages, outputs, strict=True):
        gold = page.gold
        scores.append((gold["type"], wcxb.word_f1(out.text, gold["main_content"])))
        add_meta(meta, out, gold["title"], gold["author"], gold["date"])
    return wcxb.mean_by_type(scores), meta


def figures(pages: dict[str, list[Page]], outputs: dict[str, list[Output]]) -> dict[str, float]:
    """Every figure of one extractor's outputs, by column name."""
    out: dict[str, float] = {}
    sh = score_scrapinghub(
        (o.text, p.gold["articleBody"])
        for p, o in zip(pages["scrapinghub"], outputs["scrapinghub"], strict=True)
    )
    out.update({"SH F1": sh.f1, "SH P": sh.precision, "SH R": sh.recall, "SH acc": sh.accuracy})
    te = score_eval(pages["trafilatura"], outputs["trafilatura"])
    out["TE F1"] = te.f1
    out.update({f"TE {k}": te.meta(k) for k in META if te.meta_total[k]})
    by_type, meta = score_wcxb(pages["wcxb"], outputs["wcxb"])
    out.update({f"WCXB {k}": v for k, v in by_type.items()})
    out.update({f"WCXB {k}": meta.meta(k) for k in META if meta.meta_total[k]})
    return out


def page_type_accuracy(cross_validated: bool = True) -> dict[str, float]:
    """The page-type model's accuracy on WCXB dev: the shipped model's ("in-sample") and, with
    `cross_validated`, each page's type by the fold model that never saw its site ("cv")."""
    from bench import page_type_data, train_page_type
    from extractor.html import page_type

    data = page_type_data.build()
    names = np.array(page_type_data.TRAINED_TYPES)
    gold = names[data.y]
    on_wcxb = np.array([p.corpus == "wcxb" for p in data.pages])
    model = page_type.load()  # the engine's decision (`page_type.choose`), both times
    shipped = np.array([model.predict(list(row)) for row in data.x])
    out = {"in-sample": float((shipped == gold)[on_wcxb].mean())}
    if cross_validated:
        probabilities = train_page_type.cross_validate(data)
        predicted = names[train_page_type.shipped_types(probabilities)]
        out["cv"] = float((predicted == gold)[on_wcxb].mean())
    return out
