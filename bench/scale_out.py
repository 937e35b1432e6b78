"""Scale-out on one machine: 2 web servers and 2 task workers on one PostgreSQL database.

    .venv/bin/python bench/scale_out.py            # 8 sellers, 200 batches of 50 rows

Starts `pazar serve --no-worker` twice (each its own port, one granian worker) and
`pazar worker` twice, all on the database `pazar_scaleout` (dropped and created again) of the
PostgreSQL server at 127.0.0.1:5432 and one shared data directory. Then, from 8 client
threads, sends batches to both web servers in turn: each seller's first batch creates its
products (PRD101), the others change their prices and stocks (PRD104) or stocks (PRD106). Every
row writes a stock figure no other row writes, and a trigger records every stock write, so the
script can show that:

- both web servers accepted batches and both workers applied them (`leased_by`);
- every batch completed, on its first attempt, with all its rows;
- every row was written exactly once, all rows of a batch in one transaction;
- each batch has exactly one `completed` log line, in one worker's log.

Writes bench/results/scale_out.json; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import (
    ROOT,
    Cluster,
    audit_by_stock,
    batch_report,
    check_exactly_once,
    fresh_database,
    install_stock_audit,
    price_stock_row,
    product_row,
    stock_row,
)

PATHS = {
    "PRD101": "/seller-center/api/i2/products/",
    "PRD104": "/seller-center/api/i2/products/prices-and-stocks/",
    "PRD106": "/seller-center/api/i2/products/stocks/",
}


def completed_lines(log: str) -> Counter:
    """batch id → number of `batch … completed` lines in a JSON log."""
    seen = Counter()
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and " completed: " in str(entry.get("message", "")):
            seen[str(entry.get("batch_id", "")).replace("-", "")] += 1
    return seen


class ConnectionCounter(threading.Thread):
    """Server connections to the database (pg_stat_activity), sampled twice a second."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.samples, self.stop_event = url, [], threading.Event()

    def run(self) -> None:
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop_event.wait(0.5):
                (count,) = conn.execute(
                    "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = %s", [name]
                ).fetchone()
                self.samples.append(count)

    @property
    def most(self) -> int:
        return max(self.samples, default=0)

    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else 0


