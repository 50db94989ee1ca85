"""The wire contract: raw pages as any producer writes them, events, the docs that describe them."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor.config import ExtractorSettings
from indexer.config import IndexerSettings
from shared import schemas
from shared.events import SCHEMA_VERSION, PageExtracted, PageFetched
from shared.streams import Streams

ROOT = Path(__file__).resolve().parents[2]


def test_a_minimal_foreign_page_is_valid_with_defaults() -> None:
    page = PageFetched.model_validate_json('{"url": "https://a.example/", "content": "<p>x</p>"}')
    assert page.content_type == "text/html"
    assert page.kind == "page.fetched" and page.version == SCHEMA_VERSION


def test_unknown_fields_are_ignored_for_forward_compatibility() -> None:
    page = PageFetched.model_validate({"url": "u", "content": "x", "crawler_depth": 3})
    assert not hasattr(page, "crawler_depth")


@pytest.mark.parametrize(
    "payload",
    [
        {"content": "x"},
        {"url": "", "content": "x"},
        {"url": "u"},
        {"url": "u", "content": "x", "content_b64": "eA=="},
        {"url": "u", "content": 5},
        {"url": "x" * 9000, "content": "x"},
    ],
)
def test_invalid_pages_are_refused(payload: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PageFetched.model_validate(payload)


def test_content_b64_round_trips_any_bytes() -> None:
    raw = "Zürich – café".encode("cp1252")
    page = PageFetched(url="u", content_b64=base64.b64encode(raw).decode())
    assert page.body_bytes() == raw


def test_bad_base64_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="base64"):
        PageFetched(url="u", content_b64="%%%").body_bytes()


def test_prefixed_streams_are_all_distinct() -> None:
    names = Streams.with_prefix("t1.")
    assert len({names.raw, names.extracted, names.rejected, names.dead}) == 4
    assert all(n.startswith("t1.") for n in (names.raw, names.dead))


def test_published_json_schemas_are_current() -> None:
    for kind, model in schemas.EVENTS.items():
        path = ROOT / "docs" / "schemas" / f"{kind}.schema.json"
        assert path.read_text(encoding="utf-8") == schemas.render(model), (
            f"{path} is stale: run python -m shared.schemas"
        )


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cls, prefix in (
        (ExtractorSettings, "PAGEWIRE_EXTRACTOR_"),
        (IndexerSettings, "PAGEWIRE_INDEXER_"),
    ):
        for name in cls.model_fields:
            assert f"`{prefix}{name.upper()}`" in readme, f"{prefix}{name.upper()} is undocumented"


def test_readme_documents_the_archivers_own_settings() -> None:
    from archiver.config import ArchiverSettings
    from runtime.settings import ConsumerSettings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in set(ArchiverSettings.model_fields) - set(ConsumerSettings.model_fields):
        assert f"`PAGEWIRE_ARCHIVER_{name.upper()}`" in readme, f"{name} is undocumented"
    for name in ConsumerSettings.model_fields:  # the common ones, in one row
        assert f"`_{name.upper()}`" in readme or name == "redis_url", name


def test_readme_wire_table_names_every_raw_page_field() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `(\w+)` \|", readme, flags=re.MULTILINE)
    for name in PageFetched.model_fields:
        if name not in ("kind", "version"):
            assert name in table, f"raw page field {name} is missing from the README table"


def test_published_asyncapi_documents_are_current() -> None:
    from pagewire import asyncapi

    docs = {"extractor": asyncapi.extractor_document(), "indexer": asyncapi.indexer_document()}
    for name, doc in docs.items():
        path = ROOT / "docs" / "asyncapi" / f"{name}.asyncapi.json"
        assert path.read_text(encoding="utf-8") == asyncapi.render(doc), (
            f"{path} is stale: run python -m pagewire.asyncapi"
        )
    assert "PageFetched" in docs["extractor"]["components"]["schemas"]


def test_a_version_1_article_event_stays_readable_as_engine_version_0() -> None:
    old = (
        '{"kind": "page.extracted", "version": 1, "id": "a", "url": "https://a.example/",'
        ' "canonical_url": "https://a.example/", "title": "T", "text": "x", "markdown": "x",'
        ' "word_count": 1, "content_hash": "h", "extracted_at": "2024-05-01T12:00:00Z"}'
    )
    event = PageExtracted.model_validate_json(old)
    assert event.version == 1 and event.engine_version == 0
    assert PageExtracted.model_validate_json(event.model_dump_json()) == event
