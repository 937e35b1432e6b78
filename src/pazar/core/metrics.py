"""Prometheus metrics, served at `/metrics` (docs/reliability.md, "Metrics").

Counters and histograms are kept by the process that observes them. `pazar serve` runs several
web processes and a worker, so it points `PROMETHEUS_MULTIPROC_DIR` at a directory they share
and the scrape adds up every process's files there (prometheus-client's multiprocess mode).
Queue depth and worker liveness are read from the database at scrape time, so they are right
whichever process or machine answers the scrape.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUEST_DURATION = Histogram(
    "pazar_http_request_duration_seconds",
    "Time to answer an HTTP request, by site, route, method and status.",
    ["site", "route", "method", "status"],
)
BATCH_ROWS = Counter(
    "pazar_batch_rows",
    "Rows of batch requests applied by workers, by kind and outcome (succeeded or failed).",
    ["kind", "outcome"],
)
BATCH_DURATION = Histogram(
    "pazar_batch_duration_seconds",
    "Time a worker spent applying one batch request, by kind.",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
BATCHES_ENDED = Counter(
    "pazar_batches_ended",
    "Batch requests that ended, by kind and status (completed or failed).",
    ["kind", "status"],
)
ORDER_ITEMS_OVERSOLD = Counter(
    "pazar_order_items_oversold",
    "Order items recorded at intake with no stock left for them, by channel.",
    ["channel"],
)


# Gauges of the apps above core, read from the database at scrape time: each a function
# returning metric families. Apps register theirs from their AppConfig.ready()
# (`register_gauges`), so core imports none of them.
GAUGES: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def register_gauges(read: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    if read not in GAUGES:
        GAUGES.append(read)


class QueueCollector:
    """Gauges computed from the database when scraped: queue depth and worker liveness."""

    def collect(self):
        from django.db import DatabaseError

        from pazar.core.selectors import worker_status

        up = GaugeMetricFamily("pazar_database_up", "1 when the database answered the scrape.")
        try:
            worker = worker_status()
            registered = [list(read()) for read in GAUGES]
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        for families in registered:
            yield from families
        yield GaugeMetricFamily(
            "pazar_tasks_ready",
            "Background tasks ready to run and not yet taken by a worker.",
            value=worker["queued"],
        )
        yield GaugeMetricFamily(
            "pazar_task_oldest_ready_seconds",
            "Age of the oldest ready background task (0 when none is ready).",
            value=worker["oldest_queued_seconds"],
        )
        yield GaugeMetricFamily(
            "pazar_workers_alive",
            "Workers whose heartbeat is fresher than PAZAR_WORKER_STALE_SECONDS.",
            value=worker["alive"],
        )
        if worker["last_seen_seconds"] is not None:
            yield GaugeMetricFamily(
                "pazar_worker_heartbeat_age_seconds",
                "Seconds since the most recent worker heartbeat.",
                value=worker["last_seen_seconds"],
            )


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        observed = generate_latest(registry)
    else:
        observed = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(QueueCollector())
    return observed + generate_latest(scraped), CONTENT_TYPE_LATEST
