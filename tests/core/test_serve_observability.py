"""`pazar serve` with PAZAR_LOG_FORMAT=json: JSON lines from every process, with request and batch
ids, and /metrics adding up the samples of the web processes and the task worker."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.core.test_serve import free_port


def wait_for(check, timeout=60.0, explain=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except requests.RequestException:  # not up yet, or busy booting
            result = None
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out\n{explain()}")


def samples_of(text: str) -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_serve_writes_json_lines_and_aggregates_metrics_across_processes(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PAZAR_", "PROMETHEUS_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env |= {"PAZAR_DATA_DIR": str(tmp_path), "PAZAR_LOG_FORMAT": "json", "PAZAR_RATE_LIMITS": "off"}
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "pazar", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: requests.get(f"{base}/health/", timeout=10).status_code == 200,
            explain=lambda: log_path.read_text()[-3000:],
        )
        subprocess.run(
            [sys.executable, "-m", "pazar", "createseller", "--name", "acme", "--username",
             "acme", "--password", "a long passphrase", "--email", "acme@example.com"],
            env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        access = requests.post(
            f"{base}/seller-center/api/i1/token/obtain/",
            json={"email": "acme@example.com", "password": "a long passphrase"},
            timeout=10,
        ).json()["access"]
        auth = {"Authorization": f"Bearer {access}"}
        for _ in range(12):
            assert requests.get(f"{base}/seller-center/api/i1/languages/", headers=auth).ok
        row = {"sku": "NOPE", "stock_list": str(uuid.uuid4()), "stock": "1", "unit_type": "qty"}
        accepted = requests.post(
            f"{base}/seller-center/api/i2/products/stocks/",
            json=[row],
            headers={**auth, "X-Request-ID": "live-request-1"},
            timeout=10,
        )
        assert accepted.status_code == 202
        assert accepted.headers["X-Request-ID"] == "live-request-1"
        batch_id = accepted.json()["batch_request_id"]
        batch_url = f"{base}/seller-center/api/i2/products/batch-requests/{batch_id}"
        wait_for(lambda: requests.get(batch_url, headers=auth).json()["status"] == 3)

        metrics = requests.get(f"{base}/metrics", timeout=10)
        samples = samples_of(metrics.text)

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    languages = (
        ("method", "GET"),
        ("route", "seller-center/api/i1/languages/"),
        ("site", "seller-center"),
        ("status", "200"),
    )
    assert samples[("pazar_http_request_duration_seconds_count", languages)] == 12
    # Observed by the task worker, read through a web process.
    assert (
        samples[("pazar_batch_rows_total", (("kind", "stock_upsert"), ("outcome", "failed")))] == 1
    )
    assert samples[("pazar_batch_duration_seconds_count", (("kind", "stock_upsert"),))] == 1
    assert samples[("pazar_workers_alive", ())] == 1
    assert samples[("pazar_batches_open", (("status", "waiting"),))] == 0

    output = log_path.read_text().splitlines()
    lines = [json.loads(line) for line in output if line.startswith("{")]
    [accepted_line] = [
        line
        for line in lines
        if line["logger"] == "pazar.access" and line.get("request_id") == "live-request-1"
    ]
    assert accepted_line["status"] == 202
    assert accepted_line["route"] == "seller-center/api/i2/products/stocks/"
    [completed] = [
        line
        for line in lines
        if line["logger"] == "pazar.batches.services" and "completed" in line["message"]
    ]
    assert completed["batch_id"] == batch_id
    assert completed["rows_failed"] == 1
    assert any(line["logger"] == "_granian" for line in lines)
    # Whatever is not JSON is the banner and the supervisor speaking to the terminal.
    assert not [
        line
        for line in output
        if line and not line.startswith(("{", "Pazar ", "  ", "Serving ", "Press ", "Worker "))
    ]
