"""trafilatura doing what `pagewire extract FILE...` does: each page file in, one JSON line out.

    python -m bench.trafilatura_files FILE...

For `bench.process_speed`: every file is read (gunzipped when it is gzip) and handed to
`trafilatura.extract(with_metadata=True, output_format="json")` with the same `file://` URL
`pagewire extract` gives it; a page trafilatura finds nothing in prints `null`. Nothing else
is imported, so the process costs what trafilatura costs.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import trafilatura


def main(paths: list[str]) -> int:
    out = sys.stdout
    for item in paths:
        path = Path(item)
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        found = trafilatura.extract(
            data, url=path.resolve().as_uri(), with_metadata=True, output_format="json"
        )
        out.write(found or "null")
        out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
