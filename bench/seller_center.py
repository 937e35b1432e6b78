"""Seller Center benchmarks (issue: batches and product pages), run by hand.

    .venv/bin/python bench/seller_center.py --database sqlite
    .venv/bin/python bench/seller_center.py --database postgres   # needs PostgreSQL on 127.0.0.1:5432

Measures, each beside the floor it is compared with:
- worker time of a 1000-row PRD101 batch (attributes, one price, one stock each), new and changed
  rows, against one raw multi-row INSERT … ON CONFLICT of the same product, price and stock rows;
- worker time of a 1000-row PRD106 batch, against one raw upsert of the same stock rows;
- the 202 answer to a 1000-row PRD101 body over HTTP (`pazar serve`), against GET /health/?scope=web;
- PRD102 with one filter and limit=100 over 100 000 products over HTTP, against the same page's
  SQL run raw (the count included): the first page repeated (the count cached after the first
  request), cold (a product of the seller changed just before each request, so the count is
  computed again), and paging through pages 1-10 in turn;
- the worker's memory over 100 consecutive batches.
Writes bench/results/seller_center-<database>.json.
"""

from __future__ import annotations

import argparse
import gc
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
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DATABASE = "pazar_bench"


def prepare_environment(database: str, pg_database: str = PG_DATABASE) -> dict:
    data_dir = tempfile.mkdtemp(prefix="pazar-bench-")
    env = {
        "PAZAR_DATA_DIR": data_dir,
        "PAZAR_RATE_LIMITS": "off",
        "DJANGO_SETTINGS_MODULE": "pazar.settings",
    }
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        for sql in (f"DROP DATABASE IF EXISTS {pg_database}", f"CREATE DATABASE {pg_database}"):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True
            )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_database}"
    os.environ.update(env)
    return env


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bench:
    def __init__(self, runs: int, products: int) -> None:
        import django

        django.setup()
        from django.core.management import call_command
        from rest_framework.test import APIClient

        from pazar.accounts.models import Seller
        from pazar.catalog.models import Category
        from pazar.inventory.models import StockList
        from pazar.pricing.models import PriceList

        call_command("migrate", verbosity=0)
        call_command("demo", verbosity=0)
        self.runs, self.products = runs, products
        self.seller = Seller.objects.get(name="demo-seller")
        self.category = Category.objects.get(code="men-t-shirts")
        self.price_list = PriceList.objects.get(code="usd")
        self.stock_list = StockList.objects.get(code="main")
        self.client = APIClient()
        key = self.client.post(
            "/seller-center/api/i1/token/obtain/",
            {"email": "demo@example.com", "password": "demo"},
            format="json",
        ).json()["access"]
        self.key = key
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # --- bodies -------------------------------------------------------------------------------

    def product_rows(self, prefix: str, n: int = 1000, price: str = "89.99") -> list[dict]:
        return [
            {
                "name": f"Bench Tee {prefix} {i}",
                "base_code": f"{prefix}-{i // 5}",
                "sku": f"{prefix}-{i}",
                "category": str(self.category.uuid),
                "attributes": {
                    "COLOR": "Red",
                    "SIZE": ["S", "M", "L", "XL"][i % 4],
                    "ESTIMATED_SHIPPING_DURATION": 1 + i % 3,
                },
                "images": [f"https://cdn.example.com/{prefix}/{i}.jpg"],
                "prices": [
                    {
                        "price_list": str(self.price_list.uuid),
                        "currency_type": "USD",
                        "retail_price": "99.99",
                        "price": price,
                        "tax_rate": "0.08",
                    }
                ],
                "stocks": [
                    {
                        "stock_list": str(self.stock_list.uuid),
                        "stock": str(i % 90),
                        "unit_type": "qty",
                    }
                ],
            }
            for i in range(n)
        ]

    def accept_and_run(self, url: str, rows: list[dict]) -> tuple[float, object]:
        from pazar.batches.models import BatchRequest
        from pazar.batches.services import batch_run

        response = self.client.post(url, rows, format="json")
        assert response.status_code == 202, response.content
        batch_id = response.json()["batch_request_id"]
        # As timeit does: the benchmark's own garbage is collected before, not during, the batch
        # (a full collection of this process's heap costs tens of ms and lands at random).
        gc.collect()
        started = time.perf_counter()
        batch_run(batch_id=batch_id)
        elapsed = time.perf_counter() - started
        batch = BatchRequest.objects.get(pk=batch_id)
        assert (batch.status, batch.failed) == (3, 0), (batch.status, batch.failed, batch.error)
        return elapsed, batch

    # --- floors -------------------------------------------------------------------------------

    def raw_upsert_seconds(
        self, table: str, columns: list[str], rows: list[tuple], conflict: str, update: list[str]
    ) -> float:
        """One hand-written multi-row INSERT … ON CONFLICT through the driver, rolled back."""
        from django.db import connection, transaction

        on_conflict = f"ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in update)}"
        if connection.vendor == "postgresql":
            # PostgreSQL's fastest form of one statement for many rows: one array per column.
            types = self.column_types(table, columns)
            arrays = ", ".join(f"%s::{types[c]}[]" for c in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) {on_conflict}"
            params = [list(column) for column in zip(*rows, strict=True)]
        else:
            placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(rows))} {on_conflict}"
            params = [value for row in rows for value in row]
        with transaction.atomic():
            raw = connection.connection.cursor()
            started = time.perf_counter()
            raw.execute(sql.replace("%s", "?") if connection.vendor == "sqlite" else sql, params)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    @staticmethod
    def column_types(table: str, columns: list[str]) -> dict[str, str]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = %s",
                [table],
            )
            return {name: udt for name, udt in cursor.fetchall() if name in columns}

    def floor_prd101(self, prefix: str) -> float:
        from django.db import connection

        sqlite = connection.vendor == "sqlite"
        now = datetime.now(UTC).isoformat() if sqlite else datetime.now(UTC)

        def uid(value):
            return value.hex if sqlite else value

        attrs = json.dumps({"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": 1})
        products = [
            (uid(uuid.uuid4()), uid(self.seller.pk), f"{prefix}-{i}", f"Raw {i}", f"R-{i // 5}", self.category.pk, attrs,
             "[]", "[]", False, True, False, "pending", "", now, now)
            for i in range(1000)
        ]  # fmt: skip
        columns = ["uuid", "seller_id", "sku", "name", "base_code", "category_id", "attributes", "images", "videos",
                   "restrict_for_others", "is_active", "approved", "approval_status", "rejection_reason", "created_at", "updated_at"]  # fmt: skip
        total = self.raw_upsert_seconds(
            "catalog_product", columns, products, "seller_id, sku", ["name", "updated_at"]
        )
        # Prices and stocks for existing products (the floor of the two other statements).
        ids = list(self.seller.products.values_list("pk", flat=True)[:1000])
        total += self.raw_upsert_seconds(
            "pricing_productprice",
            [
                "product_id",
                "price_list_id",
                "price",
                "retail_price",
                "tax_rate",
                "currency_type",
                "created_at",
                "updated_at",
            ],
            [(pk, self.price_list.pk, "89.99", "99.99", "0.08", "USD", now, now) for pk in ids],
            "product_id, price_list_id",
            ["price", "updated_at"],
        )
        total += self.floor_stocks(ids, now)
        return total

    def floor_stocks(self, ids: list[int], now) -> float:
        return self.raw_upsert_seconds(
            "inventory_productstock",
            [
                "product_id",
                "stock_list_id",
                "stock",
                "unit_type",
                "sold_quantity_unreported",
                "created_at",
                "updated_at",
            ],
            [
                (pk, self.stock_list.pk, str(i % 50), "qty", "0", now, now)
                for i, pk in enumerate(ids)
            ],
            "product_id, stock_list_id",
            ["stock", "updated_at"],
        )

    # --- measurements -------------------------------------------------------------------------

    def batches(self) -> dict:
        from django.db import connection

        created, changed, floors, stocks, stock_floors = [], [], [], [], []
        for run in range(self.runs):
            prefix = f"B{run}"
            created.append(
                self.accept_and_run("/seller-center/api/i2/products/", self.product_rows(prefix))[0]
            )
            changed.append(
                self.accept_and_run(
                    "/seller-center/api/i2/products/", self.product_rows(prefix, price="79.99")
                )[0]
            )
            floors.append(self.floor_prd101(f"RAW{run}"))
            rows = [
                {
                    "sku": f"{prefix}-{i}",
                    "stock_list": str(self.stock_list.uuid),
                    "stock": str((i + run) % 70),
                }
                for i in range(1000)
            ]
            stocks.append(self.accept_and_run("/seller-center/api/i2/products/stocks/", rows)[0])
            ids = list(
                self.seller.products.filter(sku__startswith=f"{prefix}-").values_list(
                    "pk", flat=True
                )
            )
            now = (
                datetime.now(UTC).isoformat()
                if connection.vendor == "sqlite"
                else datetime.now(UTC)
            )
            stock_floors.append(self.floor_stocks(ids, now))
        result = {
            "prd101_1000_rows_new_ms": median_ms(created),
            "prd101_1000_rows_changed_ms": median_ms(changed),
            "prd101_floor_raw_upserts_ms": median_ms(floors),
            "prd101_target_ms": 250,
            "prd106_1000_rows_ms": median_ms(stocks),
            "prd106_floor_raw_upsert_ms": median_ms(stock_floors),
            "prd106_target_ms": 100,
            "runs": self.runs,
        }
        # Issue 18's measure: each median worker time over the median floor it stands beside
        # (target: at most 1.5 on PostgreSQL, 5 on SQLite).
        for name, time_key, floor_key in (
            ("prd101_new", "prd101_1000_rows_new_ms", "prd101_floor_raw_upserts_ms"),
            ("prd101_changed", "prd101_1000_rows_changed_ms", "prd101_floor_raw_upserts_ms"),
            ("prd106", "prd106_1000_rows_ms", "prd106_floor_raw_upsert_ms"),
        ):
            result[f"{name}_ratio_to_floor"] = round(result[time_key] / result[floor_key], 2)
        result["load_average"] = list(os.getloadavg())
        print(
            "batches, median worker time / its floor: "
            + ", ".join(
                f"{name} {result[f'{name}_ratio_to_floor']}×"
                for name in ("prd101_new", "prd101_changed", "prd106")
            )
            + f" (load average {' '.join(f'{x:.2f}' for x in result['load_average'])})",
            file=sys.stderr,
        )
        return result

    def load_products(self) -> None:
        from django.db import connection, transaction
        from django.utils import timezone

        from pazar.catalog.models import Product
        from pazar.core.sql import upsert
        from pazar.inventory.models import ProductStock
        from pazar.pricing.models import ProductPrice

        have = Product.objects.filter(seller=self.seller).count()
        now = timezone.now()
        colors = ["Red", "Blue", "Black", "White"]
        for start in range(have, self.products, 5000):
            with transaction.atomic():
                rows = [
                    (uuid.uuid4(), self.seller.pk, f"LOAD-{i:07d}", f"Loaded Tee {i}", f"L-{i // 5}", self.category.pk,
                     {"COLOR": colors[i % 4], "SIZE": "M"}, [], [], False, True, True, "approved", "", now, now)
                    for i in range(start, min(start + 5000, self.products))
                ]  # fmt: skip
                ids = [pk for (pk,) in upsert(
                    Product,
                    columns=["uuid", "seller", "sku", "name", "base_code", "category", "attributes", "images", "videos",
                             "restrict_for_others", "is_active", "approved", "approval_status", "rejection_reason", "created_at", "updated_at"],
                    rows=rows, conflict=["seller", "sku"], update=["name"], returning=["id"],
                )]  # fmt: skip
                upsert(ProductPrice, columns=["product", "price_list", "price", "retail_price", "tax_rate", "currency_type", "created_at", "updated_at"],
                       rows=[(pk, self.price_list.pk, 10, 12, 0.08, "USD", now, now) for pk in ids], conflict=["product", "price_list"], update=["price"])  # fmt: skip
                upsert(ProductStock, columns=["product", "stock_list", "stock", "unit_type", "sold_quantity_unreported", "created_at", "updated_at"],
                       rows=[(pk, self.stock_list.pk, 5, "qty", 0, now, now) for pk in ids], conflict=["product", "stock_list"], update=["stock"])  # fmt: skip
        with connection.cursor() as cursor:
            # The state autovacuum keeps a live database in: statistics and a visibility map.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

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
                if requests.get(f"{base}/health/?scope=web", timeout=5).status_code == 200:
                    return process, base
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def http(self, env: dict) -> dict:
        import requests
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.load_products()
        process, base = self.serve(env)
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.key}"
        try:
            body = json.dumps(self.product_rows("HTTP")).encode()
            accept, health = [], []
            for _ in range(20):
                started = time.perf_counter()
                response = session.post(
                    f"{base}/seller-center/api/i2/products/",
                    data=body,
                    headers={"Content-Type": "application/json"},
                )
                accept.append(time.perf_counter() - started)
                assert response.status_code == 202, response.text
                started = time.perf_counter()
                session.get(f"{base}/health/?scope=web")
                health.append(time.perf_counter() - started)
            pages = {}
            filters = {
                "none": {},
                "sku": {"sku": "LOAD-0012345"},
                "category": {"category": str(self.category.uuid)},
                "base_code": {"base_code": "L-2000"},
                "attribute__COLOR": {"attribute__COLOR": "Blue"},
                "name__icontains": {"name__icontains": "tee 4242"},
                "updated_at__gte": {"updated_at__gte": "2000-01-01T00:00:00Z"},
            }
            from pazar.catalog.models import Product

            touched = Product.objects.filter(seller=self.seller).order_by("pk").first()
            for name, params in filters.items():
                query = {"limit": 100, **params}
                url = f"{base}/seller-center/api/i2/products/"
                # Cold: the seller's products changed just before, so the count is computed.
                cold = []
                for _ in range(15):
                    Product.objects.filter(pk=touched.pk).update(name=touched.name)
                    started = time.perf_counter()
                    response = session.get(url, params=query)
                    cold.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                count = response.json()["count"]
                # The first page again and again (the count computed once, then reused).
                times = []
                for _ in range(30):
                    started = time.perf_counter()
                    response = session.get(url, params=query)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                # Paging: a client walking pages 1-10 in turn (the count is reused; deeper pages
                # cost more, as any OFFSET does).
                pages_total = max(1, -(-count // 100))
                paging = []
                for i in range(30):
                    started = time.perf_counter()
                    response = session.get(
                        url, params={**query, "page": 1 + i % min(pages_total, 10)}
                    )
                    paging.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                with CaptureQueriesContext(connection) as captured:
                    Product.objects.filter(pk=touched.pk).update(name=touched.name)
                    self.client.get("/seller-center/api/i2/products/", query)
                statements = [
                    q["sql"]
                    for q in captured.captured_queries
                    if q["sql"].lstrip().upper().startswith("SELECT")
                    and not any(
                        table in q["sql"] for table in ("accounts_", "marketplace_", "pazar_cache")
                    )
                ]
                floor = []
                for _ in range(30):
                    started = time.perf_counter()
                    with connection.cursor() as cursor:
                        for sql in statements:
                            cursor.execute(sql)
                            cursor.fetchall()
                    floor.append(time.perf_counter() - started)
                pages[name] = {
                    "median_ms": median_ms(times),
                    "cold_count_median_ms": median_ms(cold),
                    "paging_1_to_10_median_ms": median_ms(paging),
                    "floor_raw_sql_ms": median_ms(floor),
                    "count": count,
                }
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        return {
            "prd101_202_1000_rows_ms": median_ms(accept),
            "health_round_trip_ms": median_ms(health),
            "prd101_202_target_ms": 50,
            "prd102_limit_100_products": self.products,
            "prd102_target_ms": 20,
            "prd102": pages,
        }

    def memory(self) -> dict:
        samples = []
        for run in range(100):
            rows = [
                {
                    "sku": f"B0-{i}",
                    "stock_list": str(self.stock_list.uuid),
                    "stock": str((i + run) % 60),
                }
                for i in range(1000)
            ]
            self.accept_and_run("/seller-center/api/i2/products/stocks/", rows)
            samples.append(rss_kib())
        first, last = statistics.mean(samples[10:20]), statistics.mean(samples[-10:])
        return {
            "batches": 100,
            "rss_kib_after_batch_10_to_20": round(first),
            "rss_kib_last_10": round(last),
            "rss_kib_max": max(samples),
            "growth_kib_per_batch_after_warmup": round((last - first) / 80, 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-database",
        default=PG_DATABASE,
        help="the PostgreSQL database to (re)create and measure in (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument(
        "--parts",
        default="batches,memory,http",
        help="comma-separated parts to measure (batches, memory, http); a subset writes "
        "seller_center-<database>-<parts>.json",
    )
    args = parser.parse_args()
    parts = [part for part in args.parts.split(",") if part]
    sys.path.insert(0, str(ROOT / "src"))
    env = prepare_environment(args.database, args.pg_database)
    bench = Bench(args.runs, args.products)
    result = {
        "benchmark": "seller_center",
        "database": args.database,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    measures = {"batches": bench.batches, "memory": bench.memory, "http": lambda: bench.http(env)}
    for part in parts:
        result[part] = measures[part]()
    suffix = "" if set(parts) == set(measures) else "-" + "-".join(parts)
    out = ROOT / "bench" / "results" / f"seller_center-{args.database}{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
