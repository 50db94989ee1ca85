"""The main-content model's fold models, and the cross-validated figures of the whole engine.

    python -m bench.block_folds          # the block dataset and the fold models, where stale

Cross-validation grouped by site (`bench.train_blocks`) trains one model per fold, on the
pages of the other folds. Run with the model of the fold that never saw its site, the engine
gives each development page the output it would give an unseen page: those outputs, scored by
each corpus's metric, are the cross-validated figures (`cv_figures`; `bench.extraction` and the
quality gate report them).

Saved results are reused only while they are what a fresh run would produce: the block dataset
records the digest of its inputs (`bench.fingerprint`: the sources it runs, the corpora, the
libraries), the fold models that of the dataset they were trained on and of the training's own
inputs and settings. A stale or missing result is rebuilt by `ensure`, refused by `load`.
Settings: 5 folds, and the second (context) stage when the shipped model has one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import block_cv, block_dataset, fingerprint
from bench.block_dataset import OUT
from bench.dev_pages import DevPage, development_pages
from extractor.html import extract_html, main_blocks
from extractor.html.main_blocks import BlocksModel, model_from_dict
from extractor.model import Article, Document

FOLDS = 5
_TRAINING_ENTRIES = ("bench.train_blocks", "bench.block_folds")


def dataset_digest() -> str:
    """The digest of what the whole block dataset is built from (`block_dataset.STAMP`)."""
    return fingerprint.digest(block_dataset.INPUTS, {"limit": 0})


def dataset_fresh(root: Path = OUT) -> bool:
    return fingerprint.recorded(root / block_dataset.STAMP) == dataset_digest()


def shipped_settings() -> tuple[int, bool]:
    """The folds and whether there is a second stage, as the shipped model was trained."""
    return FOLDS, main_blocks.shipped().second is not None


def folds_digest(dataset: str, folds: int, second_stage: bool) -> str:
    """The digest of fold models trained on a dataset of digest `dataset` with these settings
    (take it before training: see `fingerprint.record`)."""
    settings = {"folds": folds, "second_stage": second_stage}
    training = fingerprint.digest(_TRAINING_ENTRIES, settings)
    return hashlib.sha256(f"{dataset}\0{training}".encode()).hexdigest()


def digest_of(data: Path, folds: int, second_stage: bool) -> str:
    """`folds_digest` for the dataset at `data`, as its stamp records it."""
    return folds_digest(fingerprint.recorded(data / block_dataset.STAMP), folds, second_stage)


def _page_id(corpus: str, key: str) -> str:
    return f"{corpus}/{key}"


@dataclass(frozen=True, slots=True)
class FoldModels:
    models: list[BlocksModel]
    fold_of: dict[str, int]  # page id ("corpus/key") -> the fold that holds its site

    def model(self, corpus: str, key: str) -> BlocksModel:
        """The model that never saw this page's site."""
        return self.models[self.fold_of[_page_id(corpus, key)]]


def save(
    data: Path, pages: list[dict[str, Any]], folds: list[int], models: list[Any], digest: str
) -> None:
    """Write the fold models under `data`/folds, with the digest of what they came from
    (`digest_of`, taken before training)."""
    out = data / "folds"
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").unlink(missing_ok=True)
    for k, model in enumerate(models):
        (out / f"fold{k}.json").write_text(json.dumps(model), encoding="utf-8")
    ids = {_page_id(p["corpus"], p["key"]): fold for p, fold in zip(pages, folds, strict=True)}
    manifest = {"digest": digest, "folds": len(models), "pages": ids}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def load(data: Path = OUT) -> FoldModels | None:
    """The saved fold models if they are what training now would give, else None."""
    folds, second_stage = shipped_settings()
    path = data / "folds" / "manifest.json"
    if not dataset_fresh(data) or fingerprint.recorded(path) != folds_digest(
        dataset_digest(), folds, second_stage
    ):
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    models = [model_from_dict(model) for model in saved_models(data)]
    return FoldModels(models, {str(k): int(v) for k, v in manifest["pages"].items()})


def saved_models(data: Path = OUT) -> list[dict[str, Any]]:
    """The saved fold models as written (`load` also checks that they are fresh)."""
    manifest = json.loads((data / "folds" / "manifest.json").read_text(encoding="utf-8"))
    return [
        json.loads((data / "folds" / f"fold{k}.json").read_text("utf-8"))
        for k in range(manifest["folds"])
    ]


def train(data: Path) -> None:
    """Cross-validate the dataset at `data` with the shipped settings; save the fold models."""
    import numpy as np

    from bench import train_blocks
    from bench.train_page_type import group_folds

    k, second_stage = shipped_settings()
    digest = digest_of(data, k, second_stage)
    dataset = train_blocks.load(data)
    pages = dataset.pages
    folds = group_folds([p["site"] for p in pages], k).tolist()
    oof = train_blocks.cross_validate(dataset, np.array(folds)[dataset.page], k, second_stage)
    models = train_blocks.decide_folds(dataset, folds, oof)[2]
    save(data, pages, folds, models, digest)


def ensure(data: Path = OUT, reuse: bool = True) -> FoldModels:
    """The fold models: the saved ones when fresh (and `reuse`), else built afresh (the
    dataset too when it is stale, or when not `reuse`). On this 2-CPU machine under load:
    dataset 4 minutes, training and decisions 6, about 3.5 minutes of CPU in all."""
    found = load(data) if reuse else None
    if found is not None:
        return found
    started = time.perf_counter()
    if not reuse or not dataset_fresh(data):
        block_dataset.build(data)
        print(f"  block dataset built ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    train(data)
    print(f"  fold models trained ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    found = load(data)
    if found is None:
        raise RuntimeError("the fold models just trained are not fresh: an input changed")
    return found


def stale_message() -> str:
    return (
        "the fold models in .data/blocks/folds are missing or stale (trained on other code, "
        "data or settings): run `python -m bench.block_folds` (a few minutes of CPU)"
    )


def gold_of(page: DevPage) -> dict[str, Any]:
    """A development page as `block_cv.score_text` reads it."""
    return {
        "corpus": page.corpus,
        "type": page.page_type,
        "gold": page.gold,
        "with": page.with_,
        "without": page.without,
    }


def cv_texts(folds: FoldModels, pages: Iterable[DevPage]) -> Iterable[tuple[DevPage, str]]:
    """Each page with the body the engine gives it under its fold's model ("" if rejected)."""
    for page in pages:
        chooser = folds.model(page.corpus, page.key)
        result = extract_html(Document(url=page.url, body=page.html), chooser=chooser)
        yield page, result.text if isinstance(result, Article) else ""


def cv_figures(folds: FoldModels) -> dict[str, float]:
    """The cross-validated figures of the whole engine on every development page
    (`block_cv.figures`: "scrapinghub", "trafilatura", "wcxb", "wcxb <type>")."""
    scored = [(gold_of(p), t) for p, t in cv_texts(folds, development_pages())]
    return block_cv.figures([g for g, _ in scored], [block_cv.score_text(g, t) for g, t in scored])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=OUT)
    parser.add_argument("--figures", action="store_true", help="and print the CV figures")
    args = parser.parse_args(argv)
    folds = ensure(args.data)
    print(f"fold models fresh in {args.data / 'folds'}")
    if args.figures:
        print(json.dumps(cv_figures(folds), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
