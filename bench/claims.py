"""Claims over HTTP: the cancel of a 5-item order, and CLM001 with a filter among many claims.

Run against a server on a throwaway database holding the demo marketplace (`pazar demo`) and
an operator `admin`; the script places its orders through the channel API, then for
`--claims` adds that many claim rows to the demo seller (in the server's database) and reads
CLM001 filtered by status. Results go to bench/results/claims-<vendor>.json.

    DATABASE_URL=… PAZAR_RATE_LIMITS=off pazar serve --port 8731 &
    DATABASE_URL=… python bench/claims.py --base http://127.0.0.1:8731 --password …
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import django
import httpx

ROOT = Path(__file__).resolve().parent.parent


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
        "n": len(ordered),
    }


def _load_claims(connection, Claim, template, seller, reason, count: int) -> None:
    """`count` claims of the seller: one INSERT … SELECT over generate_series on PostgreSQL
    (then VACUUM ANALYZE, as autovacuum would after a load), batches of bulk_create on SQLite.
    Statuses cycle over the five, types alternate, `cancelled_by` is 1 or 2, one second apart."""
    if not count:
        return
    if connection.vendor == "postgresql":
        columns = {
            "uuid": "gen_random_uuid()", "order_id": "%(order)s", "order_item_id": "%(item)s",
            "source_item_id": "%(source)s", "seller_id": "%(seller)s",
            "type": "CASE WHEN n %% 2 = 1 THEN 'refund' ELSE 'cancel' END",
            "status": "(ARRAY['open','waiting','approved','rejected','completed'])[n %% 5 + 1]",
            "cancelled_by": "1 + n %% 7 / 6", "reason_id": "%(reason)s", "description": "''",
            "remote_id": "''", "quantity": "1", "refund_amount": "1", "is_cargo_refund": "false",
            "refund_invoice_number": "''", "iban": "''", "holder_name": "''", "return_code": "''",
            "return_tracking_number": "''", "return_tracking_url": "''", "escalated": "false",
            "item_status_before": "''", "restocked": "false",
            "created_at": "now() - n * interval '1 second'",
            "updated_at": "now() - n * interval '1 second'",
        }  # fmt: skip
        required = {
            f.column for f in Claim._meta.concrete_fields if not f.null and not f.primary_key
        }
        assert required <= set(columns), required - set(columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO claims_claim ({', '.join(columns)}) "
                f"SELECT {', '.join(columns.values())} FROM generate_series(1, %(count)s) n",
                {
                    "order": template.order_id, "item": template.order_item_id,
                    "source": template.source_item_id, "seller": seller.pk,
                    "reason": reason.pk, "count": count,
                },
            )  # fmt: skip
            cursor.execute("VACUUM ANALYZE claims_claim")
        return
    statuses = ["open", "waiting", "approved", "rejected", "completed"]
    rows = []
    for n in range(count):
        rows.append(
            Claim(
                order_id=template.order_id, order_item_id=template.order_item_id,
                source_item_id=template.source_item_id, seller=seller,
                type="refund" if n % 2 else "cancel", status=statuses[n % 5],
                cancelled_by=1 + n % 7 // 6, reason=reason, quantity=1,
                refund_amount=Decimal("1"),
            )
        )  # fmt: skip
        if len(rows) == 5000:
            Claim.objects.bulk_create(rows)
            rows = []
    Claim.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _date_filters(now: datetime) -> dict[str, list[dict]]:
    """CLM001's date filters, as times before `now` (the loader's claims are one a second
    before the load): ranges ending mid-hour, a recent poll of `updated_at`, with statuses."""

    def ago(**delta) -> str:
        return (now - timedelta(**delta)).isoformat()

    return {
        "created_at__gte": [{"created_at__gte": "2000-01-01T00:00:00Z"},
                            {"created_at__gte": ago(days=3, seconds=1234, microseconds=567)}],
        "created_at__lte": [{"created_at__lte": ago(days=5, seconds=321, microseconds=5)}],
        "created_at range": [{"created_at__gte": ago(days=8, seconds=77),
                              "created_at__lte": ago(days=2, seconds=4000)}],
        "updated_at__gte": [{"updated_at__gte": ago(days=4, seconds=999)},
                            {"updated_at__gte": ago(hours=2)}],
        "status__in + updated_at__gte": [{"status__in": "open,waiting",
                                          "updated_at__gte": ago(days=6, seconds=17)}],
        "status + created_at__gte": [{"status": "approved",
                                      "created_at__gte": ago(days=1, seconds=3)}],
    }  # fmt: skip


def _lookups(params: dict) -> dict:
    return {
        name: value.split(",") if name.endswith("__in") else value for name, value in params.items()
    }


def _kept(params: dict) -> dict:
    """`selectors.claim_count`'s arguments for a CLM001 filter (as the view makes them)."""
    kept = {}
    if "status" in params:
        kept["statuses"] = [params["status"]]
    if "status__in" in params:
        kept["statuses"] = params["status__in"].split(",")
    if "type" in params:
        kept["types"] = [params["type"]]
    if "cancelled_by" in params:
        kept["cancelled_by"] = [int(params["cancelled_by"])]
    for name, value in params.items():
        field, _, lookup = name.partition("__")
        if field in ("created_at", "updated_at"):
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            kept["field"] = field
            if lookup == "gte":
                kept["since"] = moment
            else:
                kept["until"] = moment + timedelta(microseconds=1)
    return kept


