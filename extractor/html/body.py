"""Find the article body: prune boilerplate, score containers, keep the best one and its kin.

1. `prune`: elements that are boilerplate by tag or name (nav, comments, sharing...) are
   marked dead with their subtree, unless they hold most of the page's paragraph text.
2. `score`: each paragraph-like block gives points (length, commas) to its ancestors, decaying
   with distance (readability's scheme); points are weighed by class names and link density.
3. `select`: the best container, moved up to a common ancestor when rival candidates share
   one, plus siblings that score well or look like prose.
4. `clean`: the blocks of the selection, less link lists and boilerplate lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from extractor.boilerplate import Boilerplate, drop_known
from extractor.html.blocks import Block, linearise
from extractor.html.class_names import class_weight, is_boilerplate
from extractor.html.dom import TEXT, Tree
from extractor.html.junk import strip_junk

_TAG_WEIGHT = {
    "article": 10, "main": 5, "div": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
    "body": -5, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3,
    "form": -3, "th": -5, "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5,
}  # fmt: skip
_HOLDS_ARTICLE = frozenset({"article", "main", "div", "section"})
_MIN_PARAGRAPH = 25
_LINKED_PROSE = 20
# Names of a lead paragraph ("post__lead", "article_lead" too). A dek or subtitle next to
# the headline ("dek", "subtitle", "sub-headline") is not the article's text.
_LEAD = re.compile(
    r"\b(?:lead|intro|excerpt|standfirst|abstract|chapo|chapeau|bajada|epigraph)|"
    r"[-_]lead\b|-intro|intro-"
)
_LEAD_SCOPE = 4
_LEAD_MIN = 60
_LEAD_BLOCKS = 3
_LEAD_KEY = 80
"""Characters of a description compared with a block (descriptions are often cut short)."""
_GOOD_BLOCK = 100
_CLIMB_MIN = 150
_CLIMB_SHARE = 0.1
_CLIMB_LEVELS = 3
_CLIMB_PROSE = 0.6
_COMMAS = re.compile(r"[,،、，]")
# Under this much text outside headings once comments are pruned, a page whose comments hold
# more is a discussion (a forum thread): its posts are its text.
_DISCUSSION = 200


class _Sums:
    """A per-node total read from prefix sums over document order: sums[i] is the total of
    node i's subtree, `cum[end[i]] - cum[i]`."""

    __slots__ = ("cum", "end")

    def __init__(self, values: list[int], end: list[int]) -> None:
        self.cum = list(accumulate(values, initial=0))
        self.end = end

    def __getitem__(self, node: int) -> int:
        return self.cum[self.end[node]] - self.cum[node]


@dataclass(slots=True)
class Stats:
    """Per-node aggregates: characters of text, of link text, of paragraph (<p>) text."""

    text: _Sums
    links: _Sums
    para: _Sums


def _outermost(tree: Tree, tag: str) -> list[int]:
    """Elements with this tag that are not inside another one (found with `list.index`,
    which scans in C, from the end of the last one found)."""
    out: list[int] = []
    tags, ends, i = tree.tag, tree.end, 0
    while True:
        try:
            i = tags.index(tag, i)
        except ValueError:
            return out
        out.append(i)
        i = ends[i]


def stats(tree: Tree) -> Stats:
    """Text, link-text and paragraph-text sizes for every node, in linear C-speed passes;
    made once per tree (the rules and the block features both read them)."""
    found = tree.derived.get("stats")
    if found is None:
        found = tree.derived["stats"] = _stats(tree)
    assert isinstance(found, Stats)
    return found


def _stats(tree: Tree) -> Stats:
    n = len(tree)
    text = _Sums(list(map(len, tree.text)), tree.end)
    link_at = [0] * n
    anchors = _outermost(tree, "a")
    for i in anchors:
        link_at[i] = text[i]
    links = _Sums(link_at, tree.end)
    para_at = [0] * n
    k, stop = 0, -1  # paragraphs inside a link count as link text, not paragraph text
    for i in _outermost(tree, "p"):
        while k < len(anchors) and anchors[k] <= i:
            stop = max(stop, tree.end[anchors[k]])
            k += 1
        if i >= stop:
            para_at[i] = text[i] - links[i]
    return Stats(text, links, _Sums(para_at, tree.end))


