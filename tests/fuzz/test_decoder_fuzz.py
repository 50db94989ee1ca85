"""The message decoder under fuzzing: the `__data__` bytes, the JSON, the fields, the body bytes.

Every entry ends as an event or an InvalidMessage with a readable message; see `contract`.
"""

from __future__ import annotations

import asyncio
import base64
import encodings.aliases
import gzip
import json
from typing import Any

from faststream.redis.parser.binary import BinaryMessageFormatV1
from hypothesis import example, given
from hypothesis import strategies as st

from extractor.decode import decode_bytes
from runtime.delivery import WireFormat, _entry, require_body
from shared.errors import InvalidMessage
from shared.events import PageRejected
from tests.fuzz.contract import check, handle, in_time
from tests.fuzz.profiles import FUZZ, fuzz

ARTICLE = (
    "<html><head><title>Harbour wall</title></head><body><article>"
    + "<p>The council voted on Tuesday to rebuild the old harbour wall, a project that has "
    "been discussed for more than a decade and that residents say is long overdue.</p>"
    * 6
    + "</article></body></html>"
)
FIELDS = ["url", "content", "content_b64", "content_type", "headers", "fetched_at", "source",
          "version", "kind"]  # fmt: skip

# Every codec name Python knows, and some it does not: the charset of a page is attacker data.
CHARSETS = sorted(
    set(encodings.aliases.aliases)
    | set(encodings.aliases.aliases.values())
    | {
        "utf-8",
        "utf-16",
        "utf-32",
        "utf-7",
        "idna",
        "punycode",
        "undefined",
        "rot13",
        "zlib",
        "base64",
        "hex",
        "bz2",
        "uu",
        "quopri",
        "unicode_escape",
        "x-user-defined",
        "",
        "ütf-8",
        "utf-8\x00",
        "../../etc/passwd",
        "a" * 300,
    }
)
MEDIA_TYPES = ["text/html", "text/plain", "application/xhtml+xml", "", "image/png",
               "TEXT/HTML", "text/plain;;;", "text/html; charset"]  # fmt: skip

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
huge_strings = st.builds(
    lambda chars, n: chars * n,
    st.text(min_size=1, max_size=3),
    st.sampled_from([1, 100, 10_000, 200_000]),
)  # bigger ones are @examples: generating many would make the suite slow


def field_value(name: str) -> st.SearchStrategy[Any]:
    good: dict[str, st.SearchStrategy[Any]] = {
        "url": st.sampled_from(["https://example.com/a", "http://[oops/x", "x", "http://a:b/"]),
        "content": st.just(ARTICLE),
        "content_b64": st.just(base64.b64encode(ARTICLE.encode()).decode()),
        "content_type": st.sampled_from(MEDIA_TYPES),
        "headers": st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=3),
        "fetched_at": st.sampled_from(["2024-01-01T00:00:00Z", "yesterday", "9999-99-99"]),
        "version": st.integers(),
        "kind": st.sampled_from(["page.fetched", "page.extracted"]),
    }
    return good.get(name, st.text(max_size=20)) | json_values | huge_strings


page_objects = st.fixed_dictionaries(
    {}, optional={name: field_value(name) for name in FIELDS}
) | st.dictionaries(st.text(max_size=10), json_values, max_size=5)


