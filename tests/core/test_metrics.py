"""Prometheus metrics at /metrics: who may read them, and the series requests and batches leave.

Counters live as long as the test process, so tests compare a series before and after.
The multiprocess mode of `pazar serve` is covered by tests/core/test_serve_observability.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from pazar.batches.models import BatchKind, BatchRequest, BatchStatus
from pazar.core.models import WorkerHeartbeat
from tests.batches.helpers import (
    PRODUCTS,
    STOCKS,
    accept,
    build_catalog,
    product_row,
    run_ready_tasks,
    stock_row,
)
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db

LANGUAGES_ROUTE = "seller-center/api/i1/languages/"


def scrape(client, **headers) -> dict[tuple, float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_request_latency_is_counted_per_site_route_method_and_status(api_client, seller_client):
    labels = {"site": "seller-center", "route": LANGUAGES_ROUTE, "method": "GET"}
    before = scrape(api_client)

    for _ in range(3):
        assert seller_client.get("/seller-center/api/i1/languages/").status_code == 200
    assert api_client.get("/seller-center/api/i1/languages/").status_code == 401
    after = scrape(api_client)

    count = "pazar_http_request_duration_seconds_count"
    assert (
        value(after, count, **labels, status="200") - value(before, count, **labels, status="200")
        == 3
    )
    assert (
        value(after, count, **labels, status="401") - value(before, count, **labels, status="401")
        == 1
    )
    bucket = "pazar_http_request_duration_seconds_bucket"
    assert value(after, bucket, **labels, status="200", le="+Inf") >= 3


def test_routes_are_url_patterns_and_unknown_paths_share_one_label(api_client, seller_client):
    batch = "/seller-center/api/i2/products/batch-requests/00000000-0000-0000-0000-000000000001/"
    seller_client.get(batch)
    seller_client.get("/nowhere/at/all/")

    samples = scrape(api_client)

    count = "pazar_http_request_duration_seconds_count"
    routes = {dict(labels)["route"] for name, labels in samples if name == count}
    assert "seller-center/api/i2/products/batch-requests/<uuid:id>/" in routes
    assert "(unmatched)" in routes
    assert not [route for route in routes if "00000000" in route]


def test_batches_add_their_rows_and_duration_by_kind(api_client, seller_client):
    catalog = build_catalog(seller_client.seller)
    before = scrape(api_client)

    accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1"), product_row(catalog, "TS-2")])
    accept(
        seller_client, STOCKS, [stock_row(catalog, "TS-1", "4"), stock_row(catalog, "NOPE", "1")]
    )
    run_ready_tasks("default")
    after = scrape(api_client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    rows = "pazar_batch_rows_total"
    assert delta(rows, kind="product_upsert", outcome="succeeded") == 2
    assert delta(rows, kind="product_upsert", outcome="failed") == 0
    assert delta(rows, kind="stock_upsert", outcome="succeeded") == 1
    assert delta(rows, kind="stock_upsert", outcome="failed") == 1
    assert delta("pazar_batch_duration_seconds_count", kind="product_upsert") == 1
    assert delta("pazar_batch_duration_seconds_count", kind="stock_upsert") == 1
    assert delta("pazar_batch_duration_seconds_sum", kind="stock_upsert") > 0
    assert delta("pazar_batches_ended_total", kind="stock_upsert", status="completed") == 1


def test_queue_depth_and_worker_liveness_are_read_at_scrape_time(api_client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, last_seen=now - timedelta(seconds=4)
    )
    WorkerHeartbeat.objects.create(
        worker_id="w2", hostname="h", pid=2, started_at=now, last_seen=now - timedelta(minutes=9)
    )
    seller = SellerFactory()
    for status in [BatchStatus.WAITING, BatchStatus.WAITING, BatchStatus.PROCESSING]:
        BatchRequest.objects.create(seller=seller, kind=BatchKind.PRICE_UPSERT, status=status)
    BatchRequest.objects.filter(status=BatchStatus.WAITING).update(
        created_at=now - timedelta(seconds=30)
    )

    samples = scrape(api_client)

    assert value(samples, "pazar_database_up") == 1
    assert value(samples, "pazar_batches_open", status="waiting") == 2
    assert value(samples, "pazar_batches_open", status="processing") == 1
    assert 30 <= value(samples, "pazar_batch_oldest_waiting_seconds") < 40
    # Each accepted batch queued a task; none ran.
    assert value(samples, "pazar_tasks_ready") == 0
    assert value(samples, "pazar_workers_alive") == 1
    assert 4 <= value(samples, "pazar_worker_heartbeat_age_seconds") < 10


def test_accepted_batches_show_as_ready_tasks_until_a_worker_takes_them(api_client, seller_client):
    catalog = build_catalog(seller_client.seller)
    accept(seller_client, STOCKS, [stock_row(catalog, "A", "1")])
    accept(seller_client, STOCKS, [stock_row(catalog, "B", "1")])

    waiting = scrape(api_client)
    run_ready_tasks("default")
    done = scrape(api_client)

    assert value(waiting, "pazar_tasks_ready") == 2
    assert value(waiting, "pazar_batches_open", status="waiting") == 2
    assert value(done, "pazar_tasks_ready") == 0
    assert value(done, "pazar_batches_open", status="waiting") == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "10.1.2.3"},
        # A reverse proxy on this machine relays other clients' requests.
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_FORWARDED": "for=203.0.113.9"},
        {"HTTP_X_REAL_IP": "203.0.113.9"},
    ],
)
def test_metrics_are_refused_to_anyone_but_direct_loopback_clients(api_client, headers):
    response = api_client.get("/metrics", **headers)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_with_a_metrics_token_only_its_bearer_reads_metrics(api_client, settings):
    settings.PAZAR_METRICS_TOKEN = "s3cret-token"

    local_without = api_client.get("/metrics")
    wrong = api_client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    remote_with = api_client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token"
    )

    assert local_without.status_code == 403
    assert wrong.status_code == 403
    assert remote_with.status_code == 200
    assert b"pazar_workers_alive" in remote_with.content


def test_metrics_only_answer_get(api_client):
    response = api_client.post("/metrics")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
