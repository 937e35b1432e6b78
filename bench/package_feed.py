"""The packages' change feed: read N changes of one seller over HTTP in pages of 1000.

Run against a server whose database holds a package of the seller (e.g. the curl walk-through
of docs/orders.md); the script adds N change rows for it first (in the server's database, so
use a throwaway one), then reads them from the start with `GET …/packages/changes/` and
writes the rate and the load average to bench/results/package_feed-<vendor>.json.

    DATABASE_URL=… PAZAR_RATE_LIMITS=off pazar runserver 127.0.0.1:8731 --noreload &
    DATABASE_URL=… python bench/package_feed.py --base http://127.0.0.1:8731 --changes 100000
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import django
import httpx

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8731")
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="demo")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    django.setup()
    from django.db import connection

    from pazar.accounts.models import SellerMembership
    from pazar.fulfilment.models import Package, PackageChange

    seller = SellerMembership.objects.get(user__username=args.username).seller
    package = Package.objects.filter(seller=seller).first()
    PackageChange.objects.filter(seller=seller).delete()
    rows = [
        PackageChange(seller=seller, package=package, kind="updated", status=package.status)
        for _ in range(args.changes)
    ]
    PackageChange.objects.bulk_create(rows, batch_size=5000)

    client = httpx.Client(base_url=args.base, timeout=60)
    access = client.post(
        "/seller-center/api/i1/token/obtain/",
        json={"email": seller.memberships.first().user.email, "password": args.password},
    ).json()["access"]
    headers = {"Authorization": f"Bearer {access}"}
    cursor, seen, pages = "", 0, 0
    started = time.perf_counter()
    while True:
        body = client.get(
            "/seller-center/api/i2/packages/changes/",
            params={"cursor": cursor, "limit": args.page},
            headers=headers,
        ).json()
        seen += len(body["results"])
        pages += 1
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    elapsed = time.perf_counter() - started
    result = {
        "database": connection.vendor,
        "changes": seen,
        "pages": pages,
        "seconds": round(elapsed, 3),
        "changes_per_second": round(seen / elapsed),
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result))
    out = ROOT / "bench" / "results" / f"package_feed-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