def _without_comments(hint: str) -> str:
    return " ".join(token for token in hint.split() if "comment" not in token)


def prune(tree: Tree, st: Stats, comments: bool = True) -> list[bool]:
    """Mark boilerplate subtrees dead; an element holding most paragraph text is spared.
    Elements named as comments are left alive when `comments` is false."""
    n = len(tree)
    dead = [False] * n
    total_para = st.para[0] if n else 0
    total_plain = st.text[0] - st.links[0] if n else 0
    headline = tree.tag.index("h1") if "h1" in tree.tag else -1
    i = 1  # the root (body) is never pruned
    while i < n:
        tag = tree.tag[i]
        if tag == TEXT:
            i += 1
            continue
        hint = tree.hint[i]
        if not comments and "comment" in hint:
            hint = _without_comments(hint)
        if is_boilerplate(tag, hint):
            spare = (
                (total_para and st.para[i] >= 0.5 * total_para)
                or st.text[i] - st.links[i] >= 0.5 * total_plain
                or (tag in _HOLDS_ARTICLE and i < headline < tree.end[i])
            )
            if not spare:
                if tag == "header" and (_inside(tree, i, "article") or i < headline < tree.end[i]):
                    _keep_leads(tree, dead, i)
                else:
                    dead[i] = True
                i = tree.end[i]
                continue
        i += 1
    return dead


def _inside(tree: Tree, node: int, tag: str) -> bool:
    node = tree.parent[node]
    while node >= 0:
        if tree.tag[node] == tag:
            return True
        node = tree.parent[node]
    return False


def _keep_leads(tree: Tree, dead: list[bool], header: int) -> None:
    """An article's own header: only its lead paragraph ("intro", "excerpt"...) stays live.
    (A header's paragraph that merely repeats the description stays dead: that is where most
    sites keep their dek, which is not the article's text; docs/extraction.md, "Lead".)"""
    j = header + 1
    while j < tree.end[header]:
        if _LEAD.search(tree.hint[j]):
            j = tree.end[j]
        elif any(_LEAD.search(h) for h in tree.hint[j + 1 : tree.end[j]]):
            j += 1
        else:
            dead[j] = True
            j = tree.end[j]


def _content_score(block: Block) -> float:
    text = block.text
    return 1.0 + len(_COMMAS.findall(text)) + min(len(text) / 100.0, 3.0)


def score(tree: Tree, st: Stats, blocks: list[Block]) -> dict[int, float]:
    """Readability's scores: each paragraph feeds its parent fully, farther ancestors less."""
    scores: dict[int, float] = {}
    for block in blocks:
        if len(block.text) < _MIN_PARAGRAPH or block.kind.startswith("h"):
            continue
        if block.link_density > 0.5:
            continue
        points = _content_score(block)
        node = tree.parent[block.node] if tree.tag[block.node] in ("p", "pre", "td") else block.node
        for level in range(4):
            if node < 0:
                break
            if node not in scores:
                scores[node] = _TAG_WEIGHT.get(tree.tag[node], 0) + class_weight(tree.hint[node])
            scores[node] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            node = tree.parent[node]
    for node, value in scores.items():
        density = st.links[node] / st.text[node] if st.text[node] else 0.0
        scores[node] = value * (1.0 - density)
    return scores


def _ancestors(tree: Tree, node: int) -> list[int]:
    out = []
    node = tree.parent[node]
    while node >= 0:
        out.append(node)
        node = tree.parent[node]
    return out


def top_candidate(tree: Tree, scores: dict[int, float]) -> int:
    if not scores:
        return 0
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    top = ranked[0]
    best = scores[top]
    # Rivals of similar strength inside one common ancestor: the ancestor is the article.
    rivals = [c for c in ranked[1:6] if scores[c] >= 0.75 * best and best > 0]
    if len(rivals) >= 2:
        mine = _ancestors(tree, top)
        for ancestor in mine:
            inside = sum(1 for r in rivals if tree.parent[r] >= 0 and _contains(tree, ancestor, r))
            if inside >= 2 and ancestor != 0:
                top = ancestor
                break
    # Climb while the parent holds nothing but this candidate.
    while tree.parent[top] > 0 and _only_child(tree, tree.parent[top], top):
        top = tree.parent[top]
    return top


