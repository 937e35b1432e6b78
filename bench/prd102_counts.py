"""PRD102's count, A/B: the exact COUNT against the kept counts, on the `scale_data` database.

    .venv/bin/python bench/scale_data.py --keep          # once: loads `pazar_scale`
    .venv/bin/python bench/prd102_counts.py              # then this, any number of times

In process, for the big seller and each filter the benchmark uses: a product of the seller is
changed (the catalogue changed just before, so no cached count helps), then the count is taken
both ways, alternated (`COUNT(*)` of the filtered products, as PRD102 did before the kept counts,
and `selectors.seller_product_count` with the filter's `counted_filter()`, as PRD102 does now),
`--runs` times; medians in milliseconds. Both answers must be equal. Writes
bench/results/prd102_counts-<products>.json and the plans of both ways' SQL
(EXPLAIN ANALYZE, BUFFERS) to bench/results/prd102_counts-<products>-explain.txt.
"""

from __future__ import annotations

import argparse
import json
import os
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
    django_in_process(args.database_url, "pazar-prd102-counts")
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from pazar.accounts.models import Seller
    from pazar.catalog.models import Category
    from pazar.marketplace import selectors
    from pazar.marketplace.api.filters import ProductFilter

    seller = Seller.objects.annotate(n=Count("products")).order_by("-n").first()  # the big one
    category = Category.objects.get(code="tshirts").uuid
    filters = {
        "none": "",
        "category": f"category={category}",
        "category__in": f"category__in={category}",
        "approved=false": "approved=false",
        "attribute__COLOR": "attribute__COLOR=Mavi",
        "updated_at__gte": "updated_at__gte=2000-01-01T00:00:00Z",
        "created_at__lt": "created_at__lt=2100-01-01T00:00:00Z",
        "updated_at__gte (recent)": "updated_at__gte=" + datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    touch = (
        "UPDATE catalog_product SET name = name WHERE id = "
        "(SELECT min(id) FROM catalog_product WHERE seller_id = %s)"
    )

    def timed(function):
        with connection.cursor() as cursor:
            cursor.execute(touch, [seller.pk])
        started = time.perf_counter()
        value = function()
        return time.perf_counter() - started, value

    results, plans = {}, []
    for name, query in filters.items():
        filterset = ProductFilter(
            QueryDict(query), queryset=selectors.seller_products(seller=seller)
        )
        queryset, counted = filterset.qs, filterset.counted_filter()
        assert counted is not None, name

        def exact(queryset=queryset):
            return queryset.count()

        def kept(queryset=queryset, counted=counted):
            return selectors.seller_product_count(
                seller=seller, queryset=queryset, params=[], counted=counted
            )

        before, after = [], []
        for _ in range(args.runs):
            took, exact_count = timed(exact)
            before.append(took)
            took, kept_count = timed(kept)
            after.append(took)
            assert exact_count == kept_count, (name, exact_count, kept_count)
        results[name] = {
            "query": query,
            "count": exact_count,
            "exact_count_ms": round(statistics.median(before) * 1000, 2),
            "kept_count_ms": round(statistics.median(after) * 1000, 2),
        }
        print(name, results[name], flush=True)
        for way, function in (("exact COUNT", exact), ("kept counts", kept)):
            with CaptureQueriesContext(connection) as captured:
                function()
            for sql in (q["sql"] for q in captured.captured_queries):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append(f"-- {name}, {way}: ?{query}\n{sql}\n\n{plan}")
    out = ROOT / f"bench/results/prd102_counts-{args.products}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "command": " ".join(["bench/prd102_counts.py", *sys.argv[1:]]),
                "load_average_at_start": os.getloadavg(),
                "seller_products": seller.products.count(),
                "filters": results,
            },
            indent=1,
        )
        + "\n"
    )
    out.with_name(f"prd102_counts-{args.products}-explain.txt").write_text(
        "\n\n".join(plans) + "\n"
    )
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
