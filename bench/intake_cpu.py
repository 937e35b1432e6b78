"""Intake of a 5-item order in process: CPU, wall time and SQL statements per request.

    .venv/bin/python bench/intake_cpu.py --database postgres --orders 300
    .venv/bin/python bench/intake_cpu.py --tree /tmp/before --label before  # another checkout

`create_orders/` through Django's test client (the whole middleware and DRF stack, no web
server, no test transaction) against a throwaway database: `PAZAR_BENCH_DATABASE_URL`'s
PostgreSQL database (default pazar_intake_cpu_bench, dropped and created afresh) or a SQLite
file. CPU is `time.process_time()` around each request, so a loaded machine inflates it far
less than wall time; the statements are those Django runs (the transaction's BEGIN/COMMIT and
the connection's health check are not among them). `--tree` runs another checkout's `src/` and
`tests/` (e.g. from `git archive`) for an A/B; `--profile` writes a cProfile (CPU time) of the
measured requests. Prints one JSON line; `--out` appends it to a JSON list.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_in_process import Shop, arguments, measure


def main() -> int:
    args = arguments(__doc__.split("\n\n")[0], count="orders", default=300)
    bench = Shop(args, name="intake")
    shop, products = bench.shop, bench.products

    def place(number: str) -> tuple[float, float, int]:
        body = shop.body(number=number, items=[shop.item(p) for p in products])
        return bench.post(shop.url("create_orders/"), body, status=201)[1]

    for n in range(20):  # warm the connection and Django's caches
        place(f"WARM-{n}")
    return measure(
        args,
        lambda: [place(f"CPU-{n}") for n in range(args.count)],
        orders=args.count,
        items_per_order=len(products),
    )


if __name__ == "__main__":
    sys.exit(main())
