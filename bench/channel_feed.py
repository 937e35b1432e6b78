"""Sales-channel product feed (issue 16), run by hand.

    .venv/bin/python bench/channel_feed.py --database sqlite
    .venv/bin/python bench/channel_feed.py --database postgres   # PostgreSQL on 127.0.0.1:5432

Over HTTP against `pazar serve --no-worker` (granian, loopback, a token of an operator), the
way channel_app sends new products to a marketplace:

1. End to end: a channel whose catalog has 10 000 products never sent. Until the feed is
   empty: `GET channel/{cid}/products/inserts/?product_type=0&limit=100&page=1`, `POST
   batch_requests/`, `PATCH` it to `commit` with the 100 products, `PATCH` it to `done` with a
   remote id for each. Products sent per second over the whole run (target ≥ 2 000/s), and the
   median of each of the four calls.
2. Feed pages at 100 000 catalog products: the same catalog grown to 100 000 (the 10 000 sent,
   100 of them changed since), the median of `inserts/`, `updates/` and `inserts_or_updates/`
   pages (`limit=100`; pages 1 and 10 of inserts). Target ≤ 30 ms each.

The SQL of each feed page is EXPLAINed in process (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY
PLAN on SQLite) into bench/results/channel_feed-<database>-explain.txt. The machine's load
average before and after is recorded: it is shared, and a busy neighbour shows in the numbers.
Writes bench/results/channel_feed-<database>.json.

`--in-process` drives the same four calls through DRF's test client in this process (no
server, no HTTP): for each call, the number of SQL statements and the CPU time of the process
(`time.process_time`), medians over the run, figures a loaded machine changes little. Writes
bench/results/channel_feed-<database>-in-process.json.

    .venv/bin/python bench/channel_feed.py --database sqlite --in-process

`--loop-only` runs only part 1 over HTTP (bench/results/channel_feed-<database>-loop[-label].json).

`--pages-in-process` times only the feed pages at 100 000 products (10 000 of them marked sent
directly, 100 of those changed since) through the test client: wall and CPU ms, statements and
the `count` of each page, `--runs` each (bench/results/channel_feed-<database>-pages-in-process
.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import serve_web

ROOT = Path(__file__).resolve().parent.parent
# `PAZAR_BENCH_PG_NAME` names another database (two runs side by side must not share one).
PG_NAME = os.environ.get("PAZAR_BENCH_PG_NAME", "pazar_channel")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
SENT, CATALOG, PAGE = 10_000, 100_000, 100
TARGET_PER_SECOND, TARGET_PAGE_MS = 2000, 30


def prepare_environment(database: str) -> dict:
    env = {
        "PAZAR_DATA_DIR": tempfile.mkdtemp(prefix="pazar-bench-"),
        "PAZAR_RATE_LIMITS": "off",
        "PAZAR_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "pazar.settings",
    }
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        for sql in (
            f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)",
            f"CREATE DATABASE {PG_NAME}",
        ):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True
            )
        env["DATABASE_URL"] = PG_URL
    os.environ.update(env)
    return env


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def write_result(name: str, result: dict) -> Path:
    """Write `result` to bench/results/<name>.json and print it; the file's path."""
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return out


def result_head(benchmark: str, database: str, load_before: list[float]) -> dict:
    """The keys every result of this script starts with: what ran, when, on what machine."""
    return {
        "benchmark": benchmark,
        "database": database,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": load_before,
            "load_average_after": load_average(),
        },
    }


# --- data (in process, through the ORM: a catalog of this size is not made row by row) ---------


def setup() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from pazar.channels.services import catalog_create, channel_create
    from pazar.inventory.services import stock_list_create
    from pazar.pricing.services import price_list_create

    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-operator", defaults={"is_staff": True, "is_superuser": True}
    )
    catalog = catalog_create(
        name="Bench catalog",
        price_list=price_list_create(name="Bench prices", currency="TRY"),
        stock_list=stock_list_create(name="Bench stocks"),
    )
    channel = channel_create(name="Bench market", catalog=catalog, channel_type="sales_channel")
    return {
        "key": Token.objects.get_or_create(user=user)[0].key,
        "catalog": catalog.pk,
        "channel": channel.pk,
    }


