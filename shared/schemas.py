"""JSON Schema of every wire event, generated from the Pydantic models.

`python -m shared.schemas docs/schemas` writes one file per event; a test checks they are current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from shared.events import PageDeadLettered, PageExtracted, PageFetched, PageRejected

EVENTS: dict[str, type[BaseModel]] = {
    "page.fetched": PageFetched,
    "page.extracted": PageExtracted,
    "page.rejected": PageRejected,
    "page.dead_lettered": PageDeadLettered,
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(mode="validation"), indent=2, sort_keys=True) + "\n"


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, model in EVENTS.items():
        path = folder / f"{kind}.schema.json"
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for out in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(out)