def _explain(connection, Claim, seller, now: datetime) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of CLM001's page and count per filter (PostgreSQL): the count
    from the kept counts (`claims.ClaimCount`, `claims.ClaimDateCount` for the dates: each
    statement `claim_count` makes) where the code has them, else of the claims."""
    if connection.vendor != "postgresql":
        return ""
    import inspect

    from django.test.utils import CaptureQueriesContext

    from pazar.claims import selectors

    try:
        from pazar.api.pagination import keys_first
    except ImportError:  # the code before CLM001 chose its page's keys first
        keys_first = None

    seller_claims = selectors.seller_claims
    claim_count = getattr(selectors, "claim_count", None)  # not in the code before the counts
    dated = claim_count is not None and "field" in inspect.signature(claim_count).parameters

    out = []
    cases = [{"status": "open"}, {"status__in": "open,waiting"}, {"type": "cancel"},
             {"cancelled_by": "2"}]  # fmt: skip
    cases += [params for variants in _date_filters(now).values() for params in variants]
    for params in cases:
        name = "&".join(f"{key}={value}" for key, value in params.items())
        claims = seller_claims(seller=seller).filter(**_lookups(params))
        kept = _kept(params)
        # The page as CLM001 reads it: its keys first where the code does so (`keys_first`), or
        # its keys alone then those claims by their keys (`claim_rows`).
        if hasattr(selectors, "claim_rows"):
            keys = claims.values_list("pk", flat=True)[:50]
            statements = [("page keys", *keys.query.sql_with_params())]
            if found := list(keys):  # no keys: no second read (its SQL compiles to nothing)
                by_keys = selectors._claims_by_keys(found)
                statements.append(("page by keys", *by_keys.query.sql_with_params()))
        else:
            page = keys_first(claims, 0, 50) if keys_first is not None else claims[:50]
            statements = [("page", *page.query.sql_with_params())]
        if claim_count is None or ("field" in kept and not dated):
            sql, params = claims.order_by().values("pk").query.sql_with_params()
            statements.append(("count (the claims)", f"SELECT count(*) FROM ({sql}) s", params))
        else:
            with CaptureQueriesContext(connection) as queries:
                n = claim_count(seller=seller, **kept)
            statements += [
                (f"count (kept counts, {n}) {i + 1}/{len(queries)}", query["sql"], None)
                for i, query in enumerate(queries.captured_queries)
            ]
        for what, sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(f"-- {name}: {what}\n{plan}\n")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8731")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=40)
    parser.add_argument(
        "--label", default="", help="kept in the result's file name (claims-<vendor>-<label>.json)"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    django.setup()
    from django.db import connection, transaction

    from pazar.accounts.models import SellerMembership
    from pazar.catalog.models import Product
    from pazar.channels.models import Catalog, Channel
    from pazar.claims.models import CancellationReason, Claim
    from pazar.customers.models import Address, Customer
    from pazar.inventory.models import ProductStock, StockList
    from pazar.orders.models import OrderItem

    client = httpx.Client(base_url=args.base, timeout=60)
    key = client.post(
        "/omnitron/api/i1/auth/login/",
        json={"username": args.username, "password": args.password},
    ).json()["key"]
    headers = {"Authorization": f"Token {key}"}

    # A channel selling the demo seller's products, with plenty of stock.
    stock_list = StockList.objects.order_by("pk").first()
    catalog = Catalog.objects.filter(stock_list=stock_list).first()
    channel = Channel.objects.filter(catalog=catalog).first() if catalog else None
    if channel is None:
        from pazar.pricing.models import PriceList

        catalog = Catalog.objects.create(
            name="Bench", price_list=PriceList.objects.order_by("pk").first(),
            stock_list=stock_list,
        )  # fmt: skip
        channel = Channel.objects.create(
            name="Bench", catalog=catalog, channel_type="sales_channel"
        )
    seller = SellerMembership.objects.filter(user__username="demo").first().seller
    products = list(Product.objects.filter(seller=seller, approved=True).order_by("pk")[:5])
    category = Product.objects.exclude(category=None).values_list("category", flat=True).first()
    for n in range(len(products), 5):
        products.append(
            Product.objects.create(
                seller=seller, sku=f"BENCH-CLAIM-{n}", base_code="BENCH-CLAIM",
                name=f"Bench {n}", category_id=category, approved=True,
                approval_status="approved",
            )
        )  # fmt: skip
    for product in products:
        ProductStock.objects.update_or_create(
            product=product, stock_list=stock_list, defaults={"stock": 10**8}
        )
    customer = Customer.objects.filter(channel=channel).first() or Customer.objects.create(
        channel=channel, email="bench@example.com", first_name="B", last_name="B"
    )
    address = Address.objects.filter(customer=customer).first()
    if address is None:
        from pazar.geography.models import City, Country

        country = Country.objects.first() or Country.objects.create(name="Türkiye", code="tr")
        city = City.objects.filter(country=country).first() or City.objects.create(
            name="İstanbul", country=country
        )
        address = Address.objects.create(
            customer=customer, first_name="B", last_name="B", country=country, city=city,
            line="Bench 1", hash_data=f"{time.time_ns():032x}"[-32:],
        )  # fmt: skip
    reason = CancellationReason.objects.create(cancellation_type="cancel", subject="Bench")

    # The same requests in this process too (Django's test client, no HTTP): the statements each
    # makes and the CPU time this process spends on it, which the machine's load barely moves.
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    local = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Token {key}")

    def in_process(method, path, **kwargs) -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            answer = getattr(local, method)(path, **kwargs)
        assert answer.status_code == 200, answer.content[:500]
        return time.perf_counter() - wall, time.process_time() - cpu, len(queries)

    def summary(samples: list[tuple[float, float, int]]) -> dict:
        return {
            "wall_median_ms": round(statistics.median(s[0] for s in samples) * 1000, 1),
            "cpu_median_ms": round(statistics.median(s[1] for s in samples) * 1000, 1),
            "statements": sorted({s[2] for s in samples}),
            "n": len(samples),
        }

    cancels, cancels_here = [], []
    run = int(time.time())
    for n in range(args.orders * 2):
        order = {
            "number": f"BENCH-{run}-{n}", "channel": channel.pk, "customer": customer.pk,
            "currency": "TRY", "amount": "500", "date_placed": "2025-01-01T00:00:00Z",
        }  # fmt: skip
        if address is not None:
            order |= {"shipping_address": address.pk, "billing_address": address.pk}
        placed = client.post(
            f"/omnitron/api/v1/channel/{channel.pk}/create_orders/",
            json={"order": order, "order_item": [
                {"product": p.pk, "price_currency": "TRY", "price": 100, "tax_rate": 20}
                for p in products
            ]},
            headers=headers,
        )  # fmt: skip
        assert placed.status_code == 201, placed.text
        pk = placed.json()["pk"]
        items = list(OrderItem.objects.filter(order_id=pk).values_list("pk", flat=True))
        body = {"order": pk, "cancel_items": items, "reasons": {str(i): reason.pk for i in items}}
        url = f"/omnitron/api/i1/orders/{pk}/cancel/"
        if n % 2:  # alternated, so both see the same load
            cancels_here.append(in_process("post", url, data=body, content_type="application/json"))
            continue
        started = time.perf_counter()
        answer = client.post(url, json=body, headers=headers)
        cancels.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text

    # CLM001 among many claims of one seller.
    template = Claim.objects.filter(seller=seller).order_by("pk").first()
    have = Claim.objects.filter(seller=seller).count()
    statuses = ["open", "waiting", "approved", "rejected", "completed"]
    loaded = time.perf_counter()
    _load_claims(connection, Claim, template, seller, reason, max(0, args.claims - have))
    from pazar.claims import services as claims_services

    if hasattr(claims_services, "claim_counts_rebuild"):  # not in the code before the counts
        with transaction.atomic():  # the loader wrote around the services: count its claims
            claims_services.claim_counts_rebuild(seller_ids=[seller.pk])
    claim_wait = claims_services.claim_wait
    load_seconds = round(time.perf_counter() - loaded, 1)
    access = client.post(
        "/seller-center/api/i1/token/obtain/",
        json={"email": seller.memberships.first().user.email, "password": "demo"},
    ).json()["access"]
    seller_headers = {"Authorization": f"Bearer {access}"}
    filters = {
        "status": [{"status": value} for value in statuses],
        "status__in": [{"status__in": "open,waiting"}, {"status__in": "approved,rejected"}],
        "type": [{"type": "cancel"}, {"type": "refund"}],
        "cancelled_by": [{"cancelled_by": 1}, {"cancelled_by": 2}],
    }
    now = datetime.now(UTC)
    filters |= _date_filters(now)
    reads: dict[str, dict] = {}

    answered: dict[str, int] = {}  # the last count CLM001 answered for each filter

    def read(params) -> float:
        started = time.perf_counter()
        answer = client.get(
            "/seller-center/api/i2/claims/", params={**params, "limit": 50},
            headers=seller_headers,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        assert answer.status_code == 200, answer.text
        answered[repr(params)] = answer.json()["count"]
        return elapsed

    def answered_and_counted(params) -> list[int]:
        """CLM001's count for the filter beside the claims counted, nothing changed between."""
        read(params)
        exact = Claim.objects.filter(seller=seller, **_lookups(params)).count()
        return [answered[repr(params)], exact]

    def change_a_claim() -> None:
        """Just before a cold read: one of the seller's open returns awaits its decision now
        (a status move through the claims services: the claim, its counts, change, event)."""
        claim = (
            Claim.objects.filter(seller=seller, type="refund", status="open")
            .order_by("-created_at", "-pk")
            .first()
        )
        if claim is not None:  # none left after earlier runs on the same database
            claim_wait(claim=claim)

    for name, variants in filters.items():
        first, warm, cold, warm_here, cold_here = [], [], [], [], []
        for n in range(args.reads):
            params = variants[n % len(variants)]
            (first if n < len(variants) else warm).append(read(params))
            change_a_claim()
            cold.append(read(params))
            here = {"data": {**params, "limit": 50}, "HTTP_AUTHORIZATION": f"Bearer {access}"}
            warm_here.append(in_process("get", "/seller-center/api/i2/claims/", **here))
            change_a_claim()
            cold_here.append(in_process("get", "/seller-center/api/i2/claims/", **here))
        reads[name] = {
            "first_read_of_each_value_ms": [round(t * 1000, 1) for t in first],
            "warm": _ms(warm),
            "cold_after_a_claim_changed": _ms(cold),
            "in_process_warm": summary(warm_here),
            "in_process_cold": summary(cold_here),
            "load_average": os.getloadavg(),
            "count_answered_and_counted": [answered_and_counted(p) for p in variants],
        }
        assert all(a == b for a, b in reads[name]["count_answered_and_counted"]), reads[name]
    explains = _explain(connection, Claim, seller, now)
    result = {
        "database": connection.vendor,
        "base": args.base,
        "cancel_5_items": _ms(cancels),
        "cancel_5_items_in_process": summary(cancels_here),
        "clm001": reads,
        "claims_of_seller": Claim.objects.filter(seller=seller).count(),
        "claims_load_seconds": load_seconds,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }  # fmt: skip
    print(json.dumps(result))
    name = f"claims-{connection.vendor}" + (f"-{args.label}" if args.label else "")
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    if explains:
        plans = ROOT / "bench" / "results" / f"{name}-explain.txt"
        plans.write_text(explains)


if __name__ == "__main__":
    main()
