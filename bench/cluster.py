"""Pazar as a deployment of separate processes on this machine, for bench/scale_out.py,
bench/load.py and bench/faults/: web servers (`pazar serve --no-worker`) and task workers
(`pazar worker`) sharing one PostgreSQL database and one data directory (the storage), plus an
audit of every stock row the database writes, to prove that no batch row is applied twice.

The audit is a trigger the scripts install in their own throwaway database: every insert or
update of `inventory_productstock` appends (product, stock list, stock, transaction id) to
`bench_stock_audit`. A rolled-back attempt leaves nothing there, so for each batch the audit
holds exactly one entry per row it applied, all from one transaction, or none at all.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def django_in_process(database_url: str, data_dir: str) -> None:
    """Set Django up in this process on `database_url` (a benchmark that reads in process),
    with `PAZAR_DATA_DIR` a folder of that name in the temporary directory unless set."""
    import tempfile

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PAZAR_DATA_DIR", str(Path(tempfile.gettempdir()) / data_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pazar.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_web(env: dict, *, seconds: float = 60) -> tuple[subprocess.Popen, str]:
    """`pazar serve --no-worker` on a free port with `env` over this process's environment,
    once its web part answers `/health/?scope=web`; the process and its base URL."""
    import urllib.error
    import urllib.request

    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "pazar", "serve", "--port", str(port), "--no-worker"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health/?scope=web", timeout=5) as answer:
                if answer.status == 200:
                    return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("pazar serve did not start")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_execute(url: str, *statements: str) -> None:
    """Run statements in autocommit on the server of `url`, connected to its `postgres` database."""
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def fresh_database(url: str) -> str:
    """Drop and create the database `url` names (it is the script's own); returns `url`."""
    name = urlsplit(url).path.lstrip("/")
    assert name.replace("_", "").isalnum(), name
    admin_execute(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    return url


def sql_rows(url: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


AUDIT_SQL = """
CREATE TABLE IF NOT EXISTS bench_stock_audit (
    id bigserial PRIMARY KEY,
    product_id bigint NOT NULL,
    stock_list_id bigint NOT NULL,
    stock numeric NOT NULL,
    txid bigint NOT NULL DEFAULT txid_current(),
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE OR REPLACE FUNCTION bench_stock_audit_row() RETURNS trigger AS $$
BEGIN
    INSERT INTO bench_stock_audit (product_id, stock_list_id, stock)
    VALUES (NEW.product_id, NEW.stock_list_id, NEW.stock);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS bench_stock_audit ON inventory_productstock;
CREATE TRIGGER bench_stock_audit AFTER INSERT OR UPDATE ON inventory_productstock
    FOR EACH ROW EXECUTE FUNCTION bench_stock_audit_row();
"""


def install_stock_audit(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(AUDIT_SQL)


SETUP_SCRIPT = """
import json, sys
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from pazar.accounts.services import seller_access_token_create, seller_create
from pazar.catalog.models import DataType
from pazar.catalog.services import attribute_upsert, category_attribute_set, category_upsert
from pazar.inventory.services import stock_list_upsert
from pazar.pricing.services import price_list_upsert
from pazar.marketplace.services.settings import marketplace_settings_update

count, prefix, auto_approve = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
root = category_upsert(code="root", name="Marketplace")
leaf = category_upsert(code="tshirts", name="T-Shirts", parent=root)
color = attribute_upsert(key="COLOR", name="Color", data_type=DataType.DROPDOWN,
                         values=[{"label": "Red", "value": "R"}, {"label": "Blue", "value": "B"}])
category_attribute_set(category=leaf, attribute=color, is_required=True, is_variant=True)
usd = price_list_upsert(code="usd", name="USD", currency="USD")
stock = stock_list_upsert(code="main", name="Main")
marketplace_settings_update(data={"auto_approve_products": auto_approve})
sellers = []
for n in range(count):
    membership = seller_create(name=f"{prefix}-{n}", username=f"{prefix}-{n}",
                               password="not-used-1", email=f"{prefix}-{n}@example.com",
                               validate=False)
    usd.sellers.add(membership.seller)
    stock.sellers.add(membership.seller)
    _, key = seller_access_token_create(actor=membership.user, note="bench",
                                        valid_until=timezone.now() + timedelta(days=1))
    sellers.append({"id": str(membership.seller.pk), "name": membership.seller.name, "token": key})
print(json.dumps({"category": str(leaf.uuid), "price_list": str(usd.uuid),
                  "stock_list": str(stock.uuid), "stock_list_pk": stock.pk, "sellers": sellers}))
"""


@dataclass
class Catalog:
    category: str
    price_list: str
    stock_list: str
    stock_list_pk: int
    sellers: list[dict]


def product_row(catalog: Catalog, sku: str, stock: int) -> dict:
    return {
        "name": f"T-shirt {sku}",
        "base_code": sku.rsplit("-", 1)[0],
        "sku": sku,
        "category": catalog.category,
        "attributes": {"COLOR": "Red"},
        "prices": [
            {
                "price_list": catalog.price_list,
                "currency_type": "USD",
                "retail_price": "20.00",
                "price": "15.00",
                "tax_rate": "0.08",
            }
        ],
        "stocks": [{"stock_list": catalog.stock_list, "stock": str(stock), "unit_type": "qty"}],
    }


def stock_row(catalog: Catalog, sku: str, stock: int) -> dict:
    return {"sku": sku, "stock_list": catalog.stock_list, "stock": str(stock), "unit_type": "qty"}


def price_stock_row(catalog: Catalog, sku: str, stock: int) -> dict:
    return {
        "sku": sku,
        "price_list": catalog.price_list,
        "currency_type": "USD",
        "retail_price": f"{20 + stock % 1000}.00",
        "price": f"{10 + stock % 1000}.50",
        "tax_rate": "0.08",
        "stock_list": catalog.stock_list,
        "stock": str(stock),
        "unit_type": "qty",
    }


@dataclass
class Cluster:
    """Pazar's processes on this machine, all on one database and one data directory."""

    database_url: str
    data_dir: Path
    log_dir: Path
    redis_url: str | None = None
    extra_env: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)
    ports: dict = field(default_factory=dict)

    @property
    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PAZAR_") and k not in {"DATABASE_URL", "REDIS_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="pazar.settings",
            PAZAR_DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,
            PAZAR_RATE_LIMITS="off",
            PYTHONPATH=str(ROOT / "src"),
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        return env

    def run(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(
            [PYTHON, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{str(args)[:80]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def migrate(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.run("-m", "pazar", "migrate", "--verbosity", "0")
        self.run("-m", "pazar", "createcachetable", "--verbosity", "0")

    def setup_sellers(self, count: int, *, prefix: str = "seller", auto_approve=True) -> Catalog:
        out = self.run("-c", SETUP_SCRIPT, str(count), prefix, "1" if auto_approve else "0")
        return Catalog(**json.loads(out.strip().splitlines()[-1]))

    def _start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [PYTHON, *args],
            env=env or self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with all its children
        )
        log.close()
        self.processes[name] = process
        return process

    def start_web(self, name: str, *, workers: int = 1, port: int | None = None) -> int:
        """`pazar serve --no-worker`: one stateless web server (granian) on a loopback port."""
        port = port or free_port()
        metrics = self.data_dir / f"metrics-{name}"
        metrics.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
        args = ["-m", "pazar", "serve", "--no-worker", "--host", "127.0.0.1"]
        self._start(name, [*args, "--port", str(port), "--workers", str(workers)], env)
        self.ports[name] = port
        return port

    def start_worker(self, name: str, *, heartbeat: float = 2.0) -> subprocess.Popen:
        args = ["-m", "pazar", "worker", "--interval", "0.1", "--heartbeat", str(heartbeat)]
        return self._start(name, args)

    def wait_ready(self, name: str, timeout: float = 90) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.ports[name]}/health/"
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log(name)}")
            try:
                if httpx.get(url, timeout=2).status_code in {200, 503}:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer in {timeout}s:\n{self.log(name)}")

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def tree_pids(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def batch_report(url: str, *, with_files: bool = False) -> list[dict]:
    """Every batch request with the fields the checks read."""
    columns = [
        "id",
        "seller_id",
        "kind",
        "status",
        "total",
        "succeeded",
        "failed",
        "attempts",
        "leased_by",
        "processed_in",
        "created_at",
        "started_at",
        "finished_at",
        "error",
    ]
    if with_files:
        columns += ["request_file", "success_file", "error_file"]
    rows = sql_rows(url, f"SELECT {', '.join(columns)} FROM batches_batchrequest")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def audit_by_stock(url: str, stock_list_pk: int) -> dict[tuple[str, int], list[int]]:
    """(sku, stock written) → the transaction ids that wrote it, from the audit."""
    rows = sql_rows(
        url,
        "SELECT p.sku, a.stock::bigint, a.txid FROM bench_stock_audit a "
        "JOIN catalog_product p ON p.id = a.product_id WHERE a.stock_list_id = %s",
        [stock_list_pk],
    )
    audit: dict[tuple[str, int], list[int]] = {}
    for sku, stock, txid in rows:
        audit.setdefault((sku, stock), []).append(txid)
    return audit


def check_exactly_once(
    batches: list[dict], submitted: dict[str, list[tuple[str, int]]], audit: dict
) -> dict:
    """Compare each batch's rows with the audit.

    `submitted` maps a batch id to its rows' (sku, stock) pairs, each pair unique across the run.
    A completed batch must have written each of its rows exactly once, all in one transaction; a
    failed batch none of them. Returns counts of the problems found (all zero when correct).
    """
    problems = {
        "open": [],
        "applied_twice": [],
        "lost": [],
        "partial_or_split": [],
        "failed_but_applied": [],
        "wrong_counts": [],
    }
    by_id = {str(b["id"]).replace("-", ""): b for b in batches}
    for batch_id, pairs in submitted.items():
        batch = by_id.get(batch_id.replace("-", ""))
        if batch is None or batch["status"] not in (3, 4):
            problems["open"].append(batch_id)
            continue
        writes = [audit.get(pair, []) for pair in pairs]
        if batch["status"] == 4:
            if any(writes):
                problems["failed_but_applied"].append(batch_id)
            continue
        if any(len(w) > 1 for w in writes):
            problems["applied_twice"].append(batch_id)
        if any(len(w) == 0 for w in writes):
            problems["lost"].append(batch_id)
        if len({txid for w in writes for txid in w}) > 1:
            problems["partial_or_split"].append(batch_id)
        if (batch["total"], batch["succeeded"], batch["failed"]) != (len(pairs), len(pairs), 0):
            problems["wrong_counts"].append(batch_id)
    return problems
