"""What a `__data__` value holds: plain JSON (the contract) or FastStream's binary envelope."""

from __future__ import annotations

import json

from faststream.redis.parser.binary import BinaryMessageFormatV1
from faststream.redis.parser.message import MessageFormat

from runtime.delivery import WireFormat, _entry, require_body
from shared.errors import InvalidMessage


async def test_faststreams_binary_envelope_is_unwrapped() -> None:
    page = json.dumps({"url": "u", "content": "x"}).encode()
    envelope = await BinaryMessageFormatV1.encode(
        message=page, reply_to=None, headers={"h": "1"}, correlation_id="c"
    )
    assert WireFormat.parse(envelope)[0] == page


def test_plain_json_is_taken_as_it_is_even_when_it_looks_like_an_old_envelope() -> None:
    data = json.dumps({"data": "not the page", "headers": {}, "url": "u"}).encode()
    assert WireFormat.parse(data) == (data, {})
    assert issubclass(WireFormat, MessageFormat)


def test_an_entry_without_the_data_field_is_invalid() -> None:
    entry = _entry(b"1-0", {b"payload": b"x"})
    assert entry.entry_id == "1-0"
    try:
        require_body(entry)
    except InvalidMessage as exc:
        assert "__data__" in str(exc) and "payload" in str(exc)
    else:
        raise AssertionError("an entry without __data__ must be invalid")
