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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8731")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=100)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    django.setup()
    from django.db import connection

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
    reason = CancellationReason.objects.create(cancellation_type="cancel", subject="Bench")

    cancels = []
    run = int(time.time())
    for n in range(args.orders):
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
        started = time.perf_counter()
        answer = client.post(f"/omnitron/api/i1/orders/{pk}/cancel/", json=body, headers=headers)
        cancels.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text

    # CLM001 among many claims of one seller.
    template = Claim.objects.filter(seller=seller).order_by("pk").first()
    have = Claim.objects.filter(seller=seller).count()
    rows = []
    statuses = ["open", "waiting", "approved", "rejected", "completed"]
    for n in range(max(0, args.claims - have)):
        rows.append(
            Claim(
                order_id=template.order_id,
                order_item_id=template.order_item_id,
                source_item_id=template.source_item_id,
                seller=seller,
                type="refund" if n % 2 else "cancel",
                status=statuses[n % 5],
                cancelled_by=1,
                reason=reason,
                quantity=1,
                refund_amount=Decimal("1"),
            )
        )
        if len(rows) == 5000:
            Claim.objects.bulk_create(rows)
            rows = []
    Claim.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE claims_claim")
    access = client.post(
        "/seller-center/api/i1/token/obtain/",
        json={"email": seller.memberships.first().user.email, "password": "demo"},
    ).json()["access"]
    seller_headers = {"Authorization": f"Bearer {access}"}
    reads = []
    for n in range(args.reads):
        started = time.perf_counter()
        answer = client.get(
            "/seller-center/api/i2/claims/",
            params={"status": statuses[n % 5], "limit": 50},
            headers=seller_headers,
        )
        reads.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text

    result = {
        "database": connection.vendor,
        "cancel_5_items": _ms(cancels),
        "clm001_status_filter": {**_ms(reads), "claims_of_seller": Claim.objects.filter(
            seller=seller).count()},
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }  # fmt: skip
    print(json.dumps(result))
    out = ROOT / "bench" / "results" / f"claims-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
