"""The fault suite's workload: unique articles, pages with nothing to extract ("non-articles",
rejected) and poison entries, seeded.

Every item has a `key` by which its outcome is found at the end: the URL for pages (the store,
`pages.rejected`, or a dead letter's `original`), a unique marker for poison entries (inside the
dead letter's `original`).
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass
from typing import Literal

from shared.streams import DATA_FIELD
from tests.factories import article_page

Kind = Literal["article", "non_article", "poison"]

_WORDS = """harbour tide river mill otter glass cobalt ferry lantern orchard meadow quarry bridge
market engine signal archive council vineyard harvest beacon granite canal library festival
workshop lighthouse terrace railway station museum garden forest valley"""

_VOCABULARY = _WORDS.split()


@dataclass(frozen=True, slots=True)
class Item:
    """One entry to publish: its fields, the key its outcome is found by, what it should become."""

    key: str
    kind: Kind
    fields: dict[str, bytes]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_VOCABULARY) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, serial: int) -> str:
    tail = " ".join(_sentence(rng, rng.randint(9, 16)) for _ in range(3))
    return f"Volunteers counted {serial} boats along the coast on Tuesday, officials said. {tail}"


def article_item(rng: random.Random, serial: int) -> Item:
    url = f"https://coast{serial % 7}.example/news/{serial}-story"
    title = f"{_sentence(rng, 5)[:-1]} number {serial}"
    paragraphs = [_paragraph(rng, serial) for _ in range(3)]
    html = article_page(title, paragraphs, site_name="Coast News")
    return Item(url, "article", _data({"url": url, "content": html, "source": "faults"}))


def non_article(serial: int) -> Item:
    url = f"https://coast.example/section/{serial}"
    bodies = ("<html><body><p><img src='map.png'></p></body></html>", "", "   ")
    return Item(url, "non_article", _data({"url": url, "content": bodies[serial % 3]}))


def poison(serial: int) -> Item:
    marker = f"poison-{serial}"
    variants: list[dict[str, bytes]] = [
        {DATA_FIELD: f"{{not json {marker}".encode()},
        {DATA_FIELD: json.dumps({"content": "<p>no url</p>", "marker": marker}).encode()},
        {DATA_FIELD: b"\x00\xff\xfe\x01 binary junk " + marker.encode()},
        {f"payload-{marker}": b"a field that is not __data__"},
        {DATA_FIELD: json.dumps({"url": f"https://x.example/{marker}", "content_b64": "%%%"})
         .encode()},
    ]  # fmt: skip
    return Item(marker, "poison", variants[serial % len(variants)])


def _data(message: dict[str, str]) -> dict[str, bytes]:
    return {DATA_FIELD: json.dumps(message).encode()}


def workload(seed: int, articles: int, non_articles: int, poisons: int) -> list[Item]:
    """The items, shuffled with `seed`."""
    rng = random.Random(seed)
    items = [article_item(rng, i) for i in range(articles)]
    items += [non_article(i) for i in range(non_articles)]
    items += [poison(i) for i in range(poisons)]
    rng.shuffle(items)
    return items


def dead_letter_key(event: dict[str, object]) -> str | None:
    """The key of the item a dead letter replaces: its URL or its poison marker."""
    original = event.get("original")
    if original is None:
        raw = base64.b64decode(str(event.get("original_b64") or ""))
        original = raw.decode("utf-8", "replace")
    text = str(original)
    if "poison-" in text:
        start = text.index("poison-")
        end = start + len("poison-")
        while end < len(text) and text[end].isdigit():
            end += 1
        return text[start:end]
    try:
        url = json.loads(text).get("url")
    except (ValueError, AttributeError):
        return None
    return str(url) if url else None
