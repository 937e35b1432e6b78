"""What the fault scripts share: a Pazar deployment on private servers, clients that keep
sending batches and reading while a fault is injected, and the final checks.

Every answer a client gets is recorded: its status and whether its body is JSON. The checks
after a run: every batch ended completed (3) or failed (4) with the right counts, every row of
a completed batch was written exactly once and in one transaction, nothing of a failed batch
was written (bench/cluster.py's stock audit), and every answer was JSON.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import (
    ROOT,
    Catalog,
    Cluster,
    audit_by_stock,
    batch_report,
    check_exactly_once,
    fresh_database,
    install_stock_audit,
    price_stock_row,
    product_row,
    sql_rows,
    stock_row,
)
from private import PrivateServices

__all__ = ["PrivateServices", "batch_report", "sql_rows"]

RESULTS = ROOT / "bench" / "results"
PATHS = {
    "PRD101": "/seller-center/api/i2/products/",
    "PRD104": "/seller-center/api/i2/products/prices-and-stocks/",
    "PRD106": "/seller-center/api/i2/products/stocks/",
}
MAKERS = {"PRD101": product_row, "PRD104": price_stock_row, "PRD106": stock_row}


def deployment(
    services: PrivateServices,
    *,
    sellers: int,
    data_dir: Path | None = None,
    redis: bool = False,
    extra_env: dict | None = None,
) -> tuple[Cluster, Catalog]:
    url = fresh_database(services.postgres.url("pazar_faults"))
    cluster = Cluster(
        database_url=url,
        data_dir=data_dir or services.base / "data",
        log_dir=services.base / "logs",
        redis_url=services.redis.url if redis and services.redis else None,
        extra_env={"PAZAR_LOG_FORMAT": "json", **(extra_env or {})},
    )
    cluster.migrate()
    install_stock_audit(url)
    return cluster, cluster.setup_sellers(sellers, prefix="fault")


@dataclass
class Answers:
    """Every answer clients got, by (what, status); non-JSON bodies and transport errors kept."""

    statuses: Counter = field(default_factory=Counter)
    not_json: list = field(default_factory=list)
    transport_errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: list = field(default_factory=list)  # (monotonic time answered, seconds taken)

    def record(self, what: str, response: httpx.Response | None, error: Exception | None = None):
        with self.lock:
            if response is None:
                self.transport_errors[f"{what} {error.__class__.__name__}"] += 1
                return
            self.statuses[f"{what} {response.status_code}"] += 1
            self.timings.append((time.monotonic(), response.elapsed.total_seconds()))
            if response.status_code == 204:
                return
            try:
                json.loads(response.content)
                is_json = response.headers.get("content-type", "").startswith("application/json")
            except ValueError:
                is_json = False
            if not is_json and len(self.not_json) < 20:
                self.not_json.append(
                    [what, response.status_code, response.headers.get("content-type"),
                     response.text[:300]]
                )  # fmt: skip

    def summary(self) -> dict:
        return {
            "statuses": dict(sorted(self.statuses.items())),
            "slowest_seconds": round(max((t for _, t in self.timings), default=0), 3),
            "transport_errors": dict(self.transport_errors),
            "not_json": self.not_json,
            "unavailable_503": sum(n for k, n in self.statuses.items() if k.endswith(" 503")),
            "other_5xx": sum(
                n for k, n in self.statuses.items() if k.split()[-1][0] == "5" and k[-3:] != "503"
            ),
        }


class Traffic:
    """Client threads: senders post batches, readers list products and poll batches."""

    def __init__(self, cluster: Cluster, catalog: Catalog, webs: list[str], *, rows: int) -> None:
        self.urls = [f"http://127.0.0.1:{cluster.ports[w]}" for w in webs]
        self.catalog, self.rows = catalog, rows
        self.answers = Answers()
        self.submitted: dict[str, list[tuple[str, int]]] = {}
        self.refused: Counter = Counter()
        self.stock_counter = itertools.count(1)
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.skus = {
            s["id"]: [f"F{n}-{i:05d}" for i in range(rows)] for n, s in enumerate(catalog.sellers)
        }
        self.owner: dict[str, dict] = {}

    def url(self) -> str:
        return random.choice(self.urls)

    def send(self, seller: dict, kind: str, client: httpx.Client) -> str | None:
        """Post one batch; returns its id when accepted (202)."""
        skus = self.skus[seller["id"]]
        with self.lock:
            stocks = [next(self.stock_counter) for _ in skus]
        rows = [MAKERS[kind](self.catalog, sku, st) for sku, st in zip(skus, stocks, strict=True)]
        try:
            response = client.post(
                self.url() + PATHS[kind],
                json=rows,
                headers={"Authorization": f"Token {seller['token']}"},
                timeout=30,
            )
        except httpx.HTTPError as exc:
            self.answers.record(f"POST {kind}", None, exc)
            return None
        self.answers.record(f"POST {kind}", response)
        if response.status_code != 202:
            with self.lock:
                self.refused[response.status_code] += 1
            return None
        batch_id = response.json()["batch_request_id"]
        with self.lock:
            self.submitted[batch_id] = list(zip(skus, stocks, strict=True))
            self.owner[batch_id] = seller
        return batch_id

    def create_products(self) -> None:
        """Every seller's products, once (PRD101), before the offers."""
        with httpx.Client() as client:
            for seller in self.catalog.sellers:
                while self.send(seller, "PRD101", client) is None:
                    time.sleep(0.5)

    def _sender(self, sellers: list[dict], pause: float) -> None:
        kinds = itertools.cycle(["PRD106", "PRD104", "PRD101"])
        with httpx.Client() as client:
            for seller in itertools.cycle(sellers):
                if self.stop_event.is_set():
                    return
                self.send(seller, next(kinds), client)
                self.stop_event.wait(pause)

    def _reader(self, pause: float) -> None:
        with httpx.Client() as client:
            while not self.stop_event.is_set():
                seller = random.choice(self.catalog.sellers)
                requests = [("GET PRD102", "/seller-center/api/i2/products/?limit=20", seller)]
                with self.lock:
                    recent = list(self.owner.items())[-50:]
                if recent:
                    batch, owner = random.choice(recent)
                    path = f"/seller-center/api/i2/products/batch-requests/{batch}/"
                    requests.append(("GET PRD107", path, owner))
                for what, path, seller in requests:
                    headers = {"Authorization": f"Token {seller['token']}"}
                    try:
                        response = client.get(self.url() + path, headers=headers, timeout=30)
                        self.answers.record(what, response)
                    except httpx.HTTPError as exc:
                        self.answers.record(what, None, exc)
                self.stop_event.wait(pause)

    def start(self, *, senders: int = 2, readers: int = 2, pause: float = 0.2) -> None:
        sellers = self.catalog.sellers
        for n in range(senders):
            mine = sellers[n::senders] or sellers
            self.threads.append(
                threading.Thread(target=self._sender, args=(mine, pause), daemon=True)
            )
        for _ in range(readers):
            self.threads.append(threading.Thread(target=self._reader, args=(pause,), daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=60)


def wait_until_all_ended(url: str, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        batches = batch_report(url)
        if all(b["status"] in (3, 4) for b in batches) or time.monotonic() > deadline:
            return batches
        time.sleep(1)


def final_checks(cluster: Cluster, catalog: Catalog, traffic: Traffic, batches: list[dict]):
    audit = audit_by_stock(cluster.database_url, catalog.stock_list_pk)
    problems = check_exactly_once(batches, traffic.submitted, audit)
    answers = traffic.answers.summary()
    statuses = Counter(b["status"] for b in batches)
    checks = {
        "every batch ended (completed or failed)": all(b["status"] in (3, 4) for b in batches),
        "every accepted batch is known": len(traffic.submitted) <= len(batches),
        "no row applied twice": not problems["applied_twice"],
        "no row of a completed batch lost": not problems["lost"] and not problems["wrong_counts"],
        "a batch applied in one transaction": not problems["partial_or_split"],
        "nothing of a failed batch applied": not problems["failed_but_applied"],
        "every answer JSON": not answers["not_json"],
        "no 5xx but 503": answers["other_5xx"] == 0,
    }
    return {
        "batches": len(batches),
        "batch_statuses": {str(k): v for k, v in sorted(statuses.items())},
        "attempts": {str(k): v for k, v in sorted(Counter(b["attempts"] for b in batches).items())},
        "failed_batches": [
            {"id": str(b["id"]), "attempts": b["attempts"], "error": b["error"][:300]}
            for b in batches
            if b["status"] == 4
        ][:20],
        "rows_applied": sum(b["succeeded"] for b in batches if b["status"] == 3),
        "stock_writes_audited": sum(len(v) for v in audit.values()),
        "problems": {k: len(v) for k, v in problems.items()},
        "answers": answers,
        "checks": checks,
    }


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"faults-{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


def log_lines(cluster: Cluster, names: list[str], contains: str) -> list[dict]:
    """JSON log entries of the named processes whose message contains `contains`."""
    found = []
    for name in names:
        for line in cluster.log(name).splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and contains in str(entry.get("message", "")):
                found.append(entry)
    return found
