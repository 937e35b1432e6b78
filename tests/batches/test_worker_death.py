"""A batch held by a worker that is gone is taken over within seconds, on the database the suite
runs on: a `pazar serve` worker killed with SIGKILL inside a batch, a worker that hangs inside
one. Real processes, on an SQLite data directory or a PostgreSQL database of their own.

The batch's request file is a pipe: the worker claims the batch, then waits for its rows, so
the kill or the hang comes while it holds the batch, before anything is applied.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from pazar.batches.models import BatchStatus

REPO = Path(__file__).resolve().parents[2]
ROWS = 300

SETUP_SCRIPT = """
import json, sys
import django

django.setup()

from django.core.files.storage import default_storage
from pazar.accounts.models import Seller
from pazar.batches.models import BatchKind
from pazar.batches.services import batch_accept
from tests.batches.helpers import build_catalog, product_row

seller = Seller.objects.create(name="crash-seller")
catalog = build_catalog(seller)
rows = [product_row(catalog, f"CRASH-{i:04}") for i in range(int(sys.argv[1]))]
body = json.dumps(rows).encode()
batch = batch_accept(seller=seller, kind=BatchKind.PRODUCT_UPSERT, body=body, rows=rows)
print(json.dumps({"batch_id": str(batch.id), "request_file": default_storage.path(batch.request_file)}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """Pazar run by real processes: SQLite in a data directory, or, when the suite runs on
    PostgreSQL, a database of its own on the same server (dropped at the end)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PAZAR_") and k not in {"DATABASE_URL", "REDIS_URL"}
        }
        self.env.update(PAZAR_DATA_DIR=str(path), DJANGO_SETTINGS_MODULE="pazar.settings")
        self.vendor = connection.vendor
        self.processes: list[subprocess.Popen] = []
        if self.vendor == "postgresql":
            suite = connection.settings_dict
            self.server = {
                "host": suite["HOST"] or "127.0.0.1",
                "port": int(suite["PORT"] or 5432),
                "user": suite["USER"],
                "password": suite["PASSWORD"] or None,
            }
            self.dbname = f"{suite['NAME']}_processes"[:63]
            with closing(self._server_connection()) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{self.dbname}"')
            auth = self.server["user"] + (
                f":{self.server['password']}" if self.server["password"] else ""
            )
            self.env["DATABASE_URL"] = (
                f"postgres://{auth}@{self.server['host']}:{self.server['port']}/{self.dbname}"
            )

    def _server_connection(self, dbname: str = "postgres"):
        return psycopg.connect(dbname=dbname, autocommit=True, **self.server)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args], env=self.env, cwd=REPO, capture_output=True, text=True,
            timeout=180,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self, log: Path, *args: str, **env: str) -> subprocess.Popen:
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "pazar", *args],
                env={**self.env, **env},
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def query(self, sql: str, *params) -> list[tuple]:
        if self.vendor == "postgresql":
            with closing(self._server_connection(self.dbname)) as db:
                return db.execute(sql.replace("?", "%s"), params).fetchall()
        with closing(sqlite3.connect(self.path / "pazar.sqlite3", timeout=30)) as db:
            return db.execute(sql, params).fetchall()

    def batch(self, batch_id: str) -> dict:
        columns = ("status", "attempts", "leased_by", "total", "succeeded", "failed")
        key = batch_id if self.vendor == "postgresql" else batch_id.replace("-", "")
        rows = self.query(
            f"SELECT {', '.join(columns)} FROM batches_batchrequest WHERE id = ?", key
        )
        return dict(zip(columns, rows[0], strict=True))

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self.vendor == "postgresql":
            with closing(self._server_connection()) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


@pytest.fixture
def deployment(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        deployed = Deployment(tmp_path / "data")
    try:
        yield deployed
    finally:
        deployed.close()


def wait_for(condition, *, what: str, logs: list[Path], timeout: float = 60.0, every=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    output = "\n".join(f"--- {log.name}\n{log.read_text()}" for log in logs)
    raise AssertionError(f"timed out waiting for {what}:\n{output}")


def batch_behind_a_pipe(deployment: Deployment, rows: int) -> tuple[str, Path, bytes]:
    """A seller's batch whose request file is a pipe: its worker waits there, holding it."""
    deployment.run("-m", "pazar", "migrate", "--verbosity", "0")
    setup = json.loads(deployment.run("-c", SETUP_SCRIPT, str(rows)))
    request_file = Path(setup["request_file"])
    body = request_file.read_bytes()
    request_file.unlink()
    os.mkfifo(request_file)
    return setup["batch_id"], request_file, body


def reader_waiting_on(pipe: Path) -> int | None:
    """A write end of `pipe` once a worker has opened it to read, else None.

    Held open without a byte written, it keeps that worker waiting inside its read; a worker
    that had only claimed the batch, not yet opened the pipe, would read the restored file.
    """
    try:
        return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: nobody has it open to read yet
        return None


def restore(request_file: Path, body: bytes) -> None:
    """The request file as it was (a worker blocked on the pipe stays blocked on it)."""
    request_file.unlink()
    request_file.write_bytes(body)


def assert_applied_once(deployment: Deployment, batch_id: str, rows: int) -> dict:
    batch = deployment.batch(batch_id)
    assert (batch["status"], batch["total"], batch["succeeded"], batch["failed"]) == (
        BatchStatus.COMPLETED, rows, rows, 0,
    )  # fmt: skip
    assert deployment.query("SELECT COUNT(*), COUNT(DISTINCT sku) FROM catalog_product") == [
        (rows, rows)
    ]
    assert deployment.query("SELECT COUNT(*), SUM(stock) FROM inventory_productstock") == [
        (rows, 5 * rows)
    ]
    assert deployment.query("SELECT COUNT(*) FROM pricing_productprice") == [(rows,)]
    return batch


def holder_pid(deployment: Deployment, batch_id: str) -> int | None:
    batch = deployment.batch(batch_id)
    if batch["status"] == BatchStatus.PROCESSING and batch["leased_by"]:
        return int(batch["leased_by"].rsplit("-", 1)[1])
    return None


def test_a_serve_worker_killed_inside_a_batch_is_replaced_and_the_batch_completes_within_10s(
    deployment, tmp_path
):
    batch_id, request_file, body = batch_behind_a_pipe(deployment, ROWS)
    log = tmp_path / "serve.log"
    serve = deployment.start(
        log, "serve", "--port", str(free_port()), "--workers", "1", PAZAR_LOG_LEVEL="INFO"
    )

    # given: the worker of `pazar serve` holds the batch, with the default lease
    pid = wait_for(
        lambda: holder_pid(deployment, batch_id), what="the worker to claim the batch", logs=[log]
    )
    assert deployment.batch(batch_id)["attempts"] == 1

    # when: it is killed there
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    restore(request_file, body)

    # then: the batch is taken over and completed within 10 s of the kill
    wait_for(
        lambda: deployment.batch(batch_id)["status"] == BatchStatus.COMPLETED,
        what="the batch to complete",
        logs=[log],
        timeout=30,
    )
    taken_over_in = time.monotonic() - killed_at
    assert taken_over_in < 10, f"completed {taken_over_in:.1f} s after the kill"
    assert serve.poll() is None
    # once, by the restarted worker's claim
    batch = assert_applied_once(deployment, batch_id, ROWS)
    assert batch["attempts"] == 2
    assert int(batch["leased_by"].rsplit("-", 1)[1]) != pid
    assert "task worker exited with code -9" in log.read_text()


def test_a_worker_that_hangs_inside_a_batch_gives_it_up_and_another_completes_it(
    deployment, tmp_path
):
    batch_id, request_file, body = batch_behind_a_pipe(deployment, 20)
    hung_log, other_log = tmp_path / "hung.log", tmp_path / "other.log"
    settings = {
        "PAZAR_BATCH_LEASE_SECONDS": "3",
        "PAZAR_BATCH_STALL_SECONDS": "4",
        "PAZAR_LOG_LEVEL": "INFO",
    }
    hung = deployment.start(hung_log, "worker", "--interval", "0.1", **settings)
    pid = wait_for(
        lambda: holder_pid(deployment, batch_id),
        what="the first worker to claim the batch",
        logs=[hung_log],
    )
    assert pid == hung.pid
    claimed_at = time.monotonic()
    write_end = wait_for(
        lambda: reader_waiting_on(request_file),
        what="the first worker to open the batch's request file",
        logs=[hung_log],
    )

    # given: it hangs there (its request file never comes), alive, its heartbeat going on
    restore(request_file, body)
    other = deployment.start(other_log, "worker", "--interval", "0.1", **settings)
    time.sleep(2)
    assert hung.poll() is None
    assert deployment.batch(batch_id)["leased_by"].endswith(f"-{hung.pid}")
    assert deployment.batch(batch_id)["status"] == BatchStatus.PROCESSING

    # then: after the stall time it gives the batch up and exits; the other worker completes it
    wait_for(
        lambda: deployment.batch(batch_id)["status"] == BatchStatus.COMPLETED,
        what="the other worker to complete the batch",
        logs=[hung_log, other_log],
        timeout=40,
    )
    assert time.monotonic() - claimed_at < 4 + 3 + 10
    assert hung.wait(timeout=10) == 75
    os.close(write_end)
    assert f"batch {batch_id} made no progress for 4 s" in hung_log.read_text()
    batch = assert_applied_once(deployment, batch_id, 20)
    assert (batch["attempts"], batch["leased_by"]) == (2, deployment.batch(batch_id)["leased_by"])
    assert batch["leased_by"].endswith(f"-{other.pid}")


# --- in one process: the keeper thread, the supervisor's release -------------------------------


@pytest.fixture
def claimed(transactional_db, settings):
    """A batch claimed by worker "holder" with a lease of 1.5 s."""
    from pazar.batches.models import BatchKind
    from pazar.batches.services import batch_accept, batch_claim_next
    from tests.factories import SellerFactory

    settings.PAZAR_BATCH_LEASE_SECONDS = 1.5
    seller = SellerFactory()
    batch_accept(seller=seller, kind=BatchKind.STOCK_UPSERT, body=None, rows=[{"sku": "X"}])
    return batch_claim_next(seller_id=seller.pk, worker="holder")


def test_a_lease_is_renewed_while_its_batch_makes_progress_and_lapses_once_it_stalls(claimed):
    from functools import partial

    from pazar.batches.models import BatchRequest
    from pazar.batches.services import _renew_lease, batch_claim_next
    from pazar.core.heartbeat import holding

    lease = partial(
        BatchRequest.objects.values_list("lease_expires_at", flat=True).get, pk=claimed.pk
    )
    first = lease()
    with holding(
        "batch under test",
        renew=partial(_renew_lease, batch_id=claimed.pk, worker="holder"),
        every=0.5,
        stall_after=1.0,
    ) as hold:
        # while it runs statements, three lease lengths pass and nobody can take it over
        deadline = time.monotonic() + 4.5
        while time.monotonic() < deadline:
            assert batch_claim_next(seller_id=claimed.seller_id, worker="other") is None
            time.sleep(0.1)
        assert lease() > first
        assert not (hold.stalled or hold.lost)

        # when it stops making progress, the lease is no longer renewed and runs out
        time.sleep(1.5 + 1.5)
        assert hold.stalled
        taken = batch_claim_next(seller_id=claimed.seller_id, worker="other")
    assert (taken.pk, taken.leased_by, taken.attempts) == (claimed.pk, "other", 2)


def test_the_supervisor_releases_at_once_what_its_dead_worker_held(claimed, settings):
    from django_tasks_db.models import DBTaskResult

    from pazar.batches.models import BatchRequest
    from pazar.batches.services import batch_claim_next
    from pazar.core.heartbeat import worker_gone
    from pazar.core.supervisor import Child, Supervisor

    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    host = socket.gethostname()[:40]
    BatchRequest.objects.filter(pk=claimed.pk).update(leased_by=f"{host}-{dead.pid}")
    queued = DBTaskResult.objects.count()
    exited = []
    child = Child(
        name="task worker",
        command=[sys.executable, "-c", "import time; time.sleep(60)"],
        env=dict(os.environ),
        restart=True,
        on_exit=lambda pid: (exited.append(pid), worker_gone(pid=pid)),
    )
    child.process = dead
    supervisor = Supervisor([child], log=lambda line: None)
    starts = []

    def start():  # the first start is the dead child's; the restart ends the run
        starts.append(time.monotonic())
        supervisor.stopping = len(starts) > 1

    child.start = start
    dead.kill()
    dead.wait()

    supervisor.run()

    assert exited == [dead.pid]
    assert len(starts) == 2
    batch = BatchRequest.objects.get(pk=claimed.pk)
    assert batch.status == BatchStatus.PROCESSING
    assert batch.lease_expires_at <= timezone.now()
    assert DBTaskResult.objects.count() == queued + 1  # queued again for any worker
    taken = batch_claim_next(seller_id=claimed.seller_id, worker="fresh")
    assert (taken.leased_by, taken.attempts) == ("fresh", 2)
