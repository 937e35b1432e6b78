"""The batch engine's promises: a seller's batches apply in order, exactly once, by one worker at
a time; a worker that dies is taken over; broken batches end failed; sellers hear about the end
through a signed callback; the files are there to download.

Tasks run through django-tasks-db's real rows and `Worker.run_task`; the crash test runs real
`pazar worker` processes on an SQLite data directory of its own.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import signing
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from pazar.batches import files
from pazar.batches.models import BatchKind, BatchRequest, BatchStatus
from pazar.batches.services import (
    batch_accept,
    batch_apply,
    batch_claim_next,
    batch_recover,
    batch_run,
    worker_identity,
)
from pazar.batches.tasks import process_batch
from pazar.callbacks.models import Callback
from pazar.callbacks.services import callback_deliver
from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock
from pazar.pricing.models import ProductPrice
from tests.batches.helpers import (
    BATCH,
    PRODUCTS,
    STOCKS,
    CallbackServer,
    accept,
    build_catalog,
    callback_tasks,
    product_row,
    run_ready_tasks,
    stock_row,
    tasks_of,
)
from tests.factories import SellerMembershipFactory, seller_token

REPO = Path(__file__).resolve().parents[2]
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@pytest.fixture(autouse=True)
def batch_storage(settings, tmp_path):
    """Batch files go to a directory of the test's own (and can be corrupted there)."""
    location = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture
def seller(seller_membership):
    return seller_membership.seller


@pytest.fixture
def other_client(db):
    membership = SellerMembershipFactory()
    _, key = seller_token(membership)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.seller = membership.seller
    return client


@pytest.fixture
def catalog(seller, other_client):
    return build_catalog(seller, other_client.seller)


def expire_lease(batch_id) -> None:
    """What the clock does to a dead worker's claim: the lease and the last enqueue are past."""
    past = timezone.now() - timedelta(seconds=5)
    BatchRequest.objects.filter(pk=batch_id).update(lease_expires_at=past, last_enqueued_at=past)


def state(batch_id) -> tuple:
    batch = BatchRequest.objects.get(pk=batch_id)
    return batch.status, batch.total, batch.succeeded, batch.failed


def stored(name: str):
    return files.read_json(name)


# --- 1. ordering ----------------------------------------------------------------------------


