"""Every change of a package is written to the change log (the cursor feed) and told to its
seller as a signed callback event, in the transaction that made it."""

from __future__ import annotations

from django.db import connection

from pazar.callbacks.services import callback_publish
from pazar.core.dates import utc_text
from pazar.fulfilment.models import Package, PackageChange


def current_txid() -> int:
    """The writing transaction's id (PostgreSQL); 0 on SQLite, where writers take turns."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


def package_changed(*, package: Package, kind: str, details: dict | None = None) -> None:
    PackageChange.objects.create(
        seller_id=package.seller_id,
        package=package,
        kind=kind,
        status=package.status,
        txid=current_txid(),
    )
    callback_publish(
        seller=package.seller,
        event=f"package.{kind}",
        fields={
            "package": {
                "number": package.number,
                "order_number": package.order.number,
                "status": package.status,
                "updated_at": utc_text(package.updated_at),
            },
            **(details or {}),
        },
    )
