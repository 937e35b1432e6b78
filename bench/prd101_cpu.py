"""PRD101 in process: a 1000-row batch's CPU, wall time and statements, beside its floor.

    .venv/bin/python bench/prd101_cpu.py --database postgres --runs 7
    .venv/bin/python bench/prd101_cpu.py --tree /tmp/base --label before --out ab.json

The batches and the floor are `bench/seller_center.py`'s (`Bench.product_rows`,
`Bench.accept_and_run`'s batch, `Bench.floor_prd101`): per run a 1000-row PRD101 batch of new
products, then the same rows changed (another price), then the floor (the three raw upserts,
rolled back). Around each `batch_run`: `time.process_time()` (the worker's CPU),
`time.perf_counter()` (its wall time) and every statement the driver runs, with the wall time
of each (psycopg's cursors are wrapped, so the statements of the driver's own cursors are
counted too). One warm-up run, then the medians of `--runs`.

`--tree` runs another checkout's `src/` (e.g. from `git archive`) for an A/B; `--profile`
writes a cProfile (CPU time) of the measured batches; `--statements` prints each statement's
median time; `--out` appends the result to a JSON list.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class StatementClock:
    """Every statement psycopg runs (Django's cursors and the driver's own), with its time."""

    def __init__(self):
        self.log: list[tuple[str, float, float]] | None = None  # text, wall, CPU

    def install(self) -> None:
        import psycopg

        clock = self
        for cls in psycopg.Cursor, psycopg.ClientCursor:
            if "execute" not in cls.__dict__:  # inherited: wrapped once, where it is defined
                continue
            original = cls.execute

            def execute(self, query, params=None, *args, _original=original, **kwargs):
                if clock.log is None:
                    return _original(self, query, params, *args, **kwargs)
                started, cpu = time.perf_counter(), time.process_time()
                try:
                    return _original(self, query, params, *args, **kwargs)
                finally:
                    text = query if isinstance(query, str) else repr(query)
                    clock.log.append(
                        (text, time.perf_counter() - started, time.process_time() - cpu)
                    )

            cls.execute = execute


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--pg-database", default="pazar_prd101_cpu_bench")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    tree = args.tree.resolve()
    sys.path[:0] = [str(tree / "src"), str(ROOT / "bench")]
    import seller_center

    seller_center.prepare_environment(args.database, args.pg_database)
    clock = StatementClock()
    if args.database == "postgres":
        clock.install()
    bench = seller_center.Bench(args.runs, 0)
    import pazar

    assert Path(pazar.__file__).resolve().is_relative_to(tree), pazar.__file__
    from pazar.batches.services import batch_run

    def run_batch(rows):
        response = bench.client.post("/seller-center/api/i2/products/", rows, format="json")
        assert response.status_code == 202, response.content
        batch_id = response.json()["batch_request_id"]
        gc.collect()
        clock.log = []
        wall, cpu = time.perf_counter(), time.process_time()
        batch_run(batch_id=batch_id)
        took = (time.perf_counter() - wall, time.process_time() - cpu)
        log, clock.log = clock.log, None
        return took, log

    profile = None
    samples = {"new": [], "changed": [], "floor": []}
    statements: dict[str, dict[str, list[float]]] = {"new": {}, "changed": {}}
    for run in range(args.runs + 1):
        if run == 1 and args.profile:
            import cProfile

            profile = cProfile.Profile(time.process_time)
            profile.enable()
        prefix = f"C{run}"
        for name, price in (("new", "89.99"), ("changed", "79.99")):
            (wall, cpu), log = run_batch(bench.product_rows(prefix, price=price))
            if run:
                db = sum(seconds for _, seconds, _ in log)
                db_cpu = sum(seconds for _, _, seconds in log)
                samples[name].append((wall, cpu, len(log), db, db_cpu))
                for text, seconds, cpu_seconds in log:
                    key = " ".join(text.split())[:120]
                    statements[name].setdefault(key, []).append((seconds, cpu_seconds))
        if profile:
            profile.disable()
        floor = bench.floor_prd101(f"RAWC{run}")
        if profile:
            profile.enable()
        if run:
            samples["floor"].append(floor)
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)

    def ms(values):
        return round(statistics.median(values) * 1000, 2)

    result = {"label": args.label, "database": args.database, "tree": str(tree), "runs": args.runs}
    floor = ms(samples["floor"])
    for name in ("new", "changed"):
        rows = samples[name]
        result[name] = {
            "wall_ms": ms([s[0] for s in rows]),
            "cpu_ms": ms([s[1] for s in rows]),
            "statements": sorted({s[2] for s in rows}),
            "statement_wall_ms": ms([s[3] for s in rows]) if args.database == "postgres" else None,
            "statement_cpu_ms": ms([s[4] for s in rows]) if args.database == "postgres" else None,
            "ratio_to_floor": round(ms([s[0] for s in rows]) / floor, 3),
            "wall_samples_ms": [round(s[0] * 1000, 2) for s in rows],
            "cpu_samples_ms": [round(s[1] * 1000, 2) for s in rows],
        }
    result["floor_ms"] = floor
    result["floor_samples_ms"] = [round(s * 1000, 2) for s in samples["floor"]]
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.statements:
        for name in ("new", "changed"):
            print(f"--- {name}: median wall / CPU ms per statement", file=sys.stderr)
            for text, times in statements[name].items():
                wall_ms, cpu_ms = ms([t[0] for t in times]), ms([t[1] for t in times])
                print(
                    f"{wall_ms:9.2f} {cpu_ms:7.2f} ×{len(times) // args.runs:<3} {text}",
                    file=sys.stderr,
                )
    print(json.dumps(result), flush=True)
    if args.out:
        runs = json.loads(args.out.read_text()) if args.out.exists() else []
        args.out.write_text(json.dumps([*runs, result], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
