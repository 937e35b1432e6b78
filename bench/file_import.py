"""The seller panel's file upload at its limit: a stocks file of 50,000 rows as CSV and as XLSX.

Measures, in process on a throwaway database (a fresh data directory, SQLite unless
DATABASE_URL is set): the upload's own work (read the file, turn its rows into the Seller
Center's, queue them as 50 batches), the worker applying the 50 batches (half the rows name a
SKU the seller does not have, so half fail), and writing the failed rows' file. Results go to
bench/results/file_import-<vendor>.json.

    .venv/bin/python bench/file_import.py [--rows 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


class Upload(io.BytesIO):
    """What Django hands a view for an uploaded file: a name, a size and read()."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name, self.size = name, len(content)


def stock_rows(count: int) -> list[list[str]]:
    rows = [["sku", "stock_list", "stock"]]
    rows += [
        [f"SKU-{n:06d}" if n % 2 else f"NONE-{n:06d}", "main", str(n % 90)] for n in range(count)
    ]
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("PAZAR_DATA_DIR", tempfile.mkdtemp(prefix="pazar-bench-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from pazar.accounts.services import seller_create
    from pazar.backoffice.services import file_import
    from pazar.batches.models import BatchImport, BatchStatus
    from pazar.batches.services import batch_run
    from pazar.catalog.models import Product
    from pazar.inventory.services import stock_list_upsert

    seller = seller_create(name="Bench", username="bench", password="bench", validate=False).seller
    stock_list_upsert(code="main", name="Main").sellers.add(seller)
    Product.objects.bulk_create(
        [
            Product(seller=seller, sku=f"SKU-{n:06d}", name="x", base_code="x", approved=True)
            for n in range(1, args.rows, 2)
        ],
        batch_size=5000,
    )
    rows = stock_rows(args.rows)
    files = {"csv": as_csv(rows), "xlsx": as_xlsx(rows)}
    results = {
        "rows": args.rows,
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "formats": {},
    }
    for name, content in files.items():
        upload_seconds, apply_seconds, failed_file_seconds = [], [], []
        for _ in range(args.rounds):
            started = time.perf_counter()
            created = file_import.file_import_create(
                seller=seller, kind="stocks", upload=Upload(f"stocks.{name}", content)
            )
            upload_seconds.append(time.perf_counter() - started)
            started = time.perf_counter()
            batch_run(batch_id=created.batches.first().pk, worker="bench")
            apply_seconds.append(time.perf_counter() - started)
            assert not created.batches.exclude(status=BatchStatus.COMPLETED).exists()
            started = time.perf_counter()
            failed = file_import.failed_rows(created)
            body = file_import.failed_rows_file(created, failed)
            failed_file_seconds.append(time.perf_counter() - started)
            assert len(failed) == args.rows // 2, len(failed)
        results["formats"][name] = {
            "file_bytes": len(content),
            "batches": created.batches.count(),
            "failed_rows": len(failed),
            "failed_file_bytes": len(body),
            "upload_seconds": [round(s, 3) for s in upload_seconds],
            "upload_median_seconds": round(statistics.median(upload_seconds), 3),
            "apply_seconds": [round(s, 3) for s in apply_seconds],
            "apply_median_rows_per_second": round(args.rows / statistics.median(apply_seconds)),
            "failed_file_seconds": [round(s, 3) for s in failed_file_seconds],
            "failed_file_median_seconds": round(statistics.median(failed_file_seconds), 3),
        }
        print(name, json.dumps(results["formats"][name]))
    results["imports"] = BatchImport.objects.count()
    out = ROOT / "bench" / "results" / f"file_import-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
