"""The page-type model's card (`extractor/models/page_type.md`): what it decides, from what,
trained how, and its cross-validated figures."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.page_type_data import TRAINED_TYPES, Dataset
from extractor.html.page_features import FEATURES
from extractor.html.page_type import ARTICLE_FLOOR


def confusion_table(block: dict[str, Any]) -> str:
    short = [t[:5] for t in TRAINED_TYPES]
    lines = [
        "| true \\ predicted | " + " | ".join(short) + " | recall |",
        "|---|" + "---|" * (len(short) + 1),
    ]
    for kind, row in zip(TRAINED_TYPES, block["confusion"], strict=True):
        right = row[TRAINED_TYPES.index(kind)]
        recall = right / sum(row) if sum(row) else 0.0
        lines.append(f"| {kind} | " + " | ".join(map(str, row)) + f" | {recall:.2f} |")
    return "\n".join(lines)


def floors_table(floors: dict[str, dict[str, float]]) -> str:
    lines = ["| article floor | recall | precision | F2 |", "|---|---|---|---|"]
    for name, row in floors.items():
        shipped = " (shipped)" if name == f"{ARTICLE_FLOOR:.2f}" else ""
        lines.append(
            f"| {name}{shipped} | {row['recall']:.3f} | {row['precision']:.3f} | {row['f2']:.4f} |"
        )
    return "\n".join(lines)


def card(data: Dataset, report: dict[str, Any], params: dict[str, Any], rounds: int,
         folds: int) -> str:  # fmt: skip
    corpora = Counter(p.corpus for p in data.pages)
    types = Counter(p.page_type for p in data.pages)
    speed = report["ms_per_page"]
    wcxb, every = report["wcxb"], report["all"]
    return f"""# Page-type model (`page_type.json`)

Written by `make train` (`python -m bench.train_page_type`); do not edit by hand. The method
is in docs/extraction.md ("The page-type model").

- **Decides**: the `page_type` of a page the HTML engine publishes, one of
  {", ".join(TRAINED_TYPES)} (the wire's `other` is never predicted: no page is labelled so):
  `article` when the model gives it at least {ARTICLE_FLOOR} (`ARTICLE_FLOOR`), else the most
  probable type.
- **Trees**: LightGBM multiclass, {rounds} rounds ({rounds * len(TRAINED_TYPES)} trees),
  {params["num_leaves"]} leaves, learning rate {params["learning_rate"]}, feature fraction
  {params["feature_fraction"]}, bagging {params["bagging_fraction"]}, seed {params["seed"]},
  pages weighted by (the largest type's count / their type's count) ^
  {report["class_weight_power"]}, one thread, deterministic; evaluated at run time by
  `extractor.class_trees` (numpy); largest
  difference from LightGBM's probabilities over the training pages: {report["parity"]:.1e}.
- **Features** ({len(FEATURES)}, `extractor.html.page_features`): {", ".join(FEATURES)}.
- **Data**: {len(data.pages)} pages ({", ".join(f"{k} {v}" for k, v in sorted(corpora.items()))});
  types {", ".join(f"{k} {v}" for k, v in types.most_common())}.
- **Validation**: {folds}-fold cross-validation, folds grouped by registrable site (no site
  is in both the training and the scored folds). Accuracy: WCXB dev
  **{wcxb["accuracy"]:.3f}** ({wcxb["pages"]} pages), all pages {every["accuracy"]:.3f}
  (the most probable type alone: WCXB dev {report["argmax_accuracy"]:.3f}).
- **Size**: {report["size_bytes"] // 1024} KiB.
- **Speed** (mean per page, parse excluded): features {speed["features"]:.2f} ms, trees
  {speed["trees"]:.2f} ms.

Cross-validated confusion on WCXB dev (rows: the labelled type):

{confusion_table(wcxb)}

The article floor, cross-validated on WCXB dev: "typed article" against the labelled articles
(search shows articles by default, so its recall is the share of articles a news reader sees;
F2 counts recall twice):

{floors_table(report["article_floors"])}
"""
