"""The two corpus scores, exactly as `../shared/bench/README.md` defines them.

- `ShingleScore` / `score_scrapinghub`: 4-token shingle F1 per page, averaged (the field's
  standard on the scrapinghub article-extraction benchmark).
- `SnippetScore` / `score_snippets`: trafilatura's evaluation (snippets that must or must not be
  in the body) and the metadata exact-match rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    tp: float
    fp: float
    fn: float
    exact: bool


def score_page(predicted: str, truth: str) -> PageScore:
    """tp/fp/fn of one page, normalised so that each page weighs the same."""
    pred, gold = _shingles(predicted), _shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    exact = _TOKEN.findall(predicted or "") == _TOKEN.findall(truth or "")
    if total == 0:
        return PageScore(0.0, 0.0, 0.0, exact)
    return PageScore(tp / total, fp / total, fn / total, exact)


@dataclass(slots=True)
class ShingleScore:
    """Corpus precision, recall and F1 over per-page scores."""

    pages: list[PageScore] = field(default_factory=list)

    def add(self, predicted: str, truth: str) -> PageScore:
        page = score_page(predicted, truth)
        self.pages.append(page)
        return page

    @property
    def precision(self) -> float:
        ps = [p for p in self.pages if p.tp + p.fp > 0]
        return sum(_ratio(p.tp, p.tp + p.fp, p.fp) for p in ps) / len(ps) if ps else 0.0

    @property
    def recall(self) -> float:
        rs = [p for p in self.pages if p.tp + p.fn > 0]
        return sum(_ratio(p.tp, p.tp + p.fn, p.fn) for p in rs) / len(rs) if rs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return sum(p.exact for p in self.pages) / len(self.pages) if self.pages else 0.0


def _ratio(num: float, den: float, miss: float) -> float:
    if miss == 0:
        return 1.0
    return num / den if den else 0.0


def score_scrapinghub(pairs: Iterable[tuple[str, str]]) -> ShingleScore:
    """Score (predicted, truth) body pairs."""
    score = ShingleScore()
    for predicted, truth in pairs:
        score.add(predicted, truth)
    return score


# --- trafilatura-eval ------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def normalise_ws(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def normalise_field(value: str) -> str:
    """Case-folded, NFKC, whitespace collapsed, edge punctuation stripped."""
    text = normalise_ws(unicodedata.normalize("NFKC", value or "").casefold())
    return text.strip(" \t\n.,;:!?'\"()[]{}-–—|/«»“”‘’")


_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;&|]|\band\b)\s*", re.IGNORECASE)


def author_set(value: str | Iterable[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    raw = [value] if isinstance(value, str) else list(value)
    names: set[str] = set()
    for item in raw:
        for part in _AUTHOR_SPLIT.split(item or ""):
            name = normalise_field(re.sub(r"^\s*by\s+", "", part, flags=re.IGNORECASE))
            if name:
                names.add(name)
    return frozenset(names)


@dataclass(slots=True)
class SnippetScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    meta_hits: Counter[str] = field(default_factory=Counter)
    meta_total: Counter[str] = field(default_factory=Counter)

    def add_body(self, body: str, with_: Iterable[str], without: Iterable[str]) -> None:
        text = normalise_ws(body)
        for snippet in with_:
            if normalise_ws(snippet) in text:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if normalise_ws(snippet) in text:
                self.fp += 1

    def add_meta(self, name: str, hit: bool) -> None:
        self.meta_total[name] += 1
        self.meta_hits[name] += int(hit)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        den = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / den if den else 0.0

    def meta(self, name: str) -> float:
        total = self.meta_total[name]
        return self.meta_hits[name] / total if total else 0.0
