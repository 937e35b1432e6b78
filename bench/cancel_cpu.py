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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_in_process import Shop, arguments, measure


def main() -> int:
    args = arguments(__doc__.split("\n\n")[0], count="orders", default=200)
    bench = Shop(args, name="cancel")
    shop, products = bench.shop, bench.products
    from tests.claims.factories import CancellationReasonFactory

    from pazar.orders.models import OrderItem

    reason = CancellationReasonFactory(cancellation_type="cancel")

    def place(number: str) -> tuple[int, list[int]]:
        body = shop.body(number=number, items=[shop.item(p, quantity=2) for p in products])
        pk = bench.post(shop.url("create_orders/"), body, status=201)[0].json()["pk"]
        return pk, list(OrderItem.objects.filter(order_id=pk).values_list("pk", flat=True))

    def cancel(order: tuple[int, list[int]]) -> tuple[float, float, int]:
        pk, items = order
        body = {"cancel_items": items, "reasons": {str(i): reason.pk for i in items}}
        response, took = bench.post(f"/omnitron/api/i1/orders/{pk}/cancel/", body, status=200)
        assert [claim["status"] for claim in response.json()] == ["completed"] * 5
        return took

    for n in range(20):  # warm the connection and Django's caches
        cancel(place(f"WARM-{n}"))
    orders = [place(f"CPU-{n}") for n in range(args.count)]
    return measure(
        args,
        lambda: [cancel(order) for order in orders],
        cancels=args.count,
        items_per_cancel=len(products),
    )


if __name__ == "__main__":
    sys.exit(main())
