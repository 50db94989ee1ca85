"""Turn a raw page's bytes into text: charset from the HTTP header, BOM or meta tag, else detected.

Pure functions, no I/O. Invalid bytes never raise: they become U+FFFD.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_META_WINDOW = 4096
_DETECT_WINDOW = 64 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type.encode("latin-1", "replace"))
    return _known(match.group(1).decode("ascii")) if match else None


def _known(name: str) -> str | None:
    """A text encoding that decodes any bytes with errors="replace"; not zlib, rot13, idna."""
    try:
        found = codecs.lookup(name).name
        b"\xff<a".decode(found, errors="replace")
    except (LookupError, UnicodeError):
        return None
    return found


def _from_bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _from_meta(data: bytes) -> str | None:
    head = data[:_META_WINDOW]
    for match in re.finditer(rb"<meta[^>]+>", head, re.IGNORECASE):
        found = _CHARSET_PARAM.search(match.group(0))
        if found:
            name = _known(found.group(1).decode("ascii", "replace"))
            if name:
                # A page served as bytes cannot really be UTF-16 if its meta tag is ASCII.
                return "utf-8" if name.startswith("utf-16") else name
    return None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as Windows-1252 (pages that mix the two)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="replace"), error.end


codecs.register_error("pagewire-cp1252", _cp1252_fallback)


def _mostly_utf8(data: bytes) -> bool:
    """True when UTF-8 fails only on a few stray bytes (a page that mixes encodings)."""
    sample = data[:_DETECT_WINDOW]
    decoded = sample.decode("utf-8", errors="replace")
    multibyte = sum(1 for c in decoded if ord(c) > 0x7F and c != "\ufffd")
    return decoded.count("\ufffd") * 2 <= multibyte


def decode_bytes(data: bytes, content_type: str | None = None, is_html: bool = True) -> str:
    """Decode page bytes: declared charset (header), BOM, <meta charset>, UTF-8, detection.

    UTF-8 pages with a few stray Windows-1252 bytes keep those as the characters they meant.
    """
    bom = _from_bom(data)
    if bom:
        return data[bom[1] :].decode(bom[0], errors="replace")
    declared = charset_from_content_type(content_type) or (_from_meta(data) if is_html else None)
    if declared:
        if declared in ("iso8859-1", "ascii"):
            declared = "cp1252"  # what browsers do (WHATWG encoding standard)
        errors = "pagewire-cp1252" if declared == "utf-8" else "replace"
        return data.decode(declared, errors=errors)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if _mostly_utf8(data):
            return data.decode("utf-8", errors="pagewire-cp1252")
    encoding = _detect(data[:_DETECT_WINDOW])
    logger.debug("detected charset %s", encoding)
    return data.decode(encoding, errors="replace")


def _detect(sample: bytes) -> str:
    """The detector's best guess; Windows-1252 when it fits as well (the web's default)."""
    results = from_bytes(sample)
    best = results.best()
    if best is None:
        return "cp1252"
    for match in results:
        if (
            match.encoding == "cp1252"
            and match.chaos <= best.chaos + 0.01
            and match.coherence >= best.coherence - 0.01
        ):
            return "cp1252"
    return str(best.encoding)