class Submitter:
    """Sends batches round-robin to the web servers; remembers each batch's (sku, stock) rows."""

    def __init__(self, cluster: Cluster, webs: list[str], catalog) -> None:
        self.urls = [f"http://127.0.0.1:{cluster.ports[w]}" for w in webs]
        self.webs = webs
        self.catalog = catalog
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        self.submitted: dict[str, list[tuple[str, int]]] = {}
        self.accepted_by: Counter = Counter()
        self.turn = itertools.count()
        self.clients = {}

    def next_stock(self) -> int:
        with self.lock:
            return next(self.counter)

    def send(self, seller: dict, kind: str, skus: list[str]) -> str:
        stocks = [self.next_stock() for _ in skus]
        make = {"PRD101": product_row, "PRD104": price_stock_row, "PRD106": stock_row}[kind]
        rows = [make(self.catalog, sku, stock) for sku, stock in zip(skus, stocks, strict=True)]
        index = next(self.turn) % len(self.urls)
        response = httpx.post(
            self.urls[index] + PATHS[kind],
            json=rows,
            headers={"Authorization": f"Token {seller['token']}"},
            timeout=60,
        )
        if response.status_code != 202:
            raise RuntimeError(f"{kind}: {response.status_code} {response.text[:500]}")
        batch_id = response.json()["batch_request_id"]
        with self.lock:
            self.submitted[batch_id] = list(zip(skus, stocks, strict=True))
            self.accepted_by[self.webs[index]] += 1
        return batch_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/pazar_scaleout"
    )
    parser.add_argument("--sellers", type=int, default=8)
    parser.add_argument("--batches", type=int, default=200, help="in all, PRD101 included")
    parser.add_argument("--rows", type=int, default=50, help="rows per batch")
    parser.add_argument("--web", type=int, default=2, help="web server processes")
    parser.add_argument("--workers", type=int, default=2, help="task worker processes")
    parser.add_argument("--clients", type=int, default=8, help="client threads sending batches")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/scale_out.json")
    parser.add_argument("--keep", action="store_true", help="keep the data dir and logs")
    parser.add_argument(
        "--db-pool", default="", help="PAZAR_DB_POOL for every process, e.g. on (docs/deploy.md)"
    )
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="pazar-scaleout-"))
    cluster = Cluster(
        database_url=fresh_database(args.database_url),
        data_dir=base / "data",
        log_dir=base / "logs",
        extra_env={"PAZAR_LOG_FORMAT": "json", "PAZAR_DB_POOL": args.db_pool},
    )
    print(f"data and logs in {base}")
    try:
        cluster.migrate()
        install_stock_audit(args.database_url)
        catalog = cluster.setup_sellers(args.sellers, prefix="scaleout")
        webs = [f"web-{n + 1}" for n in range(args.web)]
        workers = [f"worker-{n + 1}" for n in range(args.workers)]
        for name in webs:
            cluster.start_web(name)
        for name in workers:
            cluster.start_worker(name)
        for name in webs:
            cluster.wait_ready(name)
        worker_pids = {cluster.processes[name].pid: name for name in workers}

        connections = ConnectionCounter(args.database_url)
        connections.start()
        submitter = Submitter(cluster, webs, catalog)
        skus = {
            s["id"]: [f"SO{n}-{i:05d}" for i in range(args.rows)]
            for n, s in enumerate(catalog.sellers)
        }
        started = time.monotonic()
        # Each seller's products first; then offers, spread over the sellers.
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda s: submitter.send(s, "PRD101", skus[s["id"]]), catalog.sellers))
            plan = [
                (catalog.sellers[n % len(catalog.sellers)], "PRD104" if n % 2 else "PRD106")
                for n in range(max(0, args.batches - len(catalog.sellers)))
            ]
            list(pool.map(lambda p: submitter.send(p[0], p[1], skus[p[0]["id"]]), plan))
        submitted_in = time.monotonic() - started
        print(f"{len(submitter.submitted)} batches sent in {submitted_in:.1f}s")

        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            batches = batch_report(args.database_url)
            if all(b["status"] in (3, 4) for b in batches):
                break
            time.sleep(0.5)
        drained_in = time.monotonic() - started
        batches = batch_report(args.database_url)
        time.sleep(1)  # let the last log lines reach the files
        connections.stop_event.set()
    finally:
        cluster.stop_all()

    audit = audit_by_stock(args.database_url, catalog.stock_list_pk)
    problems = check_exactly_once(batches, submitter.submitted, audit)
    applied_by = Counter(
        worker_pids.get(int(b["leased_by"].rsplit("-", 1)[1]), b["leased_by"])
        for b in batches
        if b["leased_by"]
    )
    log_lines = Counter()
    for name in workers:
        log_lines.update(completed_lines(cluster.log(name)))
    rows_applied = sum(b["succeeded"] for b in batches)
    first = min(b["started_at"] for b in batches)
    last = max(b["finished_at"] for b in batches)
    checks = {
        "every web server accepted batches": all(submitter.accepted_by[w] > 0 for w in webs),
        "every worker applied batches": all(applied_by[w] > 0 for w in workers),
        "every batch completed": all(b["status"] == 3 for b in batches),
        "every batch on its first attempt": all(b["attempts"] == 1 for b in batches),
        "no row applied twice, none lost, none split": not any(problems.values()),
        "one completed log line per batch": (
            set(log_lines) == {str(b["id"]).replace("-", "") for b in batches}
            and set(log_lines.values()) == {1}
        ),
    }
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "command": " ".join(["bench/scale_out.py", *sys.argv[1:]]),
        "parameters": vars(args) | {"out": str(args.out)},
        "batches": len(batches),
        "rows": rows_applied,
        "stock_writes_audited": sum(len(v) for v in audit.values()),
        "accepted_by_web": dict(submitter.accepted_by),
        "applied_by_worker": dict(applied_by),
        "attempts": dict(Counter(b["attempts"] for b in batches)),
        "server_connections_max": connections.most,
        "server_connections_median": connections.median(),
        "statuses": dict(Counter(b["status"] for b in batches)),
        "sent_seconds": round(submitted_in, 2),
        "drained_seconds": round(drained_in, 2),
        "rows_per_second_first_start_to_last_finish": round(
            rows_applied / max((last - first).total_seconds(), 1e-9), 1
        ),
        "problems": {k: len(v) for k, v in problems.items()},
        "checks": checks,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(json.dumps({k: result[k] for k in list(result)[4:]}, indent=2, default=str))
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
