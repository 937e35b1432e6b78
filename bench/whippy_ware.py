"""Whippy Ware benchmarks (issue #6), run by hand.

    .venv/bin/python bench/whippy_ware.py --database sqlite
    .venv/bin/python bench/whippy_ware.py --database postgres   # needs PostgreSQL on 127.0.0.1:5432

Loads `--locations` locations (4 providers) × `--skus` SKUs of stock rows (default 100 × 10 000
= 1 000 000 rows), each SKU an operator product, and one Whippy Ware stock list with a two-block
`location_sum` rule (safety stocks, reservations) bound to an Omnitron stock list. Measures:
- the full rebuild of that list (`pazar whippy rebuild`'s service): target ≤ 30 s on PostgreSQL;
- a 1000-row `POST /whippy-ware/api/v1/stocks/` (1000 distinct SKUs, one location each, so each
  recompute aggregates 1000 SKUs × every location) until every touched SKU's Omnitron product
  stock is written: target ≤ 1 s. Twice: in process (the request, then the queued task run as
  the worker runs it) and end to end with a real `pazar worker` process (its poll interval, 0.2
  s by default, included), polling the product stocks every 10 ms.
Every figure written is checked against the rule computed in Python from the rows.
Writes bench/results/whippy_ware-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/pazar_bench_whippy"
PROVIDERS = 4


def prepare_environment(database: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="pazar-bench-whippy-")
    env = {"PAZAR_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "pazar.settings"}
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        for sql in (
            "DROP DATABASE IF EXISTS pazar_bench_whippy",
            "CREATE DATABASE pazar_bench_whippy",
        ):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True
            )
        env["DATABASE_URL"] = PG_URL
    os.environ.update(env)
    return env


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


class Bench:
    def __init__(self, locations: int, skus: int, runs: int) -> None:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        self.locations, self.skus, self.runs = locations, skus, runs
        self.rng = random.Random(6)

    # --- loading ------------------------------------------------------------------------------

    def load(self) -> dict:
        from django.contrib.auth import get_user_model
        from django.db import connection, transaction
        from django.utils import timezone
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from pazar.catalog.models import Product
        from pazar.core.sql import upsert
        from pazar.inventory.models import StockList as OmnitronStockList
        from pazar.whippy.models import Provider, Stock, StockList, StockListRule, StockLocation

        started = time.monotonic()
        providers = [
            Provider.objects.create(
                name=f"Provider {p}", code=f"prov_{p}", should_add_reservations=p % 2 == 0
            )
            for p in range(PROVIDERS)
        ]
        self.location_rows = [
            StockLocation.objects.create(
                name=f"{i:03d}", code=f"{i:03d}", provider=providers[i % PROVIDERS]
            )
            for i in range(self.locations)
        ]
        first_codes = [loc.code for loc in self.location_rows if loc.provider == providers[0]][:10]
        self.rule_json = {
            "blocks": [
                {"providers": ["prov_0"], "locations": first_codes, "safety_stock": 1},
                {"providers": "*", "locations": "*"},
            ],
            "global_safety_stock": 2,
        }
        self.remote = OmnitronStockList.objects.create(name="Bench", code="bench")
        rule = StockListRule.objects.create(
            name="Bench", rule_type="location_sum", rule=self.rule_json
        )
        # Created without marking: the measured rebuild computes everything once loaded.
        self.stock_list = StockList.objects.create(
            name="Bench", code="bench", remote=self.remote, stock_list_rule=rule
        )
        self.sku_names = [f"B-{i:06d}" for i in range(self.skus)]
        Product.objects.bulk_create(
            [Product(seller=None, sku=sku, base_code=sku, name=sku) for sku in self.sku_names],
            batch_size=2000,
        )
        now = timezone.now()
        columns = [
            "sku", "location", "stock", "reserved_stock", "unit_type", "stock_type", "period",
            "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        rows = []
        for sku in self.sku_names:
            for location in self.location_rows:
                rows.append(
                    (
                        sku,
                        location.pk,
                        self.rng.randint(0, 20),
                        self.rng.randint(0, 2),
                        "qty",
                        "standard",
                        None,
                        True,
                        now,
                        now,
                    )
                )
                if len(rows) == 20_000:
                    with transaction.atomic():
                        upsert(
                            Stock,
                            columns=columns,
                            rows=rows,
                            conflict=["sku", "location"],
                            update=["stock"],
                        )
                    rows = []
        with transaction.atomic():
            upsert(
                Stock, columns=columns, rows=rows, conflict=["sku", "location"], update=["stock"]
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        user = get_user_model().objects.create_user(
            "bench", password="bench-password", is_staff=True, is_superuser=True
        )
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return {
            "stock_rows": Stock.objects.count(),
            "load_seconds": round(time.monotonic() - started, 1),
        }

    # --- checks -------------------------------------------------------------------------------

    def expected(self, skus: list[str]) -> dict[str, int]:
        """The rule computed in Python straight from the rows (the figures must equal it)."""
        from pazar.whippy.models import Stock

        blocks = self.rule_json["blocks"]
        totals = dict.fromkeys(skus, 0)
        for sku, stock, reserved, code, provider, adds in Stock.objects.filter(
            sku__in=skus
        ).values_list(
            "sku", "stock", "reserved_stock", "location__code", "location__provider__code",
            "location__provider__should_add_reservations",
        ):  # fmt: skip
            block = next(
                b
                for b in blocks
                if (b["providers"] == "*" or provider in b["providers"])
                and (b["locations"] == "*" or code in b["locations"])
            )
            held = reserved if adds else 0
            totals[sku] += max(0, stock - held - block.get("safety_stock", 0))
        return {
            sku: max(0, total - self.rule_json["global_safety_stock"])
            for sku, total in totals.items()
        }

    def omnitron(self, skus: list[str]) -> dict[str, int]:
        from pazar.inventory.models import ProductStock

        return {
            sku: int(stock)
            for sku, stock in ProductStock.objects.filter(
                stock_list=self.remote, product__sku__in=skus
            ).values_list("product__sku", "stock")
        }

    def check(self, skus: list[str]) -> None:
        sample = skus[:200]
        got, want = self.omnitron(sample), self.expected(sample)
        if got != want:
            raise SystemExit(f"figures differ from the rule: {got} != {want}")

    # --- measurements -------------------------------------------------------------------------

    def rebuild(self) -> dict:
        from pazar.whippy.services import stock_list_rebuild

        samples, outcome = [], None
        for _ in range(self.runs):
            started = time.monotonic()
            outcome = stock_list_rebuild(stock_list=self.stock_list)
            samples.append(time.monotonic() - started)
        self.check(self.sku_names)
        return {
            "skus": outcome.skus,
            "product_stocks_written": outcome.written,
            "median_ms": median_ms(samples),
            "all_ms": [round(s * 1000, 1) for s in samples],
            "target_ms_postgres": 30_000,
        }

    def update_rows(self) -> tuple[list[dict], list[str]]:
        skus = self.rng.sample(self.sku_names, min(1000, len(self.sku_names)))
        rows = []
        for sku in skus:
            location = self.rng.choice(self.location_rows)
            rows.append(
                {
                    "sku": sku,
                    "provider": location.provider.code,
                    "location": location.code,
                    "stock": self.rng.randint(30, 60),
                }
            )
        return rows, skus

    def post(self, rows: list[dict]) -> None:
        response = self.client.post("/whippy-ware/api/v1/stocks/", rows, format="json")
        if response.status_code != 201 or response.json()["failed"]:
            raise SystemExit(
                f"stock update refused: {response.status_code} {response.content[:500]}"
            )

    def in_process(self) -> dict:
        sys.path.insert(0, str(ROOT))
        from tests.whippy.helpers import run_tasks

        requests, drains, totals = [], [], []
        for _ in range(self.runs):
            rows, skus = self.update_rows()
            started = time.monotonic()
            self.post(rows)
            answered = time.monotonic()
            run_tasks()
            done = time.monotonic()
            self.check(skus)
            requests.append(answered - started)
            drains.append(done - answered)
            totals.append(done - started)
        return {
            "rows": len(rows),
            "request_median_ms": median_ms(requests),
            "recompute_median_ms": median_ms(drains),
            "total_median_ms": median_ms(totals),
            "total_all_ms": [round(s * 1000, 1) for s in totals],
            "target_ms": 1000,
        }

    def with_worker(self, env: dict) -> dict:
        from django.db import connection
        from django.utils import timezone

        from pazar.inventory.models import ProductStock

        worker = subprocess.Popen(
            [sys.executable, "-m", "pazar", "worker"],
            env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(3)  # the worker's start-up
            totals = []
            for _ in range(self.runs):
                rows, skus = self.update_rows()
                since = timezone.now()
                started = time.monotonic()
                self.post(rows)
                while True:
                    written = ProductStock.objects.filter(
                        stock_list=self.remote, product__sku__in=skus, updated_at__gte=since
                    ).count()
                    connection.close()  # a fresh snapshot each poll
                    if written == len(skus):
                        break
                    if time.monotonic() - started > 120:
                        raise SystemExit("the worker did not write the figures within 120 s")
                    time.sleep(0.01)
                totals.append(time.monotonic() - started)
                self.check(skus)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        return {
            "rows": len(rows),
            "total_median_ms": median_ms(totals),
            "total_all_ms": [round(s * 1000, 1) for s in totals],
            "worker_poll_interval_s": 0.2,
            "target_ms": 1000,
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--locations", type=int, default=100)
    parser.add_argument("--skus", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    env = prepare_environment(args.database)
    bench = Bench(args.locations, args.skus, args.runs)
    result = {
        "benchmark": "whippy_ware",
        "database": args.database,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "sizes": {"locations": args.locations, "skus": args.skus, "runs": args.runs},
        "load": bench.load(),
    }
    result["rebuild"] = bench.rebuild()
    result["update_1000_rows_in_process"] = bench.in_process()
    result["update_1000_rows_with_a_worker"] = bench.with_worker(env)
    out = ROOT / "bench" / "results" / f"whippy_ware-{args.database}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