def test_a_stock_update_sent_right_after_the_upsert_creating_its_sku_applies_after_it(
    seller_client, catalog
):
    # given: PRD101 creates the SKU, PRD106 updates its stock, both accepted before any work
    upsert_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD", stock="5")])
    stocks_id = accept(seller_client, STOCKS, [stock_row(catalog, "TS-1-RD", "42")])

    # when: the stock update's task happens to run first
    batch_run(batch_id=stocks_id)

    # then: the upsert was applied before it, so the stock update found its SKU
    upsert = BatchRequest.objects.get(pk=upsert_id)
    stocks = BatchRequest.objects.get(pk=stocks_id)
    assert state(upsert_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert state(stocks_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert upsert.finished_at <= stocks.started_at
    product = Product.objects.get(seller=seller_client.seller, sku="TS-1-RD")
    assert stored(stocks.success_file) == [{"index": 0, "sku": "TS-1-RD", "id": str(product.uuid)}]
    assert stored(stocks.error_file) == []
    assert ProductStock.objects.get(product=product).stock == Decimal("42")
    response = seller_client.get(f"{BATCH}{stocks_id}")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["state"]) == (
        3,
        {"total": 1, "succeeded": 1, "failed": 0},
    )


def test_the_same_stock_update_applied_before_its_upsert_would_have_failed_its_row(
    seller_client, catalog
):
    """The counterpart of the ordering test: the order is what makes the row succeed."""
    stocks_id = accept(seller_client, STOCKS, [stock_row(catalog, "TS-1-RD", "42")])
    accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD", stock="5")])

    batch_run(batch_id=stocks_id)

    assert state(stocks_id) == (BatchStatus.COMPLETED, 1, 0, 1)
    assert stored(BatchRequest.objects.get(pk=stocks_id).error_file) == [
        {
            "index": 0,
            "sku": "TS-1-RD",
            "row": stock_row(catalog, "TS-1-RD", "42"),
            "errors": {"sku": ['No product with the SKU "TS-1-RD".']},
            "codes": {"sku": ["unknown_sku"]},
        }
    ]
    assert ProductStock.objects.get(product__sku="TS-1-RD").stock == Decimal("5")


def test_a_later_batch_waits_while_an_earlier_one_is_being_applied_by_another_worker(
    seller_client, catalog, seller
):
    upsert_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    stocks_id = accept(seller_client, STOCKS, [stock_row(catalog, "TS-1-RD", "42")])
    held = batch_claim_next(seller_id=seller.pk, worker="busy-worker")
    assert str(held.pk) == upsert_id

    # another worker runs the later batch's task while the first is being applied
    batch_run(batch_id=stocks_id, worker="other-worker")

    stocks = BatchRequest.objects.get(pk=stocks_id)
    assert (stocks.status, stocks.attempts, stocks.leased_by) == (BatchStatus.WAITING, 0, "")
    assert not Product.objects.filter(seller=seller).exists()

    # the holder finishes its batch and goes on to the seller's next one
    batch_apply(batch=held, worker="busy-worker")
    batch_run(batch_id=upsert_id, worker="busy-worker")
    assert state(upsert_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert state(stocks_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert ProductStock.objects.get(product__sku="TS-1-RD").stock == Decimal("42")


def test_another_sellers_batches_neither_wait_for_nor_run_with_this_sellers(
    seller_client, other_client, catalog, seller
):
    mine = accept(seller_client, PRODUCTS, [product_row(catalog, "MINE-1")])
    theirs = accept(other_client, PRODUCTS, [product_row(catalog, "THEIRS-1")])
    batch_claim_next(seller_id=seller.pk, worker="busy-worker")  # mine is being applied

    batch_run(batch_id=theirs)

    assert state(theirs) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert BatchRequest.objects.get(pk=mine).status == BatchStatus.PROCESSING
    assert list(Product.objects.values_list("seller__name", "sku")) == [
        (other_client.seller.name, "THEIRS-1")
    ]

    later = accept(other_client, PRODUCTS, [product_row(catalog, "THEIRS-2")])
    expire_lease(mine)
    batch_run(batch_id=mine)

    assert state(mine) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert BatchRequest.objects.get(pk=later).status == BatchStatus.WAITING


# --- 2. exactly-once effect -----------------------------------------------------------------


SNAPSHOT_FIELDS = ["status", "total", "succeeded", "failed", "attempts", "processed_in", "error",
                   "success_file", "error_file", "started_at", "finished_at", "updated_at",
                   "leased_by", "lease_expires_at"]  # fmt: skip


def snapshot(batch_id) -> dict:
    """Everything a batch leaves behind: its row, its files and the rows it wrote."""
    batch = BatchRequest.objects.get(pk=batch_id)
    return {
        "batch": {name: getattr(batch, name) for name in SNAPSHOT_FIELDS},
        "files": {
            kind: files.open_file(name).read()
            for kind in ("request", "success", "error")
            if (name := getattr(batch, f"{kind}_file"))
        },
        "products": list(Product.objects.order_by("pk").values()),
        "prices": list(ProductPrice.objects.order_by("pk").values()),
        "stocks": list(ProductStock.objects.order_by("pk").values()),
    }


def test_running_a_batch_twice_has_the_effect_of_running_it_once(seller_client, catalog):
    rows = [
        product_row(catalog, "TS-1-RD"),
        product_row(catalog, "TS-1-GR", color="Green"),
        product_row(catalog, "TS-1-BL", color="Blue"),
    ]
    batch_id = accept(seller_client, PRODUCTS, rows)
    batch_run(batch_id=batch_id)
    once = snapshot(batch_id)

    batch_run(batch_id=batch_id)
    [task] = run_ready_tasks("default")  # the task queued when the batch was accepted

    assert task.status == "SUCCESSFUL"
    assert snapshot(batch_id) == once
    assert once["batch"]["status"] == BatchStatus.COMPLETED
    assert (once["batch"]["succeeded"], once["batch"]["failed"], once["batch"]["attempts"]) == (
        2,
        1,
        1,
    )
    assert [p["sku"] for p in once["products"]] == ["TS-1-RD", "TS-1-BL"]
    assert len(once["prices"]) == len(once["stocks"]) == 2


def test_a_completed_batch_is_never_applied_again(seller_client, catalog, seller):
    first = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD", stock="5")])
    batch_run(batch_id=first)
    second = accept(seller_client, STOCKS, [stock_row(catalog, "TS-1-RD", "7")])
    batch_run(batch_id=second)
    done = snapshot(first)

    # every way back into the engine: recovery, a new claim, a duplicate task, a direct run
    assert batch_recover() == 0
    assert batch_claim_next(seller_id=seller.pk, worker="another-worker") is None
    process_batch.enqueue(batch_id=first)
    assert [task.status for task in run_ready_tasks("default")] == ["SUCCESSFUL"] * 3
    batch_run(batch_id=first, worker="another-worker")

    assert snapshot(first) == done
    assert ProductStock.objects.get(product__sku="TS-1-RD").stock == Decimal("7")


# --- 3. claim exclusivity -------------------------------------------------------------------


def test_a_second_claimer_gets_nothing_while_the_first_ones_lease_is_live(seller_client, catalog):
    first = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    second = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-2-RD")])

    claimed = batch_claim_next(seller_id=seller_client.seller.pk, worker="worker-a")
    again = batch_claim_next(seller_id=seller_client.seller.pk, worker="worker-b")

    assert str(claimed.pk) == first
    assert again is None
    batch = BatchRequest.objects.get(pk=first)
    assert (batch.status, batch.leased_by, batch.attempts) == (
        BatchStatus.PROCESSING,
        "worker-a",
        1,
    )
    assert batch.lease_expires_at > timezone.now()
    assert BatchRequest.objects.get(pk=second).status == BatchStatus.WAITING


def test_a_batch_the_clock_cannot_tell_from_the_previous_one_queues_after_it(db):
    """SQLite's clock ticks in milliseconds and clocks may step back: arrival order still wins."""
    membership = SellerMembershipFactory()
    catalog = build_catalog(membership.seller)
    rows = [product_row(catalog, "TS-1-RD")]
    first = batch_accept(
        seller=membership.seller, kind=BatchKind.PRODUCT_UPSERT, body=None, rows=rows
    )
    ahead = timezone.now() + timedelta(seconds=5)  # the previous batch stamped by a clock ahead
    BatchRequest.objects.filter(pk=first.pk).update(created_at=ahead)

    second = batch_accept(
        seller=membership.seller, kind=BatchKind.PRODUCT_UPSERT, body=None, rows=rows
    )
    third = batch_accept(
        seller=membership.seller, kind=BatchKind.PRODUCT_UPSERT, body=None, rows=rows
    )

    stamps = [BatchRequest.objects.get(pk=b.pk).created_at for b in (first, second, third)]
    assert stamps[0] < stamps[1] < stamps[2]
    assert batch_claim_next(seller_id=membership.seller.pk, worker="w").pk == first.pk


@pytest.mark.parametrize("round_", range(3))
def test_claimers_racing_in_threads_claim_a_batch_exactly_once(transactional_db, round_):
    membership = SellerMembershipFactory()
    catalog = build_catalog(membership.seller)
    rows = [product_row(catalog, "TS-1-RD")]
    batches = [
        batch_accept(seller=membership.seller, kind=BatchKind.PRODUCT_UPSERT, body=None, rows=rows)
        for _ in range(2)
    ]
    claimers = 8
    start = threading.Barrier(claimers)
    claims: dict[str, object] = {}

    def claim(name: str) -> None:
        try:
            start.wait(timeout=10)
            claims[name] = batch_claim_next(seller_id=membership.seller.pk, worker=name)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(f"worker-{i}",)) for i in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(claims) == claimers
    winners = {name: batch for name, batch in claims.items() if batch is not None}
    assert len(winners) == 1
    [(winner, batch)] = winners.items()
    assert batch.pk == batches[0].pk
    head = BatchRequest.objects.get(pk=batches[0].pk)
    assert (head.status, head.leased_by, head.attempts) == (BatchStatus.PROCESSING, winner, 1)
    assert BatchRequest.objects.get(pk=batches[1].pk).status == BatchStatus.WAITING


# --- 4. lease takeover ----------------------------------------------------------------------


def test_a_batch_whose_workers_lease_expired_is_taken_over_and_completes(seller_client, catalog):
    rows = [
        product_row(catalog, "TS-1-RD"),
        product_row(catalog, "TS-1-BL", color="Blue"),
        product_row(catalog, "TS-1-GR", color="Green"),
    ]
    batch_id = accept(seller_client, PRODUCTS, rows)
    # a worker took the task and claimed the batch, then died
    [lost] = tasks_of("process_batch")
    lost.claim("dead-worker")
    batch_claim_next(seller_id=seller_client.seller.pk, worker="dead-worker")
    expire_lease(batch_id)

    assert batch_recover() == 1
    [task] = run_ready_tasks("default")

    assert task.status == "SUCCESSFUL"
    assert task.args_kwargs == {"args": [], "kwargs": {"batch_id": batch_id}}
    batch = BatchRequest.objects.get(pk=batch_id)
    assert state(batch_id) == (BatchStatus.COMPLETED, 3, 2, 1)
    assert (batch.attempts, batch.leased_by, batch.lease_expires_at) == (
        2,
        worker_identity(),
        None,
    )
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["TS-1-BL", "TS-1-RD"]
    assert [entry["index"] for entry in stored(batch.success_file)] == [0, 1]
    assert [entry["index"] for entry in stored(batch.error_file)] == [2]


def test_a_waiting_batch_whose_task_was_lost_is_queued_again_and_completes(seller_client, catalog):
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    DBTaskResult.objects.all().delete()
    BatchRequest.objects.filter(pk=batch_id).update(
        last_enqueued_at=timezone.now() - timedelta(hours=1)
    )

    assert batch_recover() == 1
    assert batch_recover() == 0  # queued once, not at every heartbeat
    [task] = run_ready_tasks("default")

    assert task.status == "SUCCESSFUL"
    assert state(batch_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert BatchRequest.objects.get(pk=batch_id).attempts == 1


def test_a_batch_whose_lease_is_live_is_not_taken_over(seller_client, catalog):
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    held = batch_claim_next(seller_id=seller_client.seller.pk, worker="busy-worker")
    # only the lease protects it: its task was queued long ago
    BatchRequest.objects.filter(pk=batch_id).update(
        last_enqueued_at=timezone.now() - timedelta(hours=1)
    )

    assert batch_recover() == 0
    batch_run(batch_id=batch_id, worker="other-worker")

    batch = BatchRequest.objects.get(pk=batch_id)
    assert (batch.status, batch.leased_by, batch.attempts) == (
        BatchStatus.PROCESSING,
        "busy-worker",
        1,
    )
    assert not Product.objects.exists()
    batch_apply(batch=held, worker="busy-worker")
    assert state(batch_id) == (BatchStatus.COMPLETED, 1, 1, 0)


def test_a_worker_that_lost_its_lease_does_not_apply_the_batch_it_held(seller_client, catalog):
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD", stock="5")])
    stale = batch_claim_next(seller_id=seller_client.seller.pk, worker="slow-worker")
    expire_lease(batch_id)
    batch_run(batch_id=batch_id, worker="new-worker")
    taken_over = snapshot(batch_id)

    # the slow worker wakes up and goes on with the copy it claimed
    batch_apply(batch=stale, worker="slow-worker")

    assert snapshot(batch_id) == taken_over
    assert (taken_over["batch"]["leased_by"], taken_over["batch"]["attempts"]) == ("new-worker", 2)
    assert len(taken_over["products"]) == len(taken_over["stocks"]) == 1


# --- 5. failures ----------------------------------------------------------------------------


@pytest.mark.parametrize("max_attempts", [1, 3])
def test_a_batch_with_a_corrupt_request_file_fails_after_the_maximum_attempts(
    seller_client, catalog, settings, batch_storage, max_attempts
):
    settings.PAZAR_BATCH_MAX_ATTEMPTS = max_attempts
    settings.PAZAR_BATCH_RETRY_SECONDS = 0  # each retry at once, as the pause has passed
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    next_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-2-RD")])
    batch = BatchRequest.objects.get(pk=batch_id)
    (batch_storage / batch.request_file).write_bytes(b"this is not JSON")

    batch_run(batch_id=batch_id)

    batch.refresh_from_db()
    message = "JSONDecodeError: Expecting value: line 1 column 1 (char 0)"
    assert (batch.status, batch.attempts, batch.error) == (
        BatchStatus.FAILED,
        max_attempts,
        message,
    )
    assert batch.finished_at is not None and batch.lease_expires_at is None
    response = seller_client.get(f"{BATCH}{batch_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["request_file"].startswith(
        f"http://testserver{BATCH}{batch_id}/files/request.json?token="
    )
    assert {key: value for key, value in body.items() if key != "request_file"} == {
        "id": batch_id,
        "registry": f"Product Upsert ({seller_client.seller.name})",
        "success_file": None,
        "error_file": None,
        "status": 4,
        "state": {"total": 1, "succeeded": 0, "failed": 0},
        "processed_in": None,
        "error": message,
        "updated_at": body["updated_at"],
        "created_at": body["created_at"],
    }
    # a failed batch does not hold up the seller's next one
    assert state(next_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert list(Product.objects.values_list("sku", flat=True)) == ["TS-2-RD"]


def test_a_batch_whose_worker_died_on_every_attempt_ends_failed(seller_client, catalog, settings):
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    for attempt in range(settings.PAZAR_BATCH_MAX_ATTEMPTS):
        claimed = batch_claim_next(seller_id=seller_client.seller.pk, worker=f"dies-{attempt}")
        assert claimed is not None
        expire_lease(batch_id)

    assert batch_recover() == 1
    run_ready_tasks("default")

    batch = BatchRequest.objects.get(pk=batch_id)
    assert (batch.status, batch.attempts, batch.error) == (
        BatchStatus.FAILED,
        3,
        "The batch could not be applied after 3 attempts.",
    )
    assert not Product.objects.exists()
    assert seller_client.get(f"{BATCH}{batch_id}").json()["status"] == 4


def test_a_worker_whose_last_attempt_was_ended_for_it_leaves_the_failed_batch_alone(
    seller_client, catalog, seller, settings, batch_storage
):
    """The slow holder of the last attempt errs after another worker failed the batch for it:
    the batch keeps the error the seller was told about, and the seller is told once."""
    seller.callback_url = "https://seller.example/pazar/callback"
    seller.save()
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    request_file = BatchRequest.objects.get(pk=batch_id).request_file
    (batch_storage / request_file).write_bytes(b"this is not JSON")
    for attempt in range(settings.PAZAR_BATCH_MAX_ATTEMPTS - 1):
        batch_claim_next(seller_id=seller.pk, worker=f"dies-{attempt}")
        expire_lease(batch_id)
    slow = batch_claim_next(seller_id=seller.pk, worker="slow-worker")
    expire_lease(batch_id)
    batch_run(batch_id=batch_id, worker="other-worker")
    failed = snapshot(batch_id)["batch"]
    assert failed["error"] == "The batch could not be applied after 3 attempts."

    batch_apply(batch=slow, worker="slow-worker")

    assert snapshot(batch_id)["batch"] == failed
    assert len(callback_tasks()) == 1


def test_row_failures_end_the_batch_completed_with_failed_rows(seller_client, catalog):
    good = product_row(catalog, "TS-1-RD")
    bad_color = product_row(catalog, "TS-1-GR", color="Green")
    batch_id = accept(seller_client, PRODUCTS, [good, bad_color])

    batch_run(batch_id=batch_id)

    batch = BatchRequest.objects.get(pk=batch_id)
    assert state(batch_id) == (BatchStatus.COMPLETED, 2, 1, 1)
    assert (batch.error, batch.attempts) == ("", 1)
    body = seller_client.get(f"{BATCH}{batch_id}").json()
    assert (body["status"], body["state"], body["error"]) == (
        3,
        {"total": 2, "succeeded": 1, "failed": 1},
        "",
    )
    [failure] = stored(batch.error_file)
    assert (failure["index"], failure["sku"], failure["row"]) == (1, "TS-1-GR", bad_color)
    assert list(failure["errors"]) == ["attributes"]
    assert list(failure["errors"]["attributes"]) == ["COLOR"]


# --- 6. a worker process killed inside a batch ----------------------------------------------

SETUP_SCRIPT = """
import json
import django

django.setup()

from django.core.files.storage import default_storage
from pazar.accounts.models import Seller
from pazar.batches.models import BatchKind
from pazar.batches.services import batch_accept
from tests.batches.helpers import build_catalog, product_row

seller = Seller.objects.create(name="crash-seller")
catalog = build_catalog(seller)
rows = [product_row(catalog, f"CRASH-{i}") for i in range(5)]
body = json.dumps(rows, indent=1).encode()
batch = batch_accept(seller=seller, kind=BatchKind.PRODUCT_UPSERT, body=body, rows=rows)
print(json.dumps({"batch_id": batch.id.hex, "request_file": default_storage.path(batch.request_file)}))
"""


class DataDir:
    """An embedded Pazar of its own: SQLite in `path`, whatever database the suite runs on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.database = path / "pazar.sqlite3"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PAZAR_") and k not in {"DATABASE_URL", "REDIS_URL"}
        }
        self.env.update(
            PAZAR_DATA_DIR=str(path),
            PAZAR_BATCH_LEASE_SECONDS="2",
            DJANGO_SETTINGS_MODULE="pazar.settings",
        )

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start_worker(self, log: Path) -> subprocess.Popen:
        with log.open("w") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "pazar", "worker", "--heartbeat", "1", "--interval", "0.1"],
                env=self.env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def query(self, sql: str, *params) -> list[tuple]:
        with closing(sqlite3.connect(self.database, timeout=30)) as db:
            return db.execute(sql, params).fetchall()

    def batch(self, batch_id: str) -> dict:
        columns = (
            "status",
            "attempts",
            "leased_by",
            "total",
            "succeeded",
            "failed",
            "success_file",
        )
        [row] = self.query(
            f"SELECT {', '.join(columns)} FROM batches_batchrequest WHERE id = ?", batch_id
        )
        return dict(zip(columns, row, strict=True))


def wait_for(condition, *, what: str, worker: subprocess.Popen, log: Path, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        assert worker.poll() is None, f"the worker exited ({worker.returncode}):\n{log.read_text()}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}:\n{log.read_text()}")


def feed_fifo(fifo: Path, content: bytes, *, timeout: float = 10) -> None:
    """Write the request file to the worker that is blocked opening it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as error:
            if error.errno != errno.ENXIO or time.monotonic() > deadline:
                raise  # ENXIO only means that the worker has not opened it yet
            time.sleep(0.05)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(content)


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def test_a_worker_killed_inside_a_batch_leaves_nothing_applied_and_a_new_worker_completes_it(
    tmp_path,
):
    data = DataDir(tmp_path / "data")
    data.path.mkdir()
    data.run("-m", "pazar", "migrate", "--verbosity", "0")
    setup = json.loads(data.run("-c", SETUP_SCRIPT))
    batch_id, request_file = setup["batch_id"], Path(setup["request_file"])
    request_body = request_file.read_bytes()
    # The request file becomes a pipe: the worker claims the batch, then waits for its rows
    # until the test has taken the database's write lock.
    request_file.unlink()
    os.mkfifo(request_file)
    first = second = lock = None
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    try:
        # given: a worker that claimed the batch and is stuck in its apply transaction
        first = data.start_worker(first_log)
        wait_for(
            lambda: data.batch(batch_id)["status"] == BatchStatus.PROCESSING,
            what="the first worker to claim the batch",
            worker=first,
            log=first_log,
        )
        assert data.batch(batch_id)["leased_by"].endswith(f"-{first.pid}")
        lock = sqlite3.connect(data.database, timeout=30, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        feed_fifo(request_file, request_body)
        time.sleep(1)  # it reads the rows and waits on BEGIN IMMEDIATE for the write lock

        # when: it is killed there and the lock is released
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        lock.execute("ROLLBACK")
        lock.close()
        lock = None

        # then: nothing of the batch was applied; it is still claimed by the dead worker
        assert data.query("SELECT COUNT(*) FROM catalog_product") == [(0,)]
        assert data.batch(batch_id)["status"] == BatchStatus.PROCESSING
        assert data.batch(batch_id)["attempts"] == 1

        # when: a fresh worker runs once the lease has expired
        request_file.unlink()
        request_file.write_bytes(request_body)
        second = data.start_worker(second_log)
        wait_for(
            lambda: data.batch(batch_id)["status"] == BatchStatus.COMPLETED,
            what="the second worker to take the batch over and complete it",
            worker=second,
            log=second_log,
        )
    finally:
        if lock is not None:
            lock.close()
        stop(first)
        stop(second)

    # then: every row was applied exactly once, by the second worker's only claim
    batch = data.batch(batch_id)
    assert {k: batch[k] for k in ("total", "succeeded", "failed", "attempts")} == {
        "total": 5,
        "succeeded": 5,
        "failed": 0,
        "attempts": 2,
    }
    assert batch["leased_by"].endswith(f"-{second.pid}")
    skus = [f"CRASH-{i}" for i in range(5)]
    assert data.query("SELECT sku FROM catalog_product ORDER BY sku") == [(s,) for s in skus]
    assert data.query("SELECT COUNT(*) FROM pricing_productprice") == [(5,)]
    assert data.query("SELECT COUNT(*), SUM(stock) FROM inventory_productstock") == [(5, 25)]
    success = json.loads((data.path / "files" / batch["success_file"]).read_bytes())
    assert [(entry["index"], entry["sku"]) for entry in success] == list(enumerate(skus))


# --- 7. seller callbacks --------------------------------------------------------------------


@pytest.fixture
def callback_seller(seller, settings):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    seller.callback_secret = "s3cret-of-the-seller"
    seller.save()
    return seller


def expected_signature(body: bytes) -> str:
    digest = hmac.new(b"s3cret-of-the-seller", body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@pytest.mark.parametrize("outcome", ["completed", "failed"])
def test_a_finished_batch_posts_a_signed_callback_to_the_seller(
    seller_client, catalog, callback_seller, batch_storage, outcome, settings
):
    settings.PAZAR_BATCH_RETRY_SECONDS = 0  # the failed case retries at once
    with CallbackServer() as endpoint:
        callback_seller.callback_url = endpoint.url
        callback_seller.save()
        batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
        if outcome == "failed":
            request_file = BatchRequest.objects.get(pk=batch_id).request_file
            (batch_storage / request_file).write_bytes(b"this is not JSON")

        batch_run(batch_id=batch_id)
        # queued with the batch's end, in its transaction: the test's transaction never
        # commits, so a task deferred to on_commit would not be there
        [queued] = callback_tasks()
        [callback] = Callback.objects.all()
        assert (queued.status, queued.queue_name, queued.args_kwargs) == (
            "READY",
            "callbacks",
            {"args": [], "kwargs": {"callback_id": callback.pk}},
        )
        [ran] = run_ready_tasks("callbacks")

    assert ran.status == "SUCCESSFUL"
    batch = BatchRequest.objects.get(pk=batch_id)
    [request] = endpoint.received
    assert request.path == "/pazar/callback"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Pazar-Event"] == "batch_request.finished"
    assert request.headers["X-Pazar-Signature"] == expected_signature(request.body)
    assert request.headers["X-Pazar-Event-Id"] == str(callback.event_id)
    assert json.loads(request.body) == {
        "event": "batch_request.finished",
        "event_id": str(callback.event_id),
        "batch_request_id": batch_id,
        "status": 3 if outcome == "completed" else 4,
        "state": {"total": 1, "succeeded": 1 if outcome == "completed" else 0, "failed": 0},
        "finished_at": batch.finished_at.isoformat().replace("+00:00", "Z"),
    }
    assert len(callback_tasks()) == 1  # delivered: not queued again


def test_a_seller_without_a_callback_url_gets_no_callback_task(seller_client, catalog):
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])

    batch_run(batch_id=batch_id)

    assert state(batch_id) == (BatchStatus.COMPLETED, 1, 1, 0)
    assert callback_tasks() == []


@pytest.mark.parametrize("endpoint_fails", ["with a 500", "by refusing the connection"])
def test_a_failing_callback_is_retried_later_with_the_next_attempt_until_the_last(
    seller_client, catalog, callback_seller, settings, endpoint_fails
):
    settings.PAZAR_CALLBACK_MAX_ATTEMPTS = 3
    with CallbackServer(status=500) as endpoint:
        url = endpoint.url
        if endpoint_fails == "with a 500":
            callback_seller.callback_url = url
        else:  # a port that was just closed again
            with CallbackServer() as closed:
                callback_seller.callback_url = closed.url
        callback_seller.save()
        batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
        batch_run(batch_id=batch_id)

        for attempt, delay in [(1, 10), (2, 20)]:
            before = timezone.now()
            [ran] = run_ready_tasks("callbacks")
            after = timezone.now()
            assert (ran.status, ran.args_kwargs["kwargs"].get("attempt", 1)) == (
                "SUCCESSFUL",
                attempt,
            )
            [retry] = DBTaskResult.objects.filter(queue_name="callbacks", status="READY")
            assert retry.args_kwargs == {
                "args": [],
                "kwargs": {"callback_id": Callback.objects.get().pk, "attempt": attempt + 1},
            }
            assert before + timedelta(seconds=delay) <= retry.run_after
            assert retry.run_after <= after + timedelta(seconds=delay)
            assert run_ready_tasks("callbacks") == []  # not before its time
            DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())

        # the last attempt fails too: the callback is given up, nothing is queued again
        [last] = run_ready_tasks("callbacks")

    assert (last.status, last.args_kwargs["kwargs"]["attempt"]) == ("SUCCESSFUL", 3)
    assert DBTaskResult.objects.filter(queue_name="callbacks", status="READY").count() == 0
    assert len(callback_tasks()) == 3
    if endpoint_fails == "with a 500":
        assert len(endpoint.received) == 3
        assert len({request.body for request in endpoint.received}) == 1
        assert all(
            request.headers["X-Pazar-Signature"] == expected_signature(request.body)
            for request in endpoint.received
        )
    else:
        assert endpoint.received == []


def test_a_callback_to_a_private_address_is_refused_without_the_setting(
    seller_client, catalog, callback_seller, settings
):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = False
    with CallbackServer() as endpoint:
        callback_seller.callback_url = endpoint.url
        callback_seller.save()
        batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
        batch_run(batch_id=batch_id)

        [ran] = run_ready_tasks("callbacks")
        callback_deliver(callback_id=Callback.objects.get().pk)  # the same, called directly

    assert ran.status == "SUCCESSFUL"
    assert endpoint.received == []
    assert len(callback_tasks()) == 1  # refused for good: no retry
    assert Callback.objects.get().status == "refused"


# --- 8. files -------------------------------------------------------------------------------

# A body as a client may send it: its own spacing, key order and non-ASCII text.
RAW_BODY = """[ {"sku": "TS-1-RD", "name": "Kırmızı Tişört",  "base_code": "TS-1",
  "category": "%(category)s", "attributes": {"COLOR": "Red"}},
  {"sku": "TS-1-GR", "name": "Yeşil", "base_code": "TS-1", "category": "%(category)s",
   "attributes": {"COLOR": "Green"}} ]
"""


@pytest.fixture
def finished_batch(seller_client, catalog) -> tuple[str, bytes, dict]:
    body = (RAW_BODY % {"category": catalog.category.uuid}).encode()
    response = seller_client.post(PRODUCTS, data=body, content_type="application/json")
    assert response.status_code == 202
    batch_id = response.json()["batch_request_id"]
    batch_run(batch_id=batch_id)
    links = seller_client.get(f"{BATCH}{batch_id}").json()
    return batch_id, body, links


def download(client: APIClient, url: str):
    response = client.get(url.removeprefix("http://testserver"))
    content = b"".join(response.streaming_content) if response.status_code == 200 else None
    return response, content


def test_prd107_links_download_the_files_with_their_token_and_no_authorization(
    finished_batch, seller_client
):
    batch_id, body, links = finished_batch
    anonymous = APIClient()
    product = Product.objects.get(sku="TS-1-RD")

    request, request_content = download(anonymous, links["request_file"])
    success, success_content = download(anonymous, links["success_file"])
    error, error_content = download(anonymous, links["error_file"])

    assert [request.status_code, success.status_code, error.status_code] == [200, 200, 200]
    assert request_content == body
    assert json.loads(success_content) == [{"index": 0, "sku": "TS-1-RD", "id": str(product.uuid)}]
    [failure] = json.loads(error_content)
    assert (failure["index"], failure["sku"], failure["row"]) == (1, "TS-1-GR", json.loads(body)[1])
    assert request["Content-Type"] == "application/json"
    assert request["Content-Disposition"] == f'inline; filename="{batch_id}.json"'
    assert success["Content-Disposition"] == f'inline; filename="{batch_id}-s.json"'
    assert error["Content-Disposition"] == f'inline; filename="{batch_id}-e.json"'


def test_prd107_files_are_documented_as_the_json_lists_they_are(finished_batch, api_client):
    """The document says what the download serves: a JSON list of row objects (the request's
    rows, `{index, sku, id}` applied, `{index, sku, row, errors, codes}` refused), not a binary."""
    _, _, links = finished_batch
    document = api_client.get("/seller-center/api/schema/", {"format": "json"}).json()
    operation = document["paths"]["/api/i2/products/batch-requests/{id}/files/{kind}.json"]
    content = operation["get"]["responses"]["200"]["content"]
    schema = content["application/json"]["schema"]
    applied, refused, as_sent = schema["items"]["anyOf"]

    assert list(content) == ["application/json"]
    assert schema["type"] == "array"
    assert "format" not in schema
    for kind in ("request", "success", "error"):
        _, raw = download(APIClient(), links[f"{kind}_file"])
        rows = json.loads(raw)
        assert isinstance(rows, list) and rows
        for row in rows:
            assert isinstance(row, dict)
            if kind == "success":
                assert set(applied["required"]) <= set(row) <= set(applied["properties"])
            if kind == "error":
                assert set(refused["required"]) == set(row)
    assert as_sent == {
        "type": "object",
        "title": "Row as sent",
        "description": "A row of the request.",
    }


def test_the_seller_downloads_its_batch_files_with_its_own_token(finished_batch, seller_client):
    batch_id, body, _ = finished_batch

    response, content = download(seller_client, f"{BATCH}{batch_id}/files/request.json")

    assert response.status_code == 200
    assert content == body


def test_another_seller_gets_404_for_the_batch_and_its_files(finished_batch, other_client):
    batch_id, _, _ = finished_batch

    response = other_client.get(f"{BATCH}{batch_id}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    for kind in ("request", "success", "error"):
        response = other_client.get(f"{BATCH}{batch_id}/files/{kind}.json")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    "batch_id", ["-" * 36, "0" * 36, "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa-", "A" * 8 + "-" * 28]
)
def test_a_file_of_a_malformed_batch_id_is_404_like_the_batch_itself(seller_client, batch_id):
    for path in (f"{BATCH}{batch_id}", f"{BATCH}{batch_id}/files/request.json"):
        response = seller_client.get(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def signed_long_ago(batch_id: str, kind: str) -> str:
    """A link token as the server signed it, one second more than its lifetime ago."""

    class LongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - files.LINK_MAX_AGE - 1)

    value = f"{batch_id}:{kind}"
    return LongAgo(salt="pazar.batches.files").sign(value)[len(value) + 1 :]


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda bid: files.sign(bid, "request")[:-1] + "x", id="tampered"),
        pytest.param(lambda bid: signed_long_ago(bid, "request"), id="expired"),
        pytest.param(lambda bid: files.sign(bid, "success"), id="another-kind"),
        pytest.param(lambda bid: files.sign(BatchRequest().id, "request"), id="another-batch"),
        pytest.param(lambda bid: "", id="empty"),
    ],
)
def test_a_file_link_with_a_bad_token_is_404(finished_batch, make_token):
    batch_id, _, _ = finished_batch
    assert files.signature_valid(files.sign(batch_id, "request"), batch_id, "request")

    response = APIClient().get(
        f"{BATCH}{batch_id}/files/request.json", {"token": make_token(batch_id)}
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_failed_attempt_is_retried_after_a_pause_not_at_once(
    seller_client, catalog, settings, batch_storage
):
    settings.PAZAR_BATCH_RETRY_SECONDS = 30
    batch_id = accept(seller_client, PRODUCTS, [product_row(catalog, "TS-1-RD")])
    request_file = BatchRequest.objects.get(pk=batch_id).request_file
    good_body = (batch_storage / request_file).read_bytes()
    (batch_storage / request_file).write_bytes(b"not JSON yet")

    batch_run(batch_id=batch_id)
    batch_run(batch_id=batch_id)  # within the pause: nothing is tried

    paused = BatchRequest.objects.get(pk=batch_id)
    assert (paused.status, paused.attempts, paused.leased_by) == (BatchStatus.PROCESSING, 1, "")
    assert paused.error.startswith("JSONDecodeError")
    assert timedelta(seconds=25) < paused.lease_expires_at - timezone.now() <= timedelta(seconds=30)
    assert batch_recover() == 0

    (batch_storage / request_file).write_bytes(good_body)
    past = timezone.now() - timedelta(seconds=31)
    BatchRequest.objects.filter(pk=batch_id).update(lease_expires_at=past, last_enqueued_at=past)
    assert batch_recover() == 1
    run_ready_tasks("default")

    done = BatchRequest.objects.get(pk=batch_id)
    assert (done.status, done.attempts, done.succeeded, done.error) == (
        BatchStatus.COMPLETED,
        2,
        1,
        "",
    )
