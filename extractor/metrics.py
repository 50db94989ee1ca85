"""The extractor's Prometheus metrics (`runtime.metrics` has the ones every consumer has).

Served on a port of each extractor's own (`PAGEWIRE_EXTRACTOR_METRICS_PORT`): replicas are
separate processes, and Prometheus sums them. docs/operations.md lists them with alerts.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from runtime.metrics import ServiceMetrics
from shared.events import ExtractionEvent, PageExtracted, PageRejected

# From a 2 ms page to a 10 MB table: the engine's median is about 10-20 ms a page.
EXTRACTION_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


class ExtractorMetrics(ServiceMetrics):
    def __init__(self) -> None:
        super().__init__("extractor")
        self.pages = Counter(
            "pagewire_extractor_pages", "Pages handled, by outcome: extracted, rejected or "
            "dead_lettered.", ["outcome"], registry=self.registry,
        )  # fmt: skip
        self.rejected = Counter(
            "pagewire_extractor_rejected", "Pages rejected, by reason (the event's `reason`).",
            ["reason"], registry=self.registry,
        )  # fmt: skip
        self.seconds = Histogram(
            "pagewire_extraction_seconds", "Time to extract one page, by engine and page type "
            "(`none` when rejected).", ["engine", "page_type"], buckets=EXTRACTION_BUCKETS,
            registry=self.registry,
        )  # fmt: skip
        for outcome in ("extracted", "rejected", "dead_lettered"):  # zeros show from the start
            self.pages.labels(outcome=outcome)

    def observe(self, event: ExtractionEvent, engine: str, seconds: float) -> None:
        if isinstance(event, PageExtracted):
            self.pages.labels(outcome="extracted").inc()
            page_type: str = event.page_type
        else:
            assert isinstance(event, PageRejected)
            self.pages.labels(outcome="rejected").inc()
            self.rejected.labels(reason=event.reason).inc()
            page_type = "none"
        self.seconds.labels(engine=engine, page_type=page_type).observe(seconds)

    def count_dead_letter(self, error_type: str) -> None:
        super().count_dead_letter(error_type)
        self.pages.labels(outcome="dead_lettered").inc()
