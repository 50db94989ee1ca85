"""The extraction engine's version, stamped on every `page.extracted` (`engine_version`).

Raise it with any change to the engines or their models that changes what they extract: the
indexer then replaces each article by its re-extraction when the page is published again
(`pagewire replay` of the archive), and never a newer engine's article by an older one's.
"""

from __future__ import annotations

ENGINE_VERSION = 1
"""1: the first versioned engine (events without the field read as 0)."""
