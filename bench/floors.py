"""The quality gate's floors (`tests/quality/baseline.json`): measure, compare, raise.

    python -m bench.floors                 # the HTML engine's scores against the floors
    python -m bench.floors --raise         # floors up to the scores less MARGIN; never lower

Floors: the HTML engine's in-sample scores on scrapinghub and trafilatura-eval (the shipped
models were trained on those pages), and its cross-validated figures (`cross_validated`: every
page of the three development corpora extracted with the main-content model of the folds that
never saw its site, `bench.block_folds`, which trains the fold models when the saved ones are
stale or absent, as on a clean clone).

The floors hold for one corpus: the baseline records the digest of the files it was scored on
(`corpus.scored_digest`), and the gate fails when the corpus on disk is another. Floors only
rise: `tests/quality/test_floor_history.py` compares every committed version of the baseline
(`falls`). For another corpus, `--raise --new-corpus` starts its floors afresh (versions of
different digests are not compared; versions from before the digest was recorded neither).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import corpus

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "quality" / "baseline.json"
DIGEST = "corpus_sha256"
MARGIN = 0.003
"""How far under a measured score a raised floor sits (scores are deterministic, the
cross-validated ones too: seeded single-thread training. The margin leaves room for a one-page
change of a trade-off, and for a block at a threshold tipped by another machine's
floating-point sums, not for a trend)."""

CROSS_VALIDATED = ("scrapinghub", "trafilatura", "wcxb", "wcxb article")
"""The cross-validated figures pinned (`block_cv.figures` names; the other page types are
reported by `bench.extraction`, not pinned: a few dozen pages each, a trade-off between them
is for cross-validation over all pages to decide)."""

Scores = dict[str, dict[str, float]]


# The engine is imported when measuring only: comparing floors needs git, not the engine.


def measure_scrapinghub(kit: Path = corpus.KIT) -> dict[str, float]:
    from bench.extraction import extract_all
    from bench.extraction_pages import load_scrapinghub
    from bench.extractors import run_pagewire
    from bench.scoring import score_scrapinghub

    pages = load_scrapinghub(kit / "scrapinghub")
    outputs = extract_all(run_pagewire, pages).outputs
    gold = [p.gold.get("articleBody", "") for p in pages]
    score = score_scrapinghub((o.text, g) for o, g in zip(outputs, gold, strict=True))
    return {"f1": score.f1, "precision": score.precision, "recall": score.recall}


def measure_trafilatura_eval(kit: Path = corpus.KIT) -> dict[str, float]:
    from bench.extraction import extract_all
    from bench.extraction_pages import load_trafilatura_eval
    from bench.extraction_scores import score_eval
    from bench.extractors import run_pagewire

    pages = load_trafilatura_eval(kit / "trafilatura-eval")
    score = score_eval(pages, extract_all(run_pagewire, pages).outputs)
    return {"f1": score.f1, **{k: score.meta(k) for k in ("title", "authors", "date")}}


def measure_cross_validated(reuse: bool = True) -> dict[str, float]:
    """The whole engine's cross-validated figures (`bench.block_folds.cv_figures`) that the
    gate pins; the fold models are trained afresh unless `reuse` and the saved ones are fresh."""
    from bench import block_folds

    found = block_folds.cv_figures(block_folds.ensure(reuse=reuse))
    return {name: found[name] for name in CROSS_VALIDATED}


def measure(kit: Path = corpus.KIT) -> Scores:
    return {
        "scrapinghub": measure_scrapinghub(kit),
        "trafilatura_eval": measure_trafilatura_eval(kit),
        "cross_validated": measure_cross_validated(),
    }


def load(path: Path = BASELINE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def floors_of(baseline: dict[str, Any]) -> Scores:
    """The floors of a baseline: every corpus's table of figures (the digest aside)."""
    return {name: dict(figures) for name, figures in baseline.items() if isinstance(figures, dict)}


def corpus_mismatch(baseline: dict[str, Any], kit: Path = corpus.KIT) -> str | None:
    """Why the floors do not hold for the corpus on disk, or None when they do."""
    recorded = baseline.get(DIGEST)
    if not recorded:
        return f"{BASELINE.name} records no {DIGEST}: run `python -m bench.floors --raise`"
    found = corpus.scored_digest(kit)
    if found != recorded:
        return (
            f"the corpus at {kit} is not the one the floors were measured on (sha256 {found}, "
            f"recorded {recorded}); its scores cannot be compared with the floors. Restore that "
            "corpus, or measure this one: `python -m bench.floors --raise --new-corpus`"
        )
    return None


