"""Fault: a worker is killed with SIGKILL in the middle of a batch, 100 times.

    .venv/bin/python bench/faults/kill_worker.py                 # 100 kills inside a batch
    .venv/bin/python bench/faults/kill_worker.py --trials 20 --supervised

On a private PostgreSQL cluster (port 55432): one web server, two workers, ten sellers with 1000
products each, the default batch lease (`--lease` to change it). Each trial sends a 1000-row
batch (PRD101 or PRD104, each row a stock figure no other row writes), waits until a worker has
claimed it, waits a random 0-150 ms more and kills that worker's process with SIGKILL, then
starts a fresh worker. With `--supervised` it first releases what the dead worker held, as
`pazar serve`'s supervisor does (`pazar.core.heartbeat.worker_gone`); without, the batch waits
for its lease to run out. The takeover time of a trial is from the kill to the batch's end
(the next trial starts after it). A trial counts when the kill came before the batch committed
(the batch is still open once its worker is dead); kills that came too late are retried, up to
twice the trials asked for. Whether the killed worker's database session had written rows in
an open transaction at that moment is recorded too.

Checks (as all fault scripts): every batch ends completed or failed, no row applied twice or
lost, nothing of a failed batch applied, every answer JSON. Writes
bench/results/faults-kill_worker.json.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PrivateServices,
    Traffic,
    deployment,
    final_checks,
    sql_rows,
    wait_until_all_ended,
    write_result,
)


def batch_state(url: str, batch_id: str) -> tuple[int, str, int] | None:
    rows = sql_rows(
        url,
        "SELECT status, leased_by, attempts FROM batches_batchrequest WHERE id = %s",
        [batch_id],
    )
    return rows[0] if rows else None


def supervisor_release(database_url: str):
    """What `pazar serve` runs when its worker dies, here in this process, on the cluster."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    import django

    django.setup()
    from pazar.core.heartbeat import worker_gone

    return worker_gone


def session_writing(url: str, pid: int) -> bool | None:
    """Whether the worker process `pid` has a database session in a transaction that wrote."""
    import psutil

    try:
        ports = {c.laddr.port for c in psutil.Process(pid).net_connections(kind="tcp")}
    except psutil.Error:
        return None
    rows = sql_rows(
        url,
        "SELECT client_port FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
        "AND pid <> pg_backend_pid()",
    )
    return any(port in ports for (port,) in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1000, help="rows per batch")
    parser.add_argument("--sellers", type=int, default=10)
    parser.add_argument("--max-delay", type=float, default=0.15)
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--lease", type=float, help="PAZAR_BATCH_LEASE_SECONDS (default: Pazar's)")
    parser.add_argument("--supervised", action="store_true", help="release as `pazar serve` does")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with PrivateServices(pg_port=args.pg_port) as services:
        extra_env = {"PAZAR_BATCH_LEASE_SECONDS": str(args.lease)} if args.lease else {}
        cluster, catalog = deployment(services, sellers=args.sellers, extra_env=extra_env)
        url = cluster.database_url
        release = supervisor_release(url) if args.supervised else None
        workers = iter(range(1, 10_000))
        live = []
        trials, too_late = [], 0
        try:
            cluster.start_web("web-1")
            for _ in range(2):
                live.append(f"worker-{next(workers)}")
                cluster.start_worker(live[-1], heartbeat=1.0)
            cluster.wait_ready("web-1")
            traffic = Traffic(cluster, catalog, ["web-1"], rows=args.rows)
            traffic.create_products()
            wait_until_all_ended(url, timeout=300)
            traffic.start(senders=0, readers=1, pause=0.3)
            client = httpx.Client()
            attempt = 0
            while len(trials) < args.trials and attempt < 2 * args.trials:
                seller = catalog.sellers[attempt % len(catalog.sellers)]
                kind = "PRD101" if attempt % 2 else "PRD104"
                attempt += 1
                batch_id = traffic.send(seller, kind, client)
                if batch_id is None:
                    continue
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    state = batch_state(url, batch_id)
                    if state and state[0] in (2, 3, 4) and state[1]:
                        break
                    time.sleep(0.005)
                status, leased_by, _ = state
                holder_pid = int(leased_by.rsplit("-", 1)[1])
                holder = next((n for n in live if cluster.processes[n].pid == holder_pid), None)
                if status != 2 or holder is None:
                    too_late += 1
                    continue
                delay = rng.uniform(0, args.max_delay)
                time.sleep(delay)
                writing = session_writing(url, holder_pid)
                os.killpg(cluster.processes[holder].pid, signal.SIGKILL)
                killed_at = time.monotonic()
                cluster.processes[holder].wait(timeout=10)
                if release is not None:
                    release(pid=holder_pid)
                cluster.processes.pop(holder)
                live.remove(holder)
                after = batch_state(url, batch_id)
                live.append(f"worker-{next(workers)}")
                cluster.start_worker(live[-1], heartbeat=1.0)
                if after[0] == 3 and after[1] == leased_by:
                    too_late += 1  # it committed before the signal arrived
                    continue
                while (ended := batch_state(url, batch_id)) and ended[0] not in (3, 4):
                    if time.monotonic() - killed_at > 120:
                        break
                    time.sleep(0.02)
                trials.append(
                    {
                        "batch": batch_id,
                        "kind": kind,
                        "delay_ms": round(delay * 1000),
                        "transaction_had_written": writing,
                        "ended_after_kill_s": round(time.monotonic() - killed_at, 3),
                    }
                )
            traffic.stop()
            batches = wait_until_all_ended(url, timeout=600)
        finally:
            cluster.stop_all()

        result = final_checks(cluster, catalog, traffic, batches)
        by_id = {str(b["id"]): b for b in batches}
        for trial in trials:
            batch = by_id[trial["batch"]]
            trial.update(final_status=batch["status"], attempts=batch["attempts"])
        result["checks"]["every killed batch ended"] = all(
            t["final_status"] in (3, 4) for t in trials
        )
        result["checks"][f"{args.trials} kills inside a batch"] = len(trials) == args.trials
        takeover = sorted(t["ended_after_kill_s"] for t in trials)
        result.update(
            lease_seconds=args.lease or "default",
            supervised=args.supervised,
            kill_to_completed_seconds={
                "min": takeover[0] if takeover else None,
                "median": statistics.median(takeover) if takeover else None,
                "p90": takeover[int(0.9 * (len(takeover) - 1))] if takeover else None,
                "max": takeover[-1] if takeover else None,
            },
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            command="bench/faults/kill_worker.py " + " ".join(sys.argv[1:]),
            kills_inside_a_batch=len(trials),
            kills_after_commit_retried=too_late,
            killed_batches_final_status=dict(Counter(str(t["final_status"]) for t in trials)),
            killed_batches_attempts=dict(Counter(str(t["attempts"]) for t in trials)),
            kills_while_the_transaction_had_written=sum(
                1 for t in trials if t["transaction_had_written"]
            ),
            trials=trials,
        )
        name = "kill_worker-supervised" if args.supervised else "kill_worker"
        path = write_result(name, result)
    keys = (
        "kill_to_completed_seconds",
        "kills_inside_a_batch",
        "kills_after_commit_retried",
        "kills_while_the_transaction_had_written",
        "killed_batches_final_status",
        "killed_batches_attempts",
        "batch_statuses",
        "problems",
        "checks",
    )
    print(f"{path}:")
    print({k: result[k] for k in keys})
    print(result["answers"])
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
