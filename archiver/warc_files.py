"""Rotating WARC files in a folder: records appended one gzip member each, fsynced.

`append` returns only once the records are on disk (the file's data fsynced, and the folder
once more after a file is created, so that the new name survives a power cut too): the
archiver acknowledges a page after that and not before. A file is closed, and the next one
begun, when a write finds it at `max_bytes` or older than `max_age_s`; files are never
reopened, so a crash mid-write leaves at most a torn last member in that file, which readers
report and step over (`archiver.warc.read`), and nothing acknowledged is in it.

Names: `<prefix>-<UTC time to the microsecond>-<sequence>.warc.gz`, so that the files of one
archiver sort in the order they were written.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from zlib_ng import zlib_ng

__all__ = ["WarcFiles"]

logger = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class WarcFiles:
    def __init__(
        self,
        folder: Path,
        prefix: str,
        max_bytes: int,
        max_age_s: float,
        *,
        compression_level: int = 6,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = folder
        self.prefix = _UNSAFE.sub("_", prefix)
        self.max_bytes = max_bytes
        self.max_age_s = max_age_s
        self.level = compression_level
        self.clock = clock
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._opened = 0.0
        self._size = 0
        self._sequence = 0

    @property
    def current(self) -> Path | None:
        """The file being written, if any."""
        return self._path

    def append(self, records: Sequence[bytes]) -> None:
        """Gzip each record as a member of its own, write them and fsync."""
        if not records:
            return
        members = b"".join(_gzip_member(record, self.level) for record in records)
        out = self._writable()
        out.write(members)
        out.flush()
        os.fsync(out.fileno())
        self._size += len(members)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            logger.info("closed %s (%d bytes)", self._path, self._size)
        self._file, self._path = None, None

    def _writable(self) -> BinaryIO:
        due = self._size >= self.max_bytes or self.clock() - self._opened >= self.max_age_s
        if self._file is not None and due:
            self.close()
        if self._file is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._sequence += 1
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            self._path = self.folder / f"{self.prefix}-{stamp}-{self._sequence:05d}.warc.gz"
            self._file = self._path.open("xb")
            self._opened, self._size = self.clock(), 0
            _fsync_folder(self.folder)
            logger.info("writing %s", self._path)
        return self._file


def _gzip_member(data: bytes, level: int) -> bytes:
    """One gzip member, by zlib-ng: the same format as zlib's, made faster (at level 1 its
    output is larger than zlib's, about as large as zlib's at level 2 or 3)."""
    return zlib_ng.compress(data, level, wbits=31)  # 31: a gzip header and trailer


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
