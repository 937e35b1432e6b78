"""Fault: PostgreSQL stops and starts again while batches are being accepted and applied.

    .venv/bin/python bench/faults/pg_restart.py            # 5 outages of 3 s

On a private PostgreSQL cluster (port 55432, bench/faults/private.py): one web server and two
workers; clients keep sending PRD101/104/106 batches and reading PRD102/PRD107. The server is
stopped (`pg_ctl stop -m fast`: sessions are cut mid-transaction), kept down for a while, and
started again, several times. Then the clients stop and the script waits for every batch to end.

Checks: every batch ends completed or failed, no row applied twice or lost, a failed batch left
nothing; every answer during the outages was JSON (a 503 saying the database is unavailable);
the web server and both workers are still running (not restarted by anyone) and a batch sent
after the last outage completes. Writes bench/results/faults-pg_restart.json.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PrivateServices,
    Traffic,
    deployment,
    final_checks,
    log_lines,
    wait_until_all_ended,
    write_result,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outages", type=int, default=5)
    parser.add_argument("--down-seconds", type=float, default=3.0)
    parser.add_argument("--between-seconds", type=float, default=6.0)
    parser.add_argument("--rows", type=int, default=200, help="rows per batch")
    parser.add_argument("--pg-port", type=int, default=55432)
    args = parser.parse_args()

    with PrivateServices(pg_port=args.pg_port) as services:
        cluster, catalog = deployment(
            services, sellers=6, extra_env={"PAZAR_BATCH_LEASE_SECONDS": "5"}
        )
        webs, workers = ["web-1"], ["worker-1", "worker-2"]
        try:
            cluster.start_web("web-1")
            for name in workers:
                cluster.start_worker(name)
            cluster.wait_ready("web-1")
            traffic = Traffic(cluster, catalog, webs, rows=args.rows)
            traffic.create_products()
            traffic.start(senders=2, readers=2, pause=0.2)
            outages = []
            for _ in range(args.outages):
                time.sleep(args.between_seconds)
                began = time.monotonic()
                services.postgres.stop("fast")
                time.sleep(args.down_seconds)
                services.postgres.start()
                outages.append(round(time.monotonic() - began, 2))
            time.sleep(args.between_seconds)
            traffic.stop()
            batches = wait_until_all_ended(cluster.database_url, timeout=180)

            # Recovered by itself: the processes are the ones started, and new work completes.
            alive = {name: cluster.processes[name].poll() is None for name in [*webs, *workers]}
            after = traffic.send(catalog.sellers[0], "PRD106", httpx.Client())
            batches = wait_until_all_ended(cluster.database_url, timeout=60)
            health = httpx.get(f"http://127.0.0.1:{cluster.ports['web-1']}/health/", timeout=10)
        finally:
            cluster.stop_all()

        result = final_checks(cluster, catalog, traffic, batches)
        result["checks"].update(
            {
                "web server and workers kept running": all(alive.values()),
                "a batch sent afterwards completed": after is not None
                and any(str(b["id"]) == str(uuid.UUID(after)) and b["status"] == 3
                        for b in batches),
                "/health/ ok afterwards": health.status_code == 200,
            }
        )  # fmt: skip
        result.update(
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            command="bench/faults/pg_restart.py " + " ".join(sys.argv[1:]),
            outage_seconds=outages,
            processes_alive=alive,
            health_after=health.json(),
            worker_database_errors_logged=len(log_lines(cluster, workers, "database")),
        )
        path = write_result("pg_restart", result)
    print(f"{path}:")
    print({k: result[k] for k in ("batch_statuses", "attempts", "problems", "checks")})
    print(result["answers"])
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
