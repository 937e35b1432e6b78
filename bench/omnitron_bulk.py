"""Omnitron bulk writes (issue 5), run by hand.

    .venv/bin/python bench/omnitron_bulk.py --database sqlite
    .venv/bin/python bench/omnitron_bulk.py --database postgres   # needs PostgreSQL on 127.0.0.1:5432

Measures one POST of 1000 product stocks to `/api/i1/product_stock/` and one of 1000 product
prices to `/api/i1/product_price/` (by SKU, the ERP's way), each as new rows (a fresh stock or
price list per run) and as updates of existing rows, twice:
- over HTTP against `pazar serve` (granian), the time a client waits for the 201;
- in process through Django's test client, with the SQL statements run through Django's cursor
  and the time spent in them (on PostgreSQL the upsert itself goes through the driver's cursor,
  see pazar.core.sql, and is not among them), beside the floor: the same rows written by one
  upsert statement (pazar.core.sql.upsert, rolled back).
Target: at most 300 ms per request. Writes bench/results/omnitron_bulk-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/pazar_bench_omnitron"
TARGET_MS = 300


def prepare_environment(database: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="pazar-bench-")
    env = {
        "PAZAR_DATA_DIR": data_dir,
        "PAZAR_RATE_LIMITS": "off",
        "PAZAR_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "pazar.settings",
    }
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        for sql in (
            "DROP DATABASE IF EXISTS pazar_bench_omnitron",
            "CREATE DATABASE pazar_bench_omnitron",
        ):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True
            )
        env["DATABASE_URL"] = PG_URL
    os.environ.update(env)
    return env


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SqlTimer:
    """Counts the statements Django runs and the time spent in them (an execute wrapper)."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class Bench:
    def __init__(self, runs: int, rows: int) -> None:
        import django

        django.setup()
        from django.core.management import call_command
        from rest_framework.test import APIClient

        call_command("migrate", verbosity=0)
        self.runs, self.rows = runs, rows
        self.key = self.operator_key()
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.key}")
        self.skus = self.load_products(rows)

    @staticmethod
    def operator_key() -> str:
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        user, _ = get_user_model().objects.get_or_create(
            username="bench-operator", defaults={"is_staff": True, "is_superuser": True}
        )
        return Token.objects.get_or_create(user=user)[0].key

    @staticmethod
    def load_products(n: int) -> list[str]:
        """The operator's own products (no seller), as an ERP would have created them."""
        from django.db import connection

        from pazar.catalog.models import Product

        Product.objects.bulk_create(
            [
                Product(sku=f"ERP-{i:06d}", base_code=f"ERP-{i // 5}", name=f"ERP product {i}")
                for i in range(n)
            ],
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        return [f"ERP-{i:06d}" for i in range(n)]

    # --- bodies -------------------------------------------------------------------------------

    def new_lists(self) -> tuple[int, int]:
        from pazar.inventory.services import stock_list_create
        from pazar.pricing.services import price_list_create

        stamp = time.monotonic_ns()
        price_list = price_list_create(name=f"Bench {stamp}", code=f"p{stamp}", currency="try")
        stock_list = stock_list_create(name=f"Bench {stamp}", code=f"s{stamp}")
        return price_list.pk, stock_list.pk

    def stock_rows(self, stock_list: int, shift: int = 0) -> list[dict]:
        return [
            {"product_sku": sku, "stock_list": stock_list, "stock": (i + shift) % 90}
            for i, sku in enumerate(self.skus)
        ]

    def price_rows(self, price_list: int, shift: int = 0) -> list[dict]:
        return [
            {
                "product_sku": sku,
                "price_list": price_list,
                "price": f"{80 + (i + shift) % 20}.99",
                "retail_price": "99.99",
                "tax_rate": "18.00",
            }
            for i, sku in enumerate(self.skus)
        ]

    # --- in process ---------------------------------------------------------------------------

    def post(self, url: str, rows: list[dict]) -> tuple[float, SqlTimer]:
        from django.db import connection

        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = self.client.post(url, rows, format="json")
            elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.content[:2000]
        assert len(response.json()) == len(rows)
        return elapsed, timer

    def in_process(self) -> dict:
        results = {}
        for name, url, make in [
            ("product_stock", "/omnitron/api/i1/product_stock/", "stock_rows"),
            ("product_price", "/omnitron/api/i1/product_price/", "price_rows"),
        ]:
            created, updated, sql = [], [], {}
            warm_up = self.new_lists()[1 if name == "product_stock" else 0]
            self.post(url, getattr(self, make)(warm_up)[:1])
            for run in range(self.runs):
                price_list, stock_list = self.new_lists()
                target = stock_list if name == "product_stock" else price_list
                elapsed, timer = self.post(url, getattr(self, make)(target))
                created.append(elapsed)
                sql["created"] = {"statements": timer.count, "ms": round(timer.seconds * 1000, 2)}
                elapsed, timer = self.post(url, getattr(self, make)(target, shift=run + 1))
                updated.append(elapsed)
                sql["updated"] = {"statements": timer.count, "ms": round(timer.seconds * 1000, 2)}
            results[name] = {
                "rows": self.rows,
                "created_median_ms": median_ms(created),
                "updated_median_ms": median_ms(updated),
                "django_cursor_sql_of_last_run": sql,
                "floor_one_upsert_ms": self.floor(name),
            }
        return results

    def floor(self, name: str) -> float:
        """One upsert statement of the same (already parsed) rows, rolled back."""
        from decimal import Decimal

        from django.db import transaction
        from django.utils import timezone

        from pazar.catalog.models import Product
        from pazar.core.sql import upsert
        from pazar.inventory.models import ProductStock
        from pazar.pricing.models import ProductPrice

        ids = list(Product.objects.filter(sku__in=self.skus).values_list("pk", flat=True))
        samples = []
        for _ in range(self.runs):
            price_list, stock_list = self.new_lists()
            now = timezone.now()
            with transaction.atomic():
                started = time.perf_counter()
                if name == "product_stock":
                    upsert(
                        ProductStock,
                        columns=["product", "stock_list", "stock", "unit_type",
                                 "sold_quantity_unreported", "extra_field", "created_at", "updated_at"],
                        rows=[(pk, stock_list, Decimal(i % 90), "qty", Decimal(0), {}, now, now)
                              for i, pk in enumerate(ids)],
                        conflict=["product", "stock_list"],
                        update=["stock", "updated_at"],
                    )  # fmt: skip
                else:
                    upsert(
                        ProductPrice,
                        columns=["product", "price_list", "price", "retail_price", "tax_rate",
                                 "currency_type", "created_at", "updated_at"],
                        rows=[(pk, price_list, Decimal("89.99"), Decimal("99.99"), Decimal("0.18"),
                               "TRY", now, now) for pk in ids],
                        conflict=["product", "price_list"],
                        update=["price", "updated_at"],
                    )  # fmt: skip
                samples.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        return median_ms(samples)

    # --- over HTTP ----------------------------------------------------------------------------

    def serve(self, env: dict) -> tuple[subprocess.Popen, str]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "pazar", "serve", "--port", str(port), "--no-worker"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        import requests

        for _ in range(200):
            try:
                # 503 (no task worker) is fine: the web server answers.
                if requests.get(f"{base}/health/", timeout=5).status_code in (200, 503):
                    return process, base
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def http(self, env: dict) -> dict:
        import requests

        process, base = self.serve(env)
        session = requests.Session()
        session.headers.update(
            {"Authorization": f"Token {self.key}", "Content-Type": "application/json"}
        )
        results = {}
        try:
            for name, make in [("product_stock", "stock_rows"), ("product_price", "price_rows")]:
                url = f"{base}/omnitron/api/i1/{name}/"
                created, updated = [], []
                warm_up = self.new_lists()[1 if name == "product_stock" else 0]
                session.post(url, data=json.dumps(getattr(self, make)(warm_up)[:1]).encode())
                for run in range(self.runs):
                    price_list, stock_list = self.new_lists()
                    target = stock_list if name == "product_stock" else price_list
                    for samples, shift in [(created, 0), (updated, run + 1)]:
                        body = json.dumps(getattr(self, make)(target, shift)).encode()
                        started = time.perf_counter()
                        response = session.post(url, data=body)
                        samples.append(time.perf_counter() - started)
                        assert response.status_code == 201, response.text[:2000]
                results[name] = {
                    "rows": self.rows,
                    "created_median_ms": median_ms(created),
                    "updated_median_ms": median_ms(updated),
                    "created_max_ms": round(max(created) * 1000, 2),
                    "updated_max_ms": round(max(updated) * 1000, 2),
                    "target_ms": TARGET_MS,
                }
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=1000, help="rows per request (≤ 1000)")
    parser.add_argument("--no-http", action="store_true", help="skip the live-server half")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    env = prepare_environment(args.database)
    bench = Bench(args.runs, args.rows)
    result = {
        "benchmark": "omnitron_bulk",
        "database": args.database,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "in_process": bench.in_process(),
    }
    if not args.no_http:
        result["http"] = bench.http(env)
    out = ROOT / "bench" / "results" / f"omnitron_bulk-{args.database}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
