"""Fault: Redis (rate limit counters and cache) goes away, then hangs, under traffic.

    .venv/bin/python bench/faults/redis_down.py

On a private PostgreSQL cluster (port 55432) and a private redis-server (port 56379): one web
server and two workers with REDIS_URL set and rate limits on. Clients keep sending batches and
reading. Redis is stopped for a while and started again; later it is paused (SIGSTOP: it keeps
its connections and answers nothing) and resumed. In each outage a login probe tries a wrong
password 12 times for one user, whose limit is 10 a minute.

Checks, besides those of every fault script: no 5xx at all; the login limit held during both
outages (the 11th and 12th attempts are 429: counted in the database meanwhile); no request
took 3 s or more; the web server logged each outage's start and end once per process and store
(pazar.outage); Redis counts again afterwards. Writes bench/results/faults-redis_down.json.
"""

from __future__ import annotations

import argparse
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
    log_lines,
    wait_until_all_ended,
    write_result,
)

LOGIN = "/seller-center/api/i1/token/obtain/"


def login_probe(base: str, email: str) -> list[int]:
    with httpx.Client() as client:
        return [
            client.post(
                base + LOGIN, json={"email": email, "password": "wrong"}, timeout=30
            ).status_code
            for _ in range(12)
        ]


def window(timings: list, start: float, end: float) -> dict:
    took = sorted(t for at, t in timings if start <= at <= end)
    if not took:
        return {"requests": 0}
    return {
        "requests": len(took),
        "median_ms": round(statistics.median(took) * 1000, 1),
        "max_ms": round(took[-1] * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down-seconds", type=float, default=10.0)
    parser.add_argument("--between-seconds", type=float, default=6.0)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--redis-port", type=int, default=56379)
    args = parser.parse_args()

    with PrivateServices(pg_port=args.pg_port, redis_port=args.redis_port) as services:
        cluster, catalog = deployment(
            services,
            sellers=4,
            redis=True,
            extra_env={
                "PAZAR_RATE_LIMITS": "products=100000/min,login=10/min,login-address=100000/min"
            },
        )
        redis_server = services.redis
        phases, probes = {}, {}
        try:
            cluster.start_web("web-1")
            for name in ("worker-1", "worker-2"):
                cluster.start_worker(name)
            cluster.wait_ready("web-1")
            base = f"http://127.0.0.1:{cluster.ports['web-1']}"
            traffic = Traffic(cluster, catalog, ["web-1"], rows=args.rows)
            traffic.create_products()
            traffic.start(senders=2, readers=2, pause=0.1)
            for n, (fault, begin, end) in enumerate(
                [
                    ("stopped", redis_server.stop, redis_server.start),
                    ("hanging", redis_server.pause, redis_server.resume),
                ]
            ):
                time.sleep(args.between_seconds)
                started = time.monotonic()
                begin()
                time.sleep(1)
                probes[fault] = login_probe(base, f"fault-{n}@example.com")
                time.sleep(max(0.0, args.down_seconds - 1))
                end()
                phases[fault] = (started, time.monotonic())
            time.sleep(args.between_seconds)
            probes["after"] = login_probe(base, "fault-3@example.com")
            traffic.stop()
            batches = wait_until_all_ended(cluster.database_url, timeout=180)
            alive = {n: p.poll() is None for n, p in cluster.processes.items()}
            time.sleep(1)
        finally:
            cluster.stop_all()

        result = final_checks(cluster, catalog, traffic, batches)
        outage_log = [
            (e["level"], e.get("service"), e.get("outage"))
            for e in log_lines(cluster, ["web-1"], "Redis (")
        ]
        timings = traffic.answers.timings
        result["checks"].update(
            {
                "no 5xx": result["answers"]["unavailable_503"] == 0
                and result["answers"]["other_5xx"] == 0,
                "login limit held in each outage": all(
                    probes[f][:10] == [400] * 10 and probes[f][10:] == [429, 429]
                    for f in ("stopped", "hanging", "after")
                ),
                "no request took 3 s": all(t < 3 for _, t in timings),
                "each outage logged when it started and ended": Counter(outage_log)
                == Counter(
                    {
                        ("ERROR", "Redis (rate limit counters)", "started"): 2,
                        ("WARNING", "Redis (rate limit counters)", "ended"): 2,
                        ("ERROR", "Redis (cache)", "started"): 2,
                        ("WARNING", "Redis (cache)", "ended"): 2,
                    }
                ),
                "processes kept running": all(alive.values()),
            }
        )
        result.update(
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            command="bench/faults/redis_down.py " + " ".join(sys.argv[1:]),
            login_probes=probes,
            latency_by_phase={
                "stopped": window(timings, *phases["stopped"]),
                "hanging": window(timings, *phases["hanging"]),
                "otherwise": window(
                    [
                        (at, t)
                        for at, t in timings
                        if not any(a <= at <= b for a, b in phases.values())
                    ],
                    0,
                    float("inf"),
                ),
            },
            outage_log=[list(item) for item in outage_log],
        )
        path = write_result("redis_down", result)
    keys = ("batch_statuses", "problems", "login_probes", "latency_by_phase", "checks")
    print(f"{path}:")
    print({k: result[k] for k in keys})
    print(result["answers"])
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
