"""What `bench/intake_cpu.py` and `bench/cancel_cpu.py` share: a 5-product shop set up in
this process through Django's test client, each request's CPU, wall time and statements, the
profile and the one JSON line of medians.

`--tree` runs another checkout's `src/` and `tests/` (e.g. from `git archive`) for an A/B;
`--database postgres` uses `PAZAR_BENCH_DATABASE_URL` (default `pazar_<name>_cpu_bench`, dropped
and created afresh), `sqlite` a file in a temporary folder; `--profile` writes a cProfile (CPU
time) of the measured requests; `--out` appends the result to a JSON list.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments(description: str, *, count: str, default: int) -> argparse.Namespace:
    """The command line of a CPU benchmark: `--<count>` requests measured, and the shared flags."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument(f"--{count}", dest="count", type=int, default=default)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--out", type=Path)
    return parser.parse_args()


class Shop:
    """Django set up on the benchmark's own database with the tree's code, migrated; an order
    shop (`tests.orders.conftest.make_shop`) whose seller offers 5 products with 1 000 000 units
    each, and a superuser's token client."""

    def __init__(self, args: argparse.Namespace, *, name: str):
        tree = args.tree.resolve()
        sys.path[:0] = [str(tree / "src"), str(tree), str(ROOT / "bench")]
        os.environ.update(
            {
                "PAZAR_DATA_DIR": tempfile.mkdtemp(prefix=f"pazar-{name}-cpu-"),
                "PAZAR_RATE_LIMITS": "off",
                "DJANGO_SETTINGS_MODULE": "pazar.settings",
            }
        )
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("DATABASE_URL", None)
        if args.database == "postgres":
            from cluster import fresh_database

            default = f"postgres://postgres@127.0.0.1:5432/pazar_{name}_cpu_bench"
            url = os.environ.get("PAZAR_BENCH_DATABASE_URL", default)
            os.environ["DATABASE_URL"] = fresh_database(url)
        import django

        django.setup()
        import pazar

        assert Path(pazar.__file__).resolve().is_relative_to(tree), pazar.__file__
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from tests.factories import (
            OperatorFactory,
            ProductFactory,
            ProductStockFactory,
            operator_token,
        )
        from tests.orders.conftest import make_shop

        call_command("migrate", verbosity=0)
        self.connection = connection
        self.shop = make_shop(stock=1_000_000)
        self.products = [self.shop.offer]
        for _ in range(4):
            product = ProductFactory(seller=self.shop.offer.seller, live=True)
            ProductStockFactory(
                product=product, stock_list=self.shop.channel.catalog.stock_list, stock=1_000_000
            )
            self.products.append(product)
        self.client = Client(
            SERVER_NAME="127.0.0.1",
            HTTP_AUTHORIZATION=f"Token {operator_token(OperatorFactory(is_superuser=True))}",
        )

    def post(self, path: str, body: dict, *, status: int):
        """POST `body` as JSON; the response (asserted to have `status`) and (wall seconds, CPU
        seconds, statements)."""
        from django.test.utils import CaptureQueriesContext

        data = json.dumps(body)
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(self.connection) as queries:
            response = self.client.post(path, data, content_type="application/json")
        took = (time.perf_counter() - wall, time.process_time() - cpu, len(queries))
        assert response.status_code == status, response.content[:500]
        return response, took


def measure(args: argparse.Namespace, run: Callable[[], list[tuple]], **about) -> int:
    """`run()` (profiled when asked) gives (wall, CPU, statements) per request; prints the
    medians with `about` as one JSON line and appends it to `--out`."""
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.process_time)
        profile.enable()
    samples = run()
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    result = {
        "label": args.label,
        "database": args.database,
        **about,
        "cpu_median_ms": round(statistics.median(s[1] for s in samples) * 1000, 2),
        "cpu_mean_ms": round(statistics.mean(s[1] for s in samples) * 1000, 2),
        "wall_median_ms": round(statistics.median(s[0] for s in samples) * 1000, 2),
        "statements": sorted({s[2] for s in samples}),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result), flush=True)
    if args.out:
        runs = json.loads(args.out.read_text()) if args.out.exists() else []
        args.out.write_text(json.dumps([*runs, result], indent=2) + "\n")
    return 0