def add_products(catalog: int, start: int, stop: int) -> None:
    from django.db import connection

    from pazar.catalog.models import Product
    from pazar.channels.models import CatalogItem

    for chunk in range(start, stop, 5000):
        made = Product.objects.bulk_create(
            [
                Product(
                    sku=f"B-{i:06d}", base_code=f"B-{i // 5}", name=f"Bench product {i}",
                    approved=True, approval_status="approved", product_type="0",
                    attributes={"barcode": f"869{i:010d}"},
                )
                for i in range(chunk, min(chunk + 5000, stop))
            ]
        )  # fmt: skip
        CatalogItem.objects.bulk_create(
            [CatalogItem(catalog_id=catalog, product_id=p.pk) for p in made]
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def change_products(channel: int, n: int) -> None:
    """`n` of the products sent change (their name), as a catalog editor would."""
    from pazar.catalog.models import Product
    from pazar.catalog.services import product_update
    from pazar.channels.models import IntegrationAction

    sent = IntegrationAction.objects.filter(
        channel_id=channel, content_type__model="product"
    ).values("object_id")
    for product in Product.objects.filter(pk__in=sent).order_by("pk")[:n]:
        product_update(product=product, data={"name": f"{product.name} (new)"})


def explain(channel: int, key: str) -> str:
    """The SQL of each feed page, EXPLAINed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    out = []
    for feed, page in (("inserts", 1), ("inserts", 10), ("updates", 1), ("inserts_or_updates", 1)):
        url = f"/omnitron/api/v1/channel/{channel}/products/{feed}/"
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"product_type": 0, "limit": PAGE, "page": page})
        assert response.status_code == 200, response.content
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "catalog_product" not in sql:
                continue
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                plan = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
            out.append(f"### {feed} page {page}: {query['time']} s\n{sql}\n\n{plan}\n")
    return "\n".join(out)


# --- over HTTP ----------------------------------------------------------------------------


def send_all(client, api: str, channel: int) -> dict:
    """channel_app's insert loop until the feed is empty; products per second."""
    timings: dict[str, list[float]] = {"feed": [], "create": [], "commit": [], "done": []}
    sent = 0
    started = time.perf_counter()
    while True:
        t = time.perf_counter()
        page = client.get(
            f"{api}products/inserts/", params={"product_type": 0, "limit": PAGE, "page": 1}
        )
        timings["feed"].append(time.perf_counter() - t)
        page.raise_for_status()
        products = page.json()["results"]
        if not products:
            break
        t = time.perf_counter()
        batch = client.post(f"{api}batch_requests/", json={"channel": channel})
        timings["create"].append(time.perf_counter() - t)
        batch.raise_for_status()
        pk = batch.json()["pk"]
        objects = [
            {
                "pk": p["pk"],
                "version_date": p["modified_date"],
                "content_type": "product",
                "failed_reason_type": None,
                "remote_id": None,
            }
            for p in products
        ]
        t = time.perf_counter()
        commit = client.patch(
            f"{api}batch_requests/{pk}/",
            json={"channel": channel, "status": "commit", "content_type": "product",
                  "objects": objects},
        )  # fmt: skip
        timings["commit"].append(time.perf_counter() - t)
        commit.raise_for_status()
        for item in objects:
            item["remote_id"] = f"R-{item['pk']}"
        t = time.perf_counter()
        done = client.patch(
            f"{api}batch_requests/{pk}/",
            json={"channel": channel, "status": "done", "objects": objects},
        )
        timings["done"].append(time.perf_counter() - t)
        done.raise_for_status()
        sent += len(products)
    seconds = time.perf_counter() - started
    return {
        "products": sent,
        "pages": len(timings["create"]),
        "seconds": round(seconds, 2),
        "products_per_second": round(sent / seconds, 1),
        "target_products_per_second": TARGET_PER_SECOND,
        "median_ms": {name: median_ms(samples) for name, samples in timings.items() if samples},
    }


def pages(client, api: str, runs: int) -> dict:
    found = {}
    for feed, page in (("inserts", 1), ("inserts", 10), ("updates", 1), ("inserts_or_updates", 1)):
        samples, count = [], None
        for _ in range(runs):
            t = time.perf_counter()
            response = client.get(
                f"{api}products/{feed}/", params={"product_type": 0, "limit": PAGE, "page": page}
            )
            samples.append(time.perf_counter() - t)
            response.raise_for_status()
            count = response.json()["count"]
        found[f"{feed}?page={page}"] = {
            "median_ms": median_ms(samples),
            "max_ms": round(max(samples) * 1000, 2),
            "count": count,
        }
    return found


# --- in process ---------------------------------------------------------------------------


def send_all_in_process(key: str, channel: int) -> dict:
    """`send_all` through the test client: statements and CPU ms per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api = f"/omnitron/api/v1/channel/{channel}/"
    cpu: dict[str, list[float]] = {"feed": [], "create": [], "commit": [], "done": []}
    statements: dict[str, list[int]] = {name: [] for name in cpu}

    def call(name, method, url, **kwargs):
        with CaptureQueriesContext(connection) as captured:
            t = time.process_time()
            response = getattr(client, method)(url, **kwargs)
            cpu[name].append(time.process_time() - t)
        statements[name].append(len(captured.captured_queries))
        assert response.status_code in (200, 201), response.content
        return response.json()

    sent = 0
    started, started_cpu = time.perf_counter(), time.process_time()
    while True:
        products = call(
            "feed", "get", f"{api}products/inserts/",
            data={"product_type": 0, "limit": PAGE, "page": 1},
        )["results"]  # fmt: skip
        if not products:
            cpu["feed"].pop()
            statements["feed"].pop()
            break
        pk = call("create", "post", f"{api}batch_requests/", data={"channel": channel},
                  format="json")["pk"]  # fmt: skip
        objects = [
            {"pk": p["pk"], "version_date": p["modified_date"], "content_type": "product",
             "failed_reason_type": None, "remote_id": None}
            for p in products
        ]  # fmt: skip
        body = {"channel": channel, "status": "commit", "content_type": "product",
                "objects": objects}  # fmt: skip
        call("commit", "patch", f"{api}batch_requests/{pk}/", data=body, format="json")
        for item in objects:
            item["remote_id"] = f"R-{item['pk']}"
        body = {"channel": channel, "status": "done", "objects": objects}
        call("done", "patch", f"{api}batch_requests/{pk}/", data=body, format="json")
        sent += len(products)
    seconds = time.perf_counter() - started
    return {
        "products": sent,
        "pages": len(cpu["create"]),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(time.process_time() - started_cpu, 2),
        "products_per_second": round(sent / seconds, 1),
        "products_per_cpu_second": round(sent / (time.process_time() - started_cpu), 1),
        "median_cpu_ms": {name: median_ms(samples) for name, samples in cpu.items()},
        "statements": {
            name: {"min": min(counts), "max": max(counts)} for name, counts in statements.items()
        },
    }


def mark_sent(channel: int, n: int) -> None:
    """The first `n` products of the catalog sent, as `done` leaves them (success, a remote id,
    the version sent), written directly: the pages' figures need the state, not the loop."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from pazar.catalog.models import Product
    from pazar.channels.models import IntegrationAction

    content_type = ContentType.objects.get_for_model(Product)
    now = timezone.now()
    pks = list(Product.objects.order_by("pk").values_list("pk", flat=True)[:n])
    IntegrationAction.objects.bulk_create(
        [
            IntegrationAction(
                channel_id=channel, content_type=content_type, object_id=pk,
                status="success", remote_id=f"R-{pk}", version_date=now,
            )
            for pk in pks
        ],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def pages_in_process(database: str, runs: int, label: str = "") -> int:
    """The feed pages at 100 000 catalog products (10 000 sent, 100 of them changed since)
    through DRF's test client in this process: per page, the median wall and CPU ms of the
    process (on PostgreSQL the SQL's own time is in the server: in wall, not in CPU), the
    statements and the `count` answered. Pages of each feed alternate run by run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    load_before = load_average()
    ids = setup()
    add_products(ids["catalog"], 0, CATALOG)
    mark_sent(ids["channel"], SENT)
    change_products(ids["channel"], 100)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ids['key']}")
    api = f"/omnitron/api/v1/channel/{ids['channel']}/"
    kinds = (("inserts", 1), ("inserts", 10), ("updates", 1), ("inserts_or_updates", 1))
    wall: dict[str, list[float]] = {f"{feed}?page={page}": [] for feed, page in kinds}
    cpu: dict[str, list[float]] = {name: [] for name in wall}
    statements: dict[str, set[int]] = {name: set() for name in wall}
    counts: dict[str, int] = {}
    for run in range(runs + 1):
        for feed, page in kinds:
            name = f"{feed}?page={page}"
            with CaptureQueriesContext(connection) as captured:
                t, c = time.perf_counter(), time.process_time()
                response = client.get(
                    f"{api}products/{feed}/", {"product_type": 0, "limit": PAGE, "page": page}
                )
                elapsed, used = time.perf_counter() - t, time.process_time() - c
            assert response.status_code == 200, response.content
            counts[name] = response.json()["count"]
            if run == 0:
                continue  # the first read of each page warms the process
            wall[name].append(elapsed)
            cpu[name].append(used)
            statements[name].add(len(captured.captured_queries))
    result = {
        **result_head("channel_feed (feed pages in process)", database, load_before),
        "catalog_products": CATALOG,
        "sent": SENT,
        "changed_since_sent": 100,
        "runs": runs,
        "pages": {
            name: {
                "median_wall_ms": median_ms(wall[name]),
                "median_cpu_ms": median_ms(cpu[name]),
                "statements": sorted(statements[name]),
                "count": counts[name],
            }
            for name in wall
        },
    }
    write_result(f"channel_feed-{database}-pages-in-process{label}", result)
    return 0


def in_process(database: str, label: str = "") -> int:
    load_before = load_average()
    ids = setup()
    add_products(ids["catalog"], 0, SENT)
    end_to_end = send_all_in_process(ids["key"], ids["channel"])
    result = {
        **result_head("channel_feed (in process)", database, load_before),
        "end_to_end_insert_feed": end_to_end,
    }
    write_result(f"channel_feed-{database}-in-process{label}", result)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--in-process", action="store_true", help="statements and CPU per call")
    parser.add_argument(
        "--pages-in-process",
        action="store_true",
        help="only the feed pages at 100 000 products, in process: wall, CPU, statements",
    )
    parser.add_argument(
        "--label", default="", help="written to channel_feed-<database>[-…]-<label>.json"
    )
    parser.add_argument(
        "--loop-only",
        action="store_true",
        help="over HTTP, only the end-to-end insert loop (no catalog of 100 000, no EXPLAIN)",
    )
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    label = f"-{arguments.label}" if arguments.label else ""
    env = prepare_environment(arguments.database)
    if arguments.in_process:
        return in_process(arguments.database, label)
    if arguments.pages_in_process:
        return pages_in_process(arguments.database, arguments.runs, label)
    load_before = load_average()
    ids = setup()
    add_products(ids["catalog"], 0, SENT)

    import httpx

    process, base = serve_web(env)
    try:
        api = f"{base}/omnitron/api/v1/channel/{ids['channel']}/"
        with httpx.Client(headers={"Authorization": f"Token {ids['key']}"}, timeout=60) as client:
            client.get(f"{api}products/inserts/", params={"limit": 1})  # warm the worker
            end_to_end = send_all(client, api, ids["channel"])
            if not arguments.loop_only:
                add_products(ids["catalog"], SENT, CATALOG)
                change_products(ids["channel"], 100)
                at_scale = pages(client, api, arguments.runs)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    if arguments.loop_only:
        result = {
            **result_head("channel_feed (insert loop only)", arguments.database, load_before),
            "end_to_end_insert_feed": end_to_end,
        }
        write_result(f"channel_feed-{arguments.database}-loop{label}", result)
        return 0
    plans = explain(ids["channel"], ids["key"])
    result = {
        **result_head("channel_feed", arguments.database, load_before),
        "end_to_end_insert_feed": end_to_end,
        "feed_pages_at_100000_products": {
            "catalog_products": CATALOG,
            "sent": SENT,
            "changed_since_sent": 100,
            "target_ms": TARGET_PAGE_MS,
            "pages": at_scale,
        },
    }
    out = write_result(f"channel_feed-{arguments.database}{label}", result)
    out.with_name(f"channel_feed-{arguments.database}{label}-explain.txt").write_text(plans)
    return 0


if __name__ == "__main__":
    sys.exit(main())
