"""A 1000-row PRD106 batch in process, beside its floor: worker wall and CPU time, run by hand.

    .venv/bin/python bench/prd106_cpu.py --database sqlite --tree /tmp/base --runs 15 --out x.json

The products come from one 1000-row PRD101 batch (not timed); then, `--runs` times, a PRD106
batch of their 1000 stocks is accepted and `batch_run` is timed (`time.perf_counter()` and
`time.process_time()`, garbage collected before), and beside it `bench/seller_center.py`'s
floor (`Bench.floor_stocks`: the same stocks by one raw upsert, rolled back). The first run is
a warm-up; medians of the others. `--tree` measures another checkout (`git archive main`) with
its own `src/` and `bench/seller_center.py`, for an A/B; `--profile` writes a cProfile (CPU
time) of the timed batches; `--out` appends the result to a JSON list.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-database", default="pazar_prd106_cpu_bench")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path[:0] = [str(tree / "src"), str(tree / "bench")]
    import seller_center

    seller_center.prepare_environment(args.database, args.pg_database)
    bench = seller_center.Bench(runs=1, products=0)
    import pazar

    assert Path(pazar.__file__).resolve().is_relative_to(tree), pazar.__file__
    from django.db import connection

    from pazar.batches.models import BatchRequest
    from pazar.batches.services import batch_run

    bench.accept_and_run("/seller-center/api/i2/products/", bench.product_rows("P"))
    ids = list(bench.seller.products.filter(sku__startswith="P-").values_list("pk", flat=True))
    walls, cpus, floors = [], [], []
    profile = cProfile.Profile(time.process_time) if args.profile else None
    for run in range(args.runs + 1):
        rows = [
            {
                "sku": f"P-{i}",
                "stock_list": str(bench.stock_list.uuid),
                "stock": str((i + run) % 70),
            }
            for i in range(1000)
        ]
        response = bench.client.post("/seller-center/api/i2/products/stocks/", rows, format="json")
        batch_id = response.json()["batch_request_id"]
        gc.collect()
        if profile and run:
            profile.enable()
        wall, cpu = time.perf_counter(), time.process_time()
        batch_run(batch_id=batch_id)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profile and run:
            profile.disable()
        batch = BatchRequest.objects.get(pk=batch_id)
        assert (batch.status, batch.failed) == (3, 0), (batch.status, batch.failed, batch.error)
        now = datetime.now(UTC)
        floor = bench.floor_stocks(ids, now.isoformat() if connection.vendor == "sqlite" else now)
        if run:
            walls.append(wall)
            cpus.append(cpu)
            floors.append(floor)

    def ms(samples):
        return round(statistics.median(samples) * 1000, 2)

    result = {
        "benchmark": "prd106_cpu",
        "label": args.label,
        "tree": str(tree),
        "database": args.database,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "prd106_wall_ms": ms(walls),
        "prd106_cpu_ms": ms(cpus),
        "prd106_floor_ms": ms(floors),
        "ratio_wall_to_floor": round(statistics.median(walls) / statistics.median(floors), 2),
        "load_average": list(os.getloadavg()),
        "samples_ms": {
            "wall": [round(x * 1000, 2) for x in walls],
            "cpu": [round(x * 1000, 2) for x in cpus],
            "floor": [round(x * 1000, 2) for x in floors],
        },
    }
    print(json.dumps(result))
    if profile:
        profile.dump_stats(args.profile)
    if args.out:
        kept = json.loads(args.out.read_text()) if args.out.exists() else []
        args.out.write_text(json.dumps([*kept, result], indent=1) + "\n")


if __name__ == "__main__":
    main()
