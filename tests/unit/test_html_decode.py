"""Charset handling: declared, BOM, meta, detection, mixed UTF-8/Windows-1252, no mojibake."""

from __future__ import annotations

import codecs

from extractor.decode import decode_bytes

TEXT = "Grüße aus Köln – “Straßenfest” am Wochenende, façade, naïve"


def test_header_charset_wins() -> None:
    data = TEXT.encode("cp1252")
    assert decode_bytes(data, "text/html; charset=windows-1252") == TEXT


def test_latin1_is_read_as_windows_1252() -> None:
    data = f"<meta charset='iso-8859-1'><p>{TEXT}</p>".encode("cp1252")
    assert TEXT in decode_bytes(data)


def test_bom() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode()) == TEXT
    assert decode_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")) == TEXT


def test_undeclared_utf8() -> None:
    assert decode_bytes(TEXT.encode()) == TEXT


def test_undeclared_single_byte_page_is_detected() -> None:
    page = ("<html><body><p>" + TEXT * 20 + "</p></body></html>").encode("cp1252")
    decoded = decode_bytes(page)
    assert TEXT in decoded
    assert "Ã" not in decoded


def test_utf8_page_with_stray_windows_1252_bytes() -> None:
    data = TEXT.encode() + " Grüße".encode("cp1252")
    decoded = decode_bytes(data, "text/html; charset=utf-8")
    assert decoded == TEXT + " Grüße"
    assert "\ufffd" not in decoded


def test_invalid_bytes_never_raise() -> None:
    assert isinstance(decode_bytes(bytes(range(256)) * 10), str)
    assert isinstance(decode_bytes(b"\xff\xfe\x00", "text/html; charset=bogus-charset"), str)