def shortfalls(floors: Scores, scores: Scores) -> list[str]:
    """Each figure below its floor (or not measured), as `corpus figure: score < floor`."""
    out = []
    for name, figures in floors.items():
        for figure, floor in figures.items():
            score = scores.get(name, {}).get(figure)
            if score is None or score < floor:
                shown = "not measured" if score is None else f"{score:.4f}"
                out.append(f"{name} {figure}: {shown} < floor {floor}")
    return out


def raised(floors: Scores, scores: Scores, margin: float = MARGIN) -> Scores:
    """Every measured figure less `margin`, rounded down to 3 decimals, never under its floor."""
    out = {name: dict(figures) for name, figures in floors.items()}
    for name, figures in scores.items():
        for figure, score in figures.items():
            candidate = math.floor(round((score - margin) * 1000, 6)) / 1000
            held = out.setdefault(name, {}).get(figure)
            out[name][figure] = candidate if held is None else max(held, candidate)
    return out


def falls(versions: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Floors that fell: for versions in order (label, baseline), each floor of a later version
    under the same floor of an earlier one scored on the same corpus (digest), or dropped.
    Versions without a digest predate it and are not compared."""
    out = []
    recorded = [(label, b) for label, b in versions if b.get(DIGEST)]
    for i, (early_label, early) in enumerate(recorded):
        for late_label, late in recorded[i + 1 :]:
            if late[DIGEST] != early[DIGEST]:
                continue
            later = floors_of(late)
            for name, figures in floors_of(early).items():
                for figure, floor in figures.items():
                    now = later.get(name, {}).get(figure)
                    if now is None or now < floor:
                        out.append(
                            f"{name} {figure}: {floor} in {early_label}, {now} in {late_label}"
                        )
    return out


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8") if done.returncode == 0 else None


def history(path: Path = BASELINE) -> list[tuple[str, dict[str, Any]]] | None:
    """Every committed version of the baseline, oldest first, then the working tree's when it
    differs from the last; None without git."""
    relative = path.relative_to(ROOT).as_posix()
    hashes = _git("log", "--format=%H", "--", relative)
    if hashes is None:
        return None
    versions = []
    for commit in reversed(hashes.split()):
        text = _git("show", f"{commit}:{relative}")
        if text is not None:
            versions.append((commit[:12], json.loads(text)))
    if path.exists():
        current = load(path)
        if not versions or versions[-1][1] != current:
            versions.append(("the working tree", current))
    return versions


def write(baseline: dict[str, Any], path: Path = BASELINE) -> None:
    lines = [f'  "{DIGEST}": {json.dumps(baseline[DIGEST])}']
    for name, figures in floors_of(baseline).items():
        lines.append(f"  {json.dumps(name)}: {json.dumps(figures)}")
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floors", description=__doc__)
    parser.add_argument("--raise", dest="raise_", action="store_true", help="write new floors")
    parser.add_argument("--margin", type=float, default=MARGIN, help="under the scores")
    parser.add_argument("--new-corpus", action="store_true", help="floors afresh (with --raise)")
    args = parser.parse_args(argv)
    if not corpus.available():
        print(f"skipped: {corpus.MISSING}")
        return 0
    baseline, scores = load(), measure()
    floors = floors_of(baseline)
    for name, figures in scores.items():
        for figure, score in figures.items():
            print(f"{name:17} {figure:9} {score:.4f}  floor {floors.get(name, {}).get(figure)}")
    mismatch = corpus_mismatch(baseline)
    if not args.raise_:
        print(mismatch or "\n".join(shortfalls(floors, scores)) or "every floor is met")
        return 1 if mismatch or shortfalls(floors, scores) else 0
    if mismatch and baseline.get(DIGEST) and not args.new_corpus:
        print(mismatch, file=sys.stderr)
        return 1
    kept = {} if args.new_corpus and mismatch else floors  # the same corpus: never lower
    write({DIGEST: corpus.scored_digest(), **raised(kept, scores, args.margin)})
    print(f"wrote {BASELINE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
