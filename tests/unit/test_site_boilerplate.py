"""The site memory's core (`extractor.boilerplate`) with its in-memory fake: deterministic."""

from __future__ import annotations

import asyncio

from bench.dumpmaker import html_to_dump
from bench.scoring import score_page
from bench.site_pages import SITES, builtin_stories, site_pages
from extractor.boilerplate import (
    MIN_NOVEL_CHARS,
    InMemorySiteMemory,
    PagePass,
    Policy,
    SiteCounts,
    drop_known,
    fingerprint,
    normalise,
)
from extractor.html import extract_html
from extractor.model import Article, Document
from extractor.text import extract_text
from shared.hosts import site_of

EN = SITES[0]


def _newsletter() -> str:
    return "Get the day's top stories and the analysis behind them"


def test_normalise_folds_case_digits_and_punctuation() -> None:
    assert normalise("© 2024 Harbour Media, Inc.") == normalise("© 2025  HARBOUR media Inc")
    assert normalise("5 min read") == normalise("12 min read") == "min read"
    assert normalise("10:22 Storm warning") == normalise("9:15 — Storm warning!")
    assert fingerprint("Subscribe!") == fingerprint("subscribe")
    assert fingerprint("Subscribe") != fingerprint("Subscribed")


def test_fingerprint_skips_what_cannot_be_furniture() -> None:
    assert fingerprint("") is None
    assert fingerprint("12:45 — 2024") is None  # no letter
    assert fingerprint("word " * 200) is None  # prose, not furniture
    fp = fingerprint("Editors' Picks")
    assert fp is not None and 0 <= fp < 2**64


def test_threshold_is_pages_and_share() -> None:
    policy = Policy(min_pages=3, min_share=0.05)
    assert policy.threshold(0) == 3
    assert policy.threshold(100) == 5
    counts = SiteCounts(100, {1: 4, 2: 5, 3: 90})
    assert counts.learned(policy) == {2, 3}


def _run_site(engine: str, pages: int, memory: InMemorySiteMemory | None) -> list[str]:
    out = []
    for page in site_pages(EN, builtin_stories(EN.language, pages)):
        host = site_of(page.url)
        known = PagePass(memory.counts_now(host), memory.policy) if memory else None
        if engine == "html":
            result = extract_html(Document(page.url, page.html), boilerplate=known)
        else:
            doc = Document(page.url, html_to_dump(page.html), is_html=False)
            result = extract_text(doc, boilerplate=known)
        assert isinstance(result, Article)
        out.append(result.text)
        if memory is not None and known is not None:
            memory.record_now(host, page.url, known.fingerprints)
    return out


def _f1s(texts: list[str]) -> list[float]:
    truths = [p.truth for p in site_pages(EN, builtin_stories(EN.language, len(texts)))]
    scores = [score_page(t, g) for t, g in zip(texts, truths, strict=True)]
    return [2 * s.tp / (2 * s.tp + s.fp + s.fn) for s in scores]


def test_html_bodies_lose_the_template_as_pages_flow() -> None:
    off = _run_site("html", 10, None)
    on = _run_site("html", 10, InMemorySiteMemory())
    assert on[:3] == off[:3]  # nothing is learned before three pages were seen
    assert all(_newsletter() in text for text in off)
    assert not any(_newsletter() in text for text in on[4:])
    f_off, f_on = _f1s(off), _f1s(on)
    assert sum(f_on[5:]) / 5 > sum(f_off[5:]) / 5 + 0.1
    assert min(f_on[5:]) > 0.9


def test_text_dumps_lose_the_template_as_pages_flow() -> None:
    off = _run_site("text", 10, None)
    on = _run_site("text", 10, InMemorySiteMemory())
    assert on[:3] == off[:3]
    f_off, f_on = _f1s(off), _f1s(on)
    assert all(b >= a for a, b in zip(f_off, f_on, strict=True))
    assert sum(f_on[5:]) > sum(f_off[5:])


def test_a_block_on_one_or_two_pages_only_is_kept() -> None:
    memory = InMemorySiteMemory()
    unique = fingerprint("A sentence that only one page carries")
    twice = fingerprint("A sidebar shown on two pages")
    assert unique is not None and twice is not None
    memory.record_now("a.example", "p1", [unique, twice])
    memory.record_now("a.example", "p2", [twice])
    for k in range(3, 10):
        memory.record_now("a.example", f"p{k}", [k])
    learned = memory.counts_now("a.example").learned(memory.policy)
    assert unique not in learned and twice not in learned