def encode_json(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


def envelope(body: bytes) -> bytes:
    encoded = BinaryMessageFormatV1.encode(
        message=body, reply_to=None, headers={"h": "1"}, correlation_id="c"
    )
    return asyncio.run(encoded)


EMPTY_ENVELOPE = envelope(b"")


@fuzz(100)
@given(st.binary(max_size=4096))
@example(b"")
@example(b"\x89BIN\r\n\x1a\n")
@example(EMPTY_ENVELOPE)  # was a UnicodeDecodeError in require_body: retried, not dead-lettered
@example(b"\xff\xfe{\x00}\x00")
@example(b"null")
@example(b"[]")
@example(b'{"url": "u", "content": "x"' + b"\xff")
@example(b"{" * 100_000)
@example(b"[" * 100_000 + b"]" * 100_000)
def test_any_bytes_as_data(data: bytes) -> None:
    check(in_time(lambda: handle(data), len(data)))


@FUZZ
@given(st.binary(max_size=512))
def test_any_bytes_in_a_binary_envelope(body: bytes) -> None:
    data = envelope(body)
    assert WireFormat.parse(data)[0] == body
    check(in_time(lambda: handle(data), len(data)))


@FUZZ
@given(st.binary(max_size=256))
def test_junk_after_the_envelope_header(junk: bytes) -> None:
    data = WireFormat.IDENTITY_HEADER + junk
    check(in_time(lambda: handle(data), len(data)))


@FUZZ
@given(st.dictionaries(st.binary(max_size=20), st.binary(max_size=100), max_size=4))
def test_entries_without_the_data_field(fields: dict[bytes, bytes]) -> None:
    fields.pop(b"__data__", None)
    entry = _entry(b"7-0", fields)
    try:
        require_body(entry)
    except InvalidMessage as exc:
        check(exc)
        assert "__data__" in str(exc)
    else:
        raise AssertionError("an entry without __data__ must be invalid")


@fuzz(150)
@given(page_objects)
@example({})
@example({"url": "https://example.com/a"})
@example({"url": "https://example.com/a", "content": "x", "content_b64": "eA=="})
@example({"url": "", "content": "x"})
@example({"url": "u" * 9000, "content": "x"})
@example({"url": "https://example.com/a", "content": "é" * 5_000_000})
@example({"url": "https://example.com/a", "content": "x", "source": "s" * 5_000_000})
@example({"url": "https://example.com/a", "content_b64": "QUJD" * 3_000_000})
@example({"url": "https://example.com/a", "content": "x", "headers": {"h" * 100_000: "v"}})
@example({"url": "https://example.com/a", "content_b64": "not base64!"})
@example({"url": "https://example.com/a", "content_b64": "eA"})
@example({"url": "https://example.com/a", "content": None, "content_b64": None})
@example({"url": ["https://example.com/a"], "content": {"html": ARTICLE}})
@example({"url": "https://example.com/a", "content": ARTICLE, "headers": {"a": 1}})
@example({"url": "https://example.com/a", "content": ARTICLE, "fetched_at": "never"})
@example({"url": "https://e.com/", "headers": {"\x00": None}})  # was a NUL in the reason
@example({"url": "https://e.com/", "content": "x", "headers": {"k" * 100_000: 1}})  # a huge one
@example({"url": "https://e.com/", "content": "x", "content_type": "0" * 10_000})  # was echoed
@example({"url": "http://[oops/x", "content": ARTICLE})  # was an engine_error; now invalid
@example({"url": "http://a:b/", "content": ARTICLE, "content_type": "text/plain"})
def test_json_with_wrong_types_missing_fields_and_huge_strings(value: Any) -> None:
    data = encode_json(value)
    check(in_time(lambda: handle(data), len(data)))


def test_an_unparseable_url_is_an_invalid_message() -> None:
    outcome = check(handle(encode_json({"url": "http://[oops/x", "content": ARTICLE})))
    assert isinstance(outcome, InvalidMessage) and "url" in str(outcome)


@FUZZ
@given(st.text(max_size=300).map(str.encode), st.integers(min_value=0))
def test_truncated_and_corrupted_json(text: bytes, cut: int) -> None:
    data = encode_json({"url": "https://example.com/a", "content": text.decode()})
    data = data[: cut % (len(data) + 1)]
    check(in_time(lambda: handle(data), len(data)))


def page_json(body: bytes, content_type: str = "text/html", **extra: Any) -> bytes:
    page = {"url": "https://example.com/news/a", "content_type": content_type, **extra}
    page["content_b64"] = base64.b64encode(body).decode()
    return encode_json(page)


@fuzz(100)
@given(
    body=st.binary(max_size=8192),
    media=st.sampled_from(MEDIA_TYPES),
    charset=st.none() | st.sampled_from(CHARSETS),
    in_header=st.booleans(),
)
@example(body=ARTICLE.encode(), media="text/html", charset="zlib", in_header=False)
@example(body=ARTICLE.encode(), media="text/html", charset="undefined", in_header=True)
@example(body=b"\xff" + ARTICLE.encode(), media="text/html", charset="idna", in_header=False)
@example(body=b"\xff" + ARTICLE.encode(), media="text/plain", charset="punycode", in_header=True)
@example(body=b"<meta charset=rot13>" + ARTICLE.encode(), media="text/html", charset=None,
         in_header=False)  # fmt: skip
@example(body=b"\x00" * 8192, media="text/html", charset=None, in_header=False)
@example(body=b"\xef\xbb\xbf\xff\xfe", media="text/plain", charset="utf-16", in_header=False)
def test_random_body_bytes_with_any_declared_charset(
    body: bytes, media: str, charset: str | None, in_header: bool
) -> None:
    content_type, headers = media, {}
    if charset is not None and in_header:
        headers = {"Content-Type": f"{media}; charset={charset}"}
    elif charset is not None:
        content_type = f"{media}; charset={charset}"
    data = page_json(body, content_type, headers=headers)
    check(in_time(lambda: handle(data), len(data)))


@fuzz(60)
@given(
    text=st.text(min_size=1, max_size=2000),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis", "koi8-r", "gb18030"]),
    declared=st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis", "latin-1", "ascii"]),
    junk=st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=4)),
                  max_size=8),
)  # fmt: skip
def test_invalid_bytes_in_a_declared_charset(
    text: str, encoding: str, declared: str, junk: list[tuple[int, bytes]]
) -> None:
    body = bytearray(text.encode(encoding, errors="replace"))
    for at, chunk in junk:  # invalid sequences, cut characters, stray BOMs
        body[at % (len(body) + 1) : at % (len(body) + 1)] = chunk
    decoded = decode_bytes(bytes(body), f"text/html; charset={declared}")
    assert isinstance(decoded, str)
    data = page_json(bytes(body), f"text/plain; charset={declared}")
    check(in_time(lambda: handle(data), len(data)))


GZIPPED = gzip.compress(ARTICLE.encode() * 20)


@FUZZ
@given(st.integers(min_value=0, max_value=len(GZIPPED)), st.booleans())
@example(0, True)
@example(10, True)
@example(len(GZIPPED) - 8, True)  # no CRC and size trailer
@example(len(GZIPPED), False)
def test_gzip_bodies_are_rejected_not_misread(cut: int, declared: bool) -> None:
    """The contract has no content encoding: `content_b64` holds the page's bytes. A gzipped
    (or truncated gzip) body is binary, so it must be rejected, never extracted as text."""
    headers = {"Content-Encoding": "gzip"} if declared else {}
    data = page_json(GZIPPED[:cut], headers=headers)
    outcome = check(in_time(lambda: handle(data), len(data)))
    assert isinstance(outcome, PageRejected), outcome


def test_a_page_over_the_size_limit_is_rejected_without_decoding() -> None:
    body = b"\x00" * (11 * 1024 * 1024)
    data = page_json(body)
    outcome = check(in_time(lambda: handle(data), len(data)))
    assert isinstance(outcome, PageRejected) and outcome.reason == "too_large"