def _contains(tree: Tree, ancestor: int, node: int) -> bool:
    return ancestor < node < tree.end[ancestor]


def _only_child(tree: Tree, parent: int, child: int) -> bool:
    return tree.end[child] == tree.end[parent] and child == parent + 1


def good_text(tree: Tree, blocks: list[Block]) -> tuple[list[int], list[int]]:
    """Characters of prose (long, unlinked blocks) and of all live blocks under each node."""
    good, live = [0] * len(tree), [0] * len(tree)
    for block in blocks:
        live[block.node] += len(block.text)
        if len(block.text) >= _GOOD_BLOCK and block.link_density < 0.25:
            good[block.node] += len(block.text)
    parent = tree.parent
    for i in range(len(tree) - 1, 0, -1):
        if live[i]:
            live[parent[i]] += live[i]
            good[parent[i]] += good[i]
    return good, live


def climb(tree: Tree, text: tuple[list[int], list[int]], top: int) -> int:
    """Move up while an ancestor adds mostly prose (an article split in parts by ads)."""
    good, live = text
    moved = True
    while moved:
        moved = False
        ancestor = tree.parent[top]
        for _ in range(_CLIMB_LEVELS):
            if ancestor <= 0:
                break
            extra = good[ancestor] - good[top]
            if extra >= max(_CLIMB_MIN, _CLIMB_SHARE * good[top]) and (
                extra >= _CLIMB_PROSE * (live[ancestor] - live[top])
            ):
                top, moved = ancestor, True
                break
            ancestor = tree.parent[ancestor]
    return top


def select(
    tree: Tree,
    st: Stats,
    dead: list[bool],
    scores: dict[int, float],
    good: tuple[list[int], list[int]],
) -> list[int]:
    """The top candidate and those of its siblings that belong to the article."""
    top = climb(tree, good, top_candidate(tree, scores))
    parent = tree.parent[top]
    if parent < 0:
        return [top]
    best = scores.get(top, 0.0)
    threshold = max(10.0, best * 0.2)
    chosen = []
    child = parent + 1
    while child < tree.end[parent]:
        if child == top or (
            not dead[child] and _sibling_ok(tree, st, scores, good, child, threshold=threshold)
        ):
            chosen.append(child)
        child = tree.end[child]
    return chosen


def _sibling_ok(
    tree: Tree,
    st: Stats,
    scores: dict[int, float],
    text: tuple[list[int], list[int]],
    node: int,
    *,
    threshold: float,
) -> bool:
    if scores.get(node, 0.0) >= threshold:
        return True
    good, live = text
    if good[node] >= _GOOD_BLOCK and good[node] >= _CLIMB_PROSE * live[node]:
        return True  # a lead paragraph or a later part of the text in its own wrapper
    if tree.tag[node] != "p":
        return False
    size = st.text[node]
    density = st.links[node] / size if size else 1.0
    return (size > 80 and density < 0.25) or (0 < size <= 80 and density == 0 and size > 30)


def extract_blocks(
    tree: Tree, boilerplate: Boilerplate | None = None, *, description: str | None = None
) -> list[Block]:
    """The article's blocks, in document order (empty when the body has no text).

    `boilerplate`, when given, says that a block's text is known boilerplate of the site
    (learned across its pages, `extractor.boilerplate`): such blocks are dropped before scoring.
    `description` (the page's own summary, from its metadata) finds a lead shown above the
    body under no telling name.
    """
    if not len(tree):
        return []
    st = stats(tree)
    lead = _lead_key(description)
    found = _article_blocks(tree, st, prune(tree, st), boilerplate, lead)
    if _prose(found) < _DISCUSSION:  # the text is all in comments: a discussion's posts
        alive = prune(tree, st, comments=False)
        spared = _article_blocks(tree, st, alive, boilerplate, lead)
        if _prose(spared) >= _DISCUSSION:
            return spared
    return found


