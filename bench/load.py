"""Load: 50 sellers at once against a deployment on this machine, for a set time (locust).

    .venv/bin/python bench/load.py --duration 600     # the 10-minute run (a quiet machine)
    .venv/bin/python bench/load.py --duration 60      # a 1-minute run

Deployment: `pazar serve --no-worker --workers 2` (granian, 2 processes × 4 threads) and two
`pazar worker` processes on the PostgreSQL database `pazar_load` (dropped and created again) at
127.0.0.1:5432, rate limits raised to 100 000/min per family (still counted, in the database).
Each of the 50 sellers gets 200 products first. Then bench/locustfile.py runs headless on
loopback with 50 users (one per seller) for `--duration` seconds: PRD101/104/106 batches,
PRD102 pages and PRD107 polls. Afterwards the script waits until every batch has ended.

Measured: every answer's status by endpoint (zero 5xx), p50/p99 per endpoint (locust), batch
throughput in rows/s from the BatchRequest rows, how long sellers waited for their batches,
and the resident memory of every Pazar process sampled every few seconds (flat: after the
first minute's warm-up a process may not grow by more than 10 %). Writes
bench/results/load-<duration>s.json. Runs longer than 2 minutes refuse to start on a busy
machine (load average ≥ 1.5 or a pytest running) unless `--force`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
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
    batch_report,
    cmdline,
    fresh_database,
    product_row,
    rss_kib,
    tree_pids,
)

LIMITS = ",".join(
    f"{family}=100000/min"
    for family in ("products", "categories", "price-lists", "stock-lists", "access-tokens")
)


def busy() -> str | None:
    load = os.getloadavg()[0]
    tests = subprocess.run(["pgrep", "-f", "bin/pytest"], capture_output=True, text=True).stdout
    if load >= 1.5:
        return f"load average {load:.2f}"
    if tests.strip():
        return "a pytest is running"
    return None


def process_name(pid: int, roots: dict[int, str]) -> str:
    line = cmdline(pid)
    for root, name in roots.items():
        if pid == root:
            return f"{name} (supervisor)" if "serve" in line else name
    if "granian" in line:
        return "granian"
    return line[:60]


class Sampler(threading.Thread):
    """RSS of every process of the deployment, every `every` seconds."""

    def __init__(self, cluster: Cluster, every: float) -> None:
        super().__init__(daemon=True)
        self.cluster, self.every = cluster, every
        self.samples: dict[str, list[tuple[float, int]]] = {}
        self.stop_event = threading.Event()
        self.start_time = time.monotonic()

    def run(self) -> None:
        while not self.stop_event.is_set():
            at = time.monotonic() - self.start_time
            for name, process in self.cluster.processes.items():
                for pid in tree_pids(process.pid):
                    kib = rss_kib(pid)
                    if kib is None:
                        continue
                    label = name if pid == process.pid else f"{name}/{process_name(pid, {})}-{pid}"
                    self.samples.setdefault(label, []).append((round(at, 1), kib))
            self.stop_event.wait(self.every)


def memory_summary(samples: dict, warmup: float) -> dict:
    summary = {}
    for name, series in samples.items():
        settled = [kib for at, kib in series if at >= warmup] or [series[-1][1]]
        summary[name] = {
            "samples": len(series),
            "first_mib": round(series[0][1] / 1024, 1),
            "after_warmup_mib": round(settled[0] / 1024, 1),
            "last_mib": round(series[-1][1] / 1024, 1),
            "max_mib": round(max(k for _, k in series) / 1024, 1),
            "growth_after_warmup_pct": round(100 * (settled[-1] - settled[0]) / settled[0], 1),
        }
    return summary


def locust_stats(prefix: Path) -> dict:
    stats = {}
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": round(float(row["Max Response Time"]), 1),
            }
    return stats


def batch_summary(batches: list[dict]) -> dict:
    if not batches:
        return {}
    first = min(b["started_at"] or b["created_at"] for b in batches)
    last = max(b["finished_at"] or b["created_at"] for b in batches)
    span = max((last - first).total_seconds(), 1e-9)
    rows = sum(b["succeeded"] + b["failed"] for b in batches)
    waits = sorted(
        (b["finished_at"] - b["created_at"]).total_seconds() for b in batches if b["finished_at"]
    )
    by_kind = Counter(b["kind"] for b in batches)
    return {
        "batches": len(batches),
        "by_kind": dict(by_kind),
        "statuses": dict(Counter(str(b["status"]) for b in batches)),
        "rows": rows,
        "rows_failed": sum(b["failed"] for b in batches),
        "rows_per_second": round(rows / span, 1),
        "span_seconds": round(span, 1),
        "worker_seconds": round(sum(b["processed_in"] or 0 for b in batches), 1),
        "accept_to_done_p50_s": round(statistics.median(waits), 3) if waits else None,
        "accept_to_done_p99_s": round(waits[int(0.99 * (len(waits) - 1))], 3) if waits else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--users", type=int, default=50, help="simulated sellers")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--products", type=int, default=200, help="per seller")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample-every", type=float, default=5.0)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/pazar_load")
    parser.add_argument("--force", action="store_true", help="run even on a busy machine")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / f"bench/results/load-{args.duration}s.json"
    if args.duration > 120 and not args.force and (reason := busy()):
        raise SystemExit(f"not running {args.duration}s of load: {reason} (--force to run)")
    quiet_at_start = busy()

    base = Path(tempfile.mkdtemp(prefix="pazar-load-"))
    cluster = Cluster(
        database_url=fresh_database(args.database_url),
        data_dir=base / "data",
        log_dir=base / "logs",
        extra_env={"PAZAR_RATE_LIMITS": LIMITS, "PAZAR_LOG_LEVEL": "WARNING"},
    )
    print(f"data and logs in {base}")
    sampler = None
    try:
        cluster.migrate()
        catalog = cluster.setup_sellers(args.users, prefix="load")
        cluster.start_web("web", workers=args.web_workers)
        for n in range(args.workers):
            cluster.start_worker(f"worker-{n + 1}")
        cluster.wait_ready("web")
        url = f"http://127.0.0.1:{cluster.ports['web']}"

        # Each seller's products, before the clock starts.
        plan = {
            "category": catalog.category,
            "price_list": catalog.price_list,
            "stock_list": catalog.stock_list,
            "sellers": [],
        }
        for n, seller in enumerate(catalog.sellers):
            skus = [f"L{n}-{i:04d}" for i in range(args.products)]
            plan["sellers"].append({"token": seller["token"], "skus": skus})

        def create(entry):
            rows = [product_row(catalog, sku, 10) for sku in entry["skus"]]
            answer = httpx.post(
                f"{url}/seller-center/api/i2/products/",
                json=rows,
                headers={"Authorization": f"Token {entry['token']}"},
                timeout=60,
            )
            assert answer.status_code == 202, answer.text

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(create, plan["sellers"]))
        while any(b["status"] in (1, 2) for b in batch_report(args.database_url)):
            time.sleep(1)
        plan_path, status_path = base / "plan.json", base / "status.json"
        plan_path.write_text(json.dumps(plan))
        before = {str(b["id"]) for b in batch_report(args.database_url)}

        sampler = Sampler(cluster, args.sample_every)
        sampler.start()
        prefix = base / "locust"
        started = time.monotonic()
        subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench/locustfile.py"),
             "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
             "-t", f"{args.duration}s", "--host", url, "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            env={**os.environ, "PAZAR_LOAD_PLAN": str(plan_path),
                 "PAZAR_LOAD_STATUS": str(status_path)},
            check=False, timeout=args.duration + 300,
        )  # fmt: skip
        load_seconds = time.monotonic() - started
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            open_ = [b for b in batch_report(args.database_url) if b["status"] in (1, 2)]
            if not open_:
                break
            time.sleep(1)
        drained_after = time.monotonic() - started - load_seconds
        time.sleep(args.sample_every)
        sampler.stop_event.set()
        sampler.join(timeout=30)
        alive = {name: p.poll() is None for name, p in cluster.processes.items()}
    finally:
        if sampler:
            sampler.stop_event.set()
        cluster.stop_all()

    batches = [b for b in batch_report(args.database_url) if str(b["id"]) not in before]
    statuses = json.loads(status_path.read_text()) if status_path.exists() else {}
    five_xx = {k: v for k, v in statuses.items() if k.rsplit(" ", 1)[1].startswith("5")}
    transport = {k: v for k, v in statuses.items() if k.endswith(" 0")}
    warmup = min(60.0, args.duration / 4)
    memory = memory_summary(sampler.samples, warmup)
    summary = batch_summary(batches)
    checks = {
        "zero 5xx": not five_xx,
        "no transport errors": not transport,
        "every batch completed": summary.get("statuses") == {"3": len(batches)},
        "no failed rows": summary.get("rows_failed") == 0,
        "memory flat (≤ 10 % after warm-up)": all(
            m["growth_after_warmup_pct"] <= 10 for m in memory.values()
        ),
        "processes kept running": all(alive.values()),
    }
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/load.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "busy_at_start": quiet_at_start,
        "load_average_at_end": os.getloadavg(),
        "parameters": vars(args) | {"out": str(out)},
        "load_seconds": round(load_seconds, 1),
        "drained_seconds_after_load": round(drained_after, 1),
        "endpoints": locust_stats(prefix) if (base / "locust_stats.csv").exists() else {},
        "statuses": statuses,
        "batches": summary,
        "memory": memory,
        "memory_samples": sampler.samples,
        "checks": checks,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str) + "\n")
    print(f"{out}:")
    print(json.dumps({k: result[k] for k in ("endpoints", "batches", "memory", "checks")},
                     indent=1, default=str))  # fmt: skip
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
