"""The wire contract of pagewire: versioned event schemas and stream names.

Nothing here connects to anything; both services and any producer share these models.
"""

from shared.events import (
    SCHEMA_VERSION,
    ExtractionEvent,
    PageDeadLettered,
    PageExtracted,
    PageFetched,
    PageRejected,
)
from shared.streams import Streams

__all__ = [
    "SCHEMA_VERSION",
    "ExtractionEvent",
    "PageDeadLettered",
    "PageExtracted",
    "PageFetched",
    "PageRejected",
    "Streams",
]