def _article_blocks(
    tree: Tree, st: Stats, dead: list[bool], boilerplate: Boilerplate | None, lead: str
) -> list[Block]:
    """The article's blocks among the live ones: scored, selected, its lead put back, cleaned."""
    blocks = linearise(tree, 0, len(tree), dead)
    if boilerplate is not None:
        blocks = drop_known(blocks, _block_text, boilerplate)
    scores = score(tree, st, blocks)
    chosen = select(tree, st, dead, scores, good_text(tree, blocks))
    ranges = [(c, tree.end[c]) for c in chosen]
    kept = [b for b in blocks if any(lo <= b.node < hi for lo, hi in ranges)]
    return lead_blocks(tree, blocks, chosen, lead) + clean(kept)


def _prose(blocks: list[Block]) -> int:
    """Characters of text outside headings."""
    return sum(len(b.text) for b in blocks if not b.kind.startswith("h"))


def _block_text(block: Block) -> str:
    return block.text


def lead_blocks(tree: Tree, blocks: list[Block], chosen: list[int], lead: str = "") -> list[Block]:
    """The article's lead ("intro", "standfirst", "excerpt"...) just before the body, if any.

    Looked for between the headline (or the enclosing article) and the first chosen node, in
    elements whose names say lead or whose text is the page's description (`lead`, from
    `_lead_key`); only unlinked prose counts.
    """
    if not chosen:
        return []
    first = chosen[0]
    headline = _last_h1_before(tree, first)
    start = headline if headline >= 0 else _enclosing(tree, first, _LEAD_SCOPE)
    if start >= first:
        return []
    out = []
    for block in blocks:
        if block.node >= first:
            break
        if block.node < start or len(block.text) < _LEAD_MIN or block.link_density > 0.1:
            continue
        if _lead_named(tree, block.node, start) or (lead and _is_lead(block.text, lead)):
            out.append(block)
    return out[:_LEAD_BLOCKS]


def _lead_key(description: str | None) -> str:
    """The start of the page's description, as `_is_lead` compares it ("" when too short)."""
    key = " ".join((description or "").split()).casefold().rstrip(".… ")[:_LEAD_KEY]
    return key if len(key) >= _LEAD_MIN else ""


def _is_lead(text: str, key: str) -> bool:
    """A block that shows the description: it starts with it, or the description with it."""
    shown = " ".join(text.split()).casefold()
    return shown.startswith(key) or key.startswith(shown[:_LEAD_KEY])


def _last_h1_before(tree: Tree, node: int) -> int:
    """The last <h1> before `node` (the headline above the body), or -1."""
    if node <= 0 or "h1" not in tree.tag:
        return -1
    try:
        return node - 1 - tree.tag[node - 1 :: -1].index("h1")
    except ValueError:
        return -1


def _enclosing(tree: Tree, node: int, levels: int) -> int:
    for _ in range(levels):
        if tree.parent[node] <= 0:
            break
        node = tree.parent[node]
    return node


def _lead_named(tree: Tree, node: int, stop: int) -> bool:
    while node > stop:
        if _LEAD.search(tree.hint[node]):
            return True
        node = tree.parent[node]
    return False


def _linked_prose(block: Block) -> bool:
    """A heading, or a long sentence that happens to be one link (not a "Read more" line)."""
    if block.kind.startswith("h"):
        return True
    text = block.text
    return block.kind == "p" and len(text.split()) >= _LINKED_PROSE and text[-1] in ".!?"


def clean(blocks: list[Block]) -> list[Block]:
    """Drop link lists and boilerplate lines from the selected blocks."""
    kept = [b for b in blocks if b.link_density <= 0.5 or _linked_prose(b)]
    return strip_junk(kept)


def drop_title(blocks: list[Block], title: str | None) -> list[Block]:
    """Drop the headline when it opens the body, with the kicker or date lines before it;
    paragraphs of prose before it (a lead, then the title repeated as a subheading) stay."""
    if not title or not blocks:
        return blocks
    key = " ".join(title.split()).casefold()
    for i, block in enumerate(blocks[:5]):
        if block.kind.startswith("h") and " ".join(block.text.split()).casefold() == key:
            before = blocks[:i]
            if any(b.kind == "p" and len(b.text) >= _GOOD_BLOCK for b in before):
                return before + blocks[i + 1 :]
            return blocks[i + 1 :]
    return blocks
