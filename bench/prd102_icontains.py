"""PRD102 `name__icontains`, A/B in process: the page with the linked product joined or as a
subquery, on the `scale_data` database.

    .venv/bin/python bench/scale_data.py --keep          # once: loads `pazar_scale`
    .venv/bin/python bench/prd102_icontains.py           # then this, any number of times

The big seller's `name__icontains=pamuk 16` (1 588 matches, sorted for the page): the count
and the first 100 rows, as PRD102 runs them, with `catalog_product_uuid` read by a LEFT JOIN of
the products (before) and by a subquery (`selectors.seller_products` now), alternated `--runs`
times. Both must give the same rows. Medians of the SQL's own time (EXPLAIN ANALYZE's
Execution Time) and of the wall-clock in process, in milliseconds. Writes
bench/results/prd102_icontains-<products>.json and the last plans to
bench/results/prd102_icontains-<products>-explain.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from cluster import django_in_process  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/pazar_scale")
    args = parser.parse_args()
    django_in_process(args.database_url, "pazar-icontains")
    from django.db import connection
    from django.db.models import Count, F

    from pazar.accounts.models import Seller
    from pazar.catalog.models import Product
    from pazar.marketplace import selectors

    seller = Seller.objects.annotate(n=Count("products")).order_by("-n").first()  # the big one
    now = selectors.seller_products(seller=seller)
    joined = Product.objects.filter(seller=seller).values(
        "pk",
        *selectors.LISTED_FIELDS,
        category_uuid=F("category__uuid"),
        catalog_product_uuid=F("catalog_product__uuid"),
    )
    ways = {
        way: queryset.filter(approved=True, name__icontains="pamuk 16").order_by(
            "-updated_at", "-pk"
        )
        for way, queryset in (("join", joined), ("subquery", now))
    }

    def run(queryset):
        started = time.perf_counter()
        count, rows = queryset.count(), list(queryset[:100])
        return time.perf_counter() - started, count, rows

    def sql_ms(queryset):
        sql, params = queryset[:100].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return float(re.search(r"Execution Time: ([\d.]+)", plan).group(1)), sql, plan

    samples = {way: {"wall": [], "sql": []} for way in ways}
    plans = {}
    for _ in range(args.runs):
        answers = {}
        for way, queryset in ways.items():
            took, count, rows = run(queryset)
            answers[way] = (count, rows)
            samples[way]["wall"].append(took * 1000)
            took, sql, plan = sql_ms(queryset)
            samples[way]["sql"].append(took)
            plans[way] = f"-- {way}\n{sql}\n\n{plan}"
        assert answers["join"] == answers["subquery"]
    results = {
        way: {
            "count": answers[way][0],
            "page_sql_ms": round(statistics.median(s["sql"]), 2),
            "count_and_page_wall_ms": round(statistics.median(s["wall"]), 2),
        }
        for way, s in samples.items()
    }
    print(json.dumps(results))
    out = ROOT / f"bench/results/prd102_icontains-{args.products}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "command": " ".join(["bench/prd102_icontains.py", *sys.argv[1:]]),
                "load_average_at_start": os.getloadavg(),
                "filter": "name__icontains=pamuk 16",
                "ways": results,
            },
            indent=1,
        )
        + "\n"
    )
    out.with_name(f"prd102_icontains-{args.products}-explain.txt").write_text(
        "\n\n".join(plans.values()) + "\n"
    )
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
