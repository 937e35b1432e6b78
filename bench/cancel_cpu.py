"""The operator's cancel of a 5-item order in process: CPU, wall time and SQL statements.

    .venv/bin/python bench/cancel_cpu.py --database postgres --orders 200
    .venv/bin/python bench/cancel_cpu.py --tree /tmp/before --label before  # another checkout

Each order (5 items of one seller's package, 2 units each) is placed through `create_orders/`
outside the measurement; then `POST /omnitron/api/i1/orders/{id}/cancel/` of all five items goes
through Django's test client (the whole middleware and DRF stack, no web server, no test
transaction) against a throwaway database: `PAZAR_BENCH_DATABASE_URL`'s PostgreSQL database
(default pazar_cancel_cpu_bench, dropped and created afresh) or a SQLite file. CPU is
`time.process_time()` around each cancel, so a loaded machine inflates it far less than wall
time; the statements are those Django runs (BEGIN is not among them, COMMIT is on neither
database's list). `--tree` runs another checkout's `src/` and `tests/` (e.g. from `git
archive`) for an A/B; `--profile` writes a cProfile (CPU time) of the measured cancels. Prints
one JSON line; `--out` appends it to a JSON list.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "PAZAR_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pazar_cancel_cpu_bench"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    tree = args.tree.resolve()
    sys.path[:0] = [str(tree / "src"), str(tree), str(ROOT / "bench")]
    os.environ.update(
        {
            "PAZAR_DATA_DIR": tempfile.mkdtemp(prefix="pazar-cancel-cpu-"),
            "PAZAR_RATE_LIMITS": "off",
            "DJANGO_SETTINGS_MODULE": "pazar.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if args.database == "postgres":
        from cluster import fresh_database

        os.environ["DATABASE_URL"] = fresh_database(PG_URL)
    import django

    django.setup()
    import pazar

    assert Path(pazar.__file__).resolve().is_relative_to(tree), pazar.__file__
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from tests.claims.factories import CancellationReasonFactory
    from tests.factories import OperatorFactory, ProductFactory, ProductStockFactory, operator_token
    from tests.orders.conftest import make_shop

    call_command("migrate", verbosity=0)
    shop = make_shop(stock=1_000_000)
    products = [shop.offer]
    for _ in range(4):
        product = ProductFactory(seller=shop.offer.seller, live=True)
        ProductStockFactory(
            product=product, stock_list=shop.channel.catalog.stock_list, stock=1_000_000
        )
        products.append(product)
    reason = CancellationReasonFactory(cancellation_type="cancel")
    client = Client(
        SERVER_NAME="127.0.0.1",
        HTTP_AUTHORIZATION=f"Token {operator_token(OperatorFactory(is_superuser=True))}",
    )

    def place(number: str) -> tuple[int, list[int]]:
        body = json.dumps(
            shop.body(number=number, items=[shop.item(p, quantity=2) for p in products])
        )
        response = client.post(shop.url("create_orders/"), body, content_type="application/json")
        assert response.status_code == 201, response.content[:500]
        pk = response.json()["pk"]
        from pazar.orders.models import OrderItem

        return pk, list(OrderItem.objects.filter(order_id=pk).values_list("pk", flat=True))

    def cancel(order: tuple[int, list[int]]) -> tuple[float, float, int]:
        pk, items = order
        body = json.dumps({"cancel_items": items, "reasons": {str(i): reason.pk for i in items}})
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                f"/omnitron/api/i1/orders/{pk}/cancel/", body, content_type="application/json"
            )
        took = (time.perf_counter() - wall, time.process_time() - cpu, len(queries))
        assert response.status_code == 200, response.content[:500]
        assert [claim["status"] for claim in response.json()] == ["completed"] * 5
        return took

    for n in range(20):  # warm the connection and Django's caches
        cancel(place(f"WARM-{n}"))
    orders = [place(f"CPU-{n}") for n in range(args.orders)]
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.process_time)
        profile.enable()
    samples = [cancel(order) for order in orders]
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    result = {
        "label": args.label,
        "database": args.database,
        "cancels": args.orders,
        "items_per_cancel": len(products),
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


if __name__ == "__main__":
    sys.exit(main())