def test_a_replayed_page_counts_once() -> None:
    memory = InMemorySiteMemory()
    assert memory.record_now("a.example", "same-id", [1, 2])
    assert not memory.record_now("a.example", "same-id", [1, 2])
    assert not memory.record_now("a.example", "same-id", [1, 2])
    assert memory.hosts["a.example"].counts[1][0] == 1
    assert memory.counts_now("a.example").learned(memory.policy) == frozenset()
    assert memory.summaries()[0].pages == 1


def test_hosts_do_not_share_what_they_learn() -> None:
    memory = InMemorySiteMemory()
    for k in range(5):
        memory.record_now("a.example", f"p{k}", [7])
    assert 7 in memory.counts_now("a.example").learned(memory.policy)
    assert memory.counts_now("b.example").counts == {}


def test_caps_bound_memory_and_counts_halve() -> None:
    policy = Policy(max_blocks=50, max_pages=20, window=40, max_per_page=10)
    memory = InMemorySiteMemory(policy)
    for k in range(100):  # 20 fingerprints a page: 10 kept; one recurs on every page
        memory.record_now("a.example", f"p{k}", [0, *range(1000 * k + 1, 1000 * k + 20)])
        state = memory.hosts["a.example"]
        assert len(state.counts) <= 50 and len(state.pages) <= 20
    state = memory.hosts["a.example"]
    assert state.seq == 100 and state.recent < 40
    assert 0 in state.counts  # the block on every page survives eviction and halving
    assert 0 in memory.counts_now("a.example").learned(policy)


def test_new_furniture_survives_eviction_of_old_article_lines() -> None:
    policy = Policy(max_blocks=30, max_per_page=10)
    memory = InMemorySiteMemory(policy)
    for k in range(50):  # a new rail appears on page 20; pages add 9 unique lines each
        rail = [5] if k >= 20 else []
        memory.record_now("a.example", f"p{k}", [*rail, *range(100 * k + 10, 100 * k + 19)])
    assert 5 in memory.counts_now("a.example").learned(policy)


def test_drop_known_leaves_a_page_of_known_lines_alone() -> None:
    lines = ["menu", "x" * (MIN_NOVEL_CHARS - 1)]
    assert drop_known(lines, str, lambda t: t == "menu") == lines  # too little would be left
    lines = ["menu", "x" * MIN_NOVEL_CHARS]
    assert drop_known(lines, str, lambda t: t == "menu") == ["x" * MIN_NOVEL_CHARS]
    assert drop_known(lines, str, lambda t: True) == lines


def test_the_same_article_under_many_urls_is_not_emptied() -> None:
    memory = InMemorySiteMemory()
    page = next(site_pages(EN, builtin_stories(EN.language, 1)))
    texts = []
    for k in range(6):
        url = f"https://www.{EN.host}/copy-{k}"
        known = PagePass(memory.counts_now(EN.host), memory.policy)
        result = extract_html(Document(url, page.html), boilerplate=known)
        assert isinstance(result, Article)
        texts.append(result.text)
        memory.record_now(EN.host, url, known.fingerprints)
    assert all(t == texts[0] for t in texts)


def test_first_seen_site_is_extracted_as_without_memory() -> None:
    memory = InMemorySiteMemory()
    for site in SITES:
        page = next(site_pages(site, builtin_stories(site.language, 1)))
        known = PagePass(memory.counts_now(site.host), memory.policy)
        html = Document(page.url, page.html)
        assert extract_html(html, boilerplate=known) == extract_html(html)
        dump = Document(page.url, html_to_dump(page.html), is_html=False)
        assert extract_text(dump, boilerplate=known) == extract_text(dump)
        assert known.fingerprints  # and the page was fingerprinted for the next ones


def test_the_fake_is_an_async_port_too() -> None:
    memory = InMemorySiteMemory()

    async def flow() -> SiteCounts:
        for k in range(4):
            await memory.record("a.example", f"p{k}", [1, 2, 3])
        return await memory.counts("a.example")

    counts = asyncio.run(flow())
    assert counts.pages == 4 and counts.counts == {1: 4, 2: 4, 3: 4}
