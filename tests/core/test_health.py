import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from pazar.core.models import WorkerHeartbeat

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
    assert body["worker"]["queued"] == 0


def test_health_says_degraded_when_no_worker_reported_lately(api_client):
    beat(age=timedelta(minutes=5))

    response = api_client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["status"] == "unavailable"
    assert response.json()["worker"]["alive"] == 0


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
