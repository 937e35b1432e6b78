import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pazar.batches.models import BatchKind, BatchRequest, BatchStatus
from pazar.callbacks.tasks import deliver_callback
from pazar.core.models import WorkerHeartbeat
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db


def beat(worker_id="w1", age=timedelta(0)):
    now = timezone.now() - age
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="h", pid=1, started_at=now, last_seen=now
    )


def test_health_is_200_with_database_and_worker_state(api_client):
    beat()

    response = api_client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["alive"] == 1
    assert body["worker"]["last_seen"].endswith("Z")
    assert 0 <= body["worker"]["last_seen_seconds"] < 5
    assert body["worker"]["queued"] == 0
    assert body["worker"]["lag_seconds"] == 0
    assert body["worker"]["max_lag_seconds"] == 300
    assert body["batches"] == {
        "waiting": 0,
        "processing": 0,
        "oldest_waiting_seconds": 0,
        "overdue": [],
        "max_processing_seconds": 60,
    }
    assert "problems" not in body


def test_health_is_503_degraded_when_no_worker_reported_lately(api_client):
    beat(age=timedelta(minutes=5))

    response = api_client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["status"] == "unavailable"
    assert body["worker"]["alive"] == 0
    assert 299 < body["worker"]["last_seen_seconds"] < 310
    assert body["problems"] == ["No worker has reported in the last 60 seconds."]


def test_health_is_503_degraded_when_no_worker_ever_started(api_client):
    response = api_client.get("/health/")

    assert response.status_code == 503
    assert response.json()["worker"]["last_seen"] is None
    assert response.json()["worker"]["last_seen_seconds"] is None


def waiting_batch(age: timedelta, status=BatchStatus.WAITING) -> BatchRequest:
    batch = BatchRequest.objects.create(
        seller=SellerFactory(), kind=BatchKind.STOCK_UPSERT, total=1, status=status
    )
    BatchRequest.objects.filter(pk=batch.pk).update(created_at=timezone.now() - age)
    return batch


def test_health_reports_the_batch_queue_and_its_lag(api_client):
    beat()
    waiting_batch(timedelta(seconds=90))
    waiting_batch(timedelta(seconds=10))
    waiting_batch(timedelta(hours=2), status=BatchStatus.PROCESSING)  # being applied: no lag
    waiting_batch(timedelta(days=2), status=BatchStatus.COMPLETED)

    response = api_client.get("/health/")

    assert response.status_code == 200
    batches = response.json()["batches"]
    assert (batches["waiting"], batches["processing"]) == (2, 1)
    assert 90 <= batches["oldest_waiting_seconds"] < 100
    assert response.json()["worker"]["lag_seconds"] == batches["oldest_waiting_seconds"]


def test_health_is_503_when_a_batch_waited_longer_than_the_limit(api_client, settings):
    settings.PAZAR_HEALTH_MAX_LAG_SECONDS = 60
    beat()
    waiting_batch(timedelta(seconds=90))

    response = api_client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["status"] == "ok"
    lag = body["worker"]["lag_seconds"]  # 90, or a little more on a slow machine
    assert 90 <= lag < 95
    assert body["problems"] == [
        f"Work has waited {lag:.0f} seconds, longer than 60 (PAZAR_HEALTH_MAX_LAG_SECONDS)."
    ]


def test_health_counts_a_ready_task_nobody_took_as_lag(api_client, settings):
    settings.PAZAR_HEALTH_MAX_LAG_SECONDS = 60
    beat()
    result = deliver_callback.enqueue(callback_id=0)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=3)
    )

    response = api_client.get("/health/")

    assert response.status_code == 503
    worker = response.json()["worker"]
    assert worker["queued"] == 1
    assert 180 <= worker["lag_seconds"] < 190


def processing_batch(*, started: timedelta, lease_ends: timedelta, worker="host-4242"):
    """A batch claimed `started` ago whose lease ends `lease_ends` from now (negative: ended)."""
    now = timezone.now()
    return BatchRequest.objects.create(
        seller=SellerFactory(),
        kind=BatchKind.PRODUCT_UPSERT,
        total=1000,
        status=BatchStatus.PROCESSING,
        attempts=1,
        leased_by=worker,
        started_at=now - started,
        lease_expires_at=now + lease_ends,
    )


def test_a_batch_being_applied_within_its_lease_is_not_a_problem(api_client):
    beat()
    processing_batch(started=timedelta(seconds=5), lease_ends=timedelta(seconds=8))
    # between two renewals a lease may have just run out: takeover comes within seconds
    processing_batch(started=timedelta(seconds=12), lease_ends=timedelta(seconds=-3))

    response = api_client.get("/health/")

    assert response.status_code == 200
    assert response.json()["batches"]["overdue"] == []


def test_health_names_a_batch_whose_lease_ran_out_and_nobody_took_over(api_client, settings):
    settings.PAZAR_BATCH_LEASE_SECONDS = 10
    beat()
    batch = processing_batch(started=timedelta(seconds=40), lease_ends=timedelta(seconds=-25))

    response = api_client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    [overdue] = body["batches"]["overdue"]
    assert {k: v for k, v in overdue.items() if not k.endswith("_seconds")} == {
        "id": str(batch.pk),
        "seller_id": str(batch.seller_id),
        "kind": "product_upsert",
        "attempts": 1,
        "leased_by": "host-4242",
    }
    assert 40 <= overdue["processing_seconds"] < 45
    assert 25 <= overdue["lease_expired_seconds"] < 30
    assert body["problems"] == [
        f"Batch {batch.pk} has been processing for 40 seconds; its lease ran out 25 seconds ago "
        "and no worker has taken it over."
    ]


def test_health_names_a_batch_processing_longer_than_the_limit(api_client, settings):
    settings.PAZAR_HEALTH_MAX_PROCESSING_SECONDS = 60
    beat()
    processing_batch(started=timedelta(seconds=30), lease_ends=timedelta(seconds=9))
    slow = processing_batch(started=timedelta(seconds=90), lease_ends=timedelta(seconds=9))

    response = api_client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    [overdue] = body["batches"]["overdue"]
    assert (overdue["id"], overdue["lease_expired_seconds"]) == (str(slow.pk), 0)
    seconds = overdue["processing_seconds"]  # 90, or a little more on a slow machine
    assert 90 <= seconds < 95
    assert body["problems"] == [
        f"Batch {slow.pk} has been processing for {seconds:.0f} seconds, longer than 60 "
        "(PAZAR_HEALTH_MAX_PROCESSING_SECONDS)."
    ]


def test_the_web_scope_reports_the_database_only_and_ignores_the_workers(api_client):
    beat(age=timedelta(minutes=5))
    waiting_batch(timedelta(hours=1))

    response = api_client.get("/health/", {"scope": "web"})

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"status": "ok", "vendor": response.json()["database"]["vendor"]},
    }


def test_health_only_answers_get(api_client):
    response = api_client.post("/health/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.', "code": "method_not_allowed"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    # A real, separate process whose database is a PostgreSQL port nobody listens on.
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/health/')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pazar.settings",
        "PAZAR_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://pazar@127.0.0.1:9/pazar",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    status, _, body = result.stdout.strip().partition(" ")
    assert status == "503", result.stderr
    assert '"status": "unavailable"' in body
    assert '"database": {"status": "unavailable"' in body
