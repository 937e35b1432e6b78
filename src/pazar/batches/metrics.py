"""The batch queue's gauges at `/metrics`, registered with `pazar.core.metrics` by BatchesConfig."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from pazar.batches.selectors import batch_queue


def batch_gauges() -> list[GaugeMetricFamily]:
    batches = batch_queue()
    open_batches = GaugeMetricFamily(
        "pazar_batches_open", "Batch requests not yet ended, by status.", labels=["status"]
    )
    open_batches.add_metric(["waiting"], batches["waiting"])
    open_batches.add_metric(["processing"], batches["processing"])
    oldest = GaugeMetricFamily(
        "pazar_batch_oldest_waiting_seconds",
        "Age of the oldest waiting batch request (0 when none waits).",
        value=batches["oldest_waiting_seconds"],
    )
    return [open_batches, oldest]
