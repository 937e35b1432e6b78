"""What PRD102's count triggers cost SQLite's writes: 1000 products inserted (bulk_create) and
their attributes updated, with the count triggers and without them, alternated 5 times, in a
fresh SQLite database; medians. Rolled back each time.

    .venv/bin/python bench/prd102_counts_sqlite.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ["PAZAR_DATA_DIR"] = tempfile.mkdtemp(prefix="pazar-counts-sqlite-")
os.environ["DJANGO_SETTINGS_MODULE"] = "pazar.settings"
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pazar.accounts.models import Seller  # noqa: E402
from pazar.catalog.models import Category, Product  # noqa: E402
from pazar.marketplace import dbobjects  # noqa: E402


class Rollback(Exception):
    pass


def run(seller, category, n: int) -> tuple[float, float]:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            Product.objects.bulk_create(
                Product(seller=seller, sku=f"AB-{i}", base_code="AB", name=f"Siyah {i}",
                        category=category, approved=True,
                        attributes={"COLOR": "Siyah", "SIZE": "M"})
                for i in range(n)
            )  # fmt: skip
            inserted = time.perf_counter()
            Product.objects.filter(base_code="AB").update(attributes={"COLOR": "Mavi", "SIZE": "L"})
            updated = time.perf_counter()
            raise Rollback
    except Rollback:
        pass
    return inserted - started, updated - inserted


def main() -> int:
    call_command("migrate", verbosity=0)
    seller = Seller.objects.create(name="counts")
    category = Category.objects.create(name="Counts", code="counts")
    kept, bare = [], []
    for _ in range(5):
        kept.append(run(seller, category, 1000))
        with connection.cursor() as cursor:
            dbobjects.uninstall_counts(connection, cursor)
        bare.append(run(seller, category, 1000))
        with connection.cursor() as cursor:
            for definition in dbobjects.SQLITE_COUNT_TRIGGERS.values():
                cursor.execute(definition)
    print(f"load average {os.getloadavg()}")
    for label, samples in (("with the count triggers", kept), ("without", bare)):
        insert = statistics.median(s[0] for s in samples) * 1000
        update = statistics.median(s[1] for s in samples) * 1000
        print(f"{label}: insert 1000 {insert:.0f} ms, update 1000 attributes {update:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
