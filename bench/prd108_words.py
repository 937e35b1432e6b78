"""PRD108, A/B in process: each query ranked as a whole against the words' table, `pazar_scale`.

    .venv/bin/python bench/scale_data.py --keep          # once: loads `pazar_scale`
    .venv/bin/python bench/prd108_words.py               # then this, any number of times

For each query of scale_data's PRD108 set, a first page (`limit=20`) and its count are taken
both ways, alternated, `--runs` times: *whole* matches the query with the GIN index and ranks
every match (`_postgresql_match`, the only way before catalog migration 0010), *words* is
`catalog_search` and `catalog_search_count` as PRD108 calls them now (the words' table for a
one-word query that only one catalogue word begins with, the whole query otherwise). Both must
give the same products, ranks and count. Medians of wall-clock and of the process's CPU time
(`time.process_time`, the Python side only) in milliseconds. Writes
bench/results/prd108_words-<products>.json and the plans of both ways' SQL (EXPLAIN ANALYZE,
BUFFERS) to bench/results/prd108_words-<products>-explain.txt.
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

sys.path.insert(0, str(ROOT / "bench"))

from scale_data import SEARCHES  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/pazar_scale")
    parser.add_argument("--label", default="", help="added to the result files' names")
    args = parser.parse_args()
    label = f"-{args.label}" if args.label else ""
    django_in_process(args.database_url, "pazar-prd108")
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from pazar.accounts.models import Seller
    from pazar.catalog import search
    from pazar.catalog.models import Product

    seller = Seller.objects.annotate(n=Count("products")).order_by("-n").first()  # the big one

    def whole(query):
        terms = search.search_terms(query)
        visible = Product.objects.catalog().filter(restrict_for_others=False) | (
            Product.objects.catalog().filter(seller=seller)
        )
        products = search._postgresql_match(visible, terms).order_by("-rank", "pk")
        return products.count(), list(products[:20].values_list("pk", "rank"))

    def words(query):
        count = search.catalog_search_count(query=query, seller=seller)
        products = search.catalog_search(query=query, seller=seller)
        return count, list(products[:20].values_list("pk", "rank"))

    def timed(function, query):
        started, cpu = time.perf_counter(), time.process_time()
        value = function(query)
        return time.perf_counter() - started, time.process_time() - cpu, value

    def ms(samples):
        return round(statistics.median(samples) * 1000, 2)

    results, plans = {}, []
    for name, template in SEARCHES.items():
        query = template.format(
            number=int(args.products * 0.4242) + 1, sku=int(args.products * 0.31415) + 2
        )
        samples, answers = {"whole": ([], []), "words": ([], [])}, {}
        for _ in range(args.runs):
            for way, function in (("whole", whole), ("words", words)):
                took, cpu, value = timed(function, query)
                samples[way][0].append(took)
                samples[way][1].append(cpu)
                answers[way] = value
            assert answers["whole"] == answers["words"], (name, answers)
        results[name] = {
            "query": query,
            "count": answers["words"][0],
            "read_from_words_table": search._only_catalog_word(search.search_terms(query))
            is not None,
            **{f"{way}_ms": ms(wall) for way, (wall, _) in samples.items()},
            **{f"{way}_cpu_ms": ms(cpu) for way, (_, cpu) in samples.items()},
        }
        print(name, results[name], flush=True)
        for way, function in (("whole", whole), ("words", words)):
            with CaptureQueriesContext(connection) as captured:
                function(query)
            for sql in (q["sql"] for q in captured.captured_queries):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append(f"-- {name}, {way}: {query}\n{sql}\n\n{plan}")
    out = ROOT / f"bench/results/prd108_words-{args.products}{label}.json"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_relation_size('catalog_productterm')),"
            " pg_size_pretty(pg_relation_size('catalog_productterm_rank'))"
            " FROM catalog_productterm"
        )
        rows, table_size, index_size = cursor.fetchone()
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "command": " ".join(["bench/prd108_words.py", *sys.argv[1:]]),
                "load_average_at_start": os.getloadavg(),
                "words_table": {"rows": rows, "table": table_size, "index": index_size},
                "queries": results,
            },
            indent=1,
        )
        + "\n"
    )
    out.with_name(f"prd108_words-{args.products}{label}-explain.txt").write_text(
        "\n\n".join(plans) + "\n"
    )
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
