"""Every change of a package is written to the change log (the cursor feed) and told to its
seller as a signed callback event, in the transaction that made it.

The feed's promise (a client polling with the last id it saw misses nothing) needs a seller's
change ids in commit order. On PostgreSQL a writer takes the seller's change lock (a
transaction-level advisory lock) before its change row takes an id, and keeps it until it
commits; the next writer for that seller takes its id after that commit, which is visible by
then. Writers for different sellers do not wait for each other. SQLite runs one writer at a
time anyway. The lock is the last one a transaction takes (after package, order item and stock
rows), and several sellers' locks are taken in one fixed order, so it adds no deadlock.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import Count

from pazar.callbacks.services import callbacks_publish
from pazar.core.dates import utc_text
from pazar.core.sql import bulk_insert, counts_add_statement, execute_together, insert_later
from pazar.core.transactions import locks_to_take
from pazar.fulfilment.models import (
    Package,
    PackageChange,
    PackageChangeKind,
    PackageStatusCount,
)

# The first key of the advisory locks; the second is a hash of the seller's id.
CHANGE_LOCK_SPACE = 0x5041_4B47  # "PAKG"


def changes_lock(*, seller_ids) -> None:
    """Hold the change lock of each seller until this transaction ends (PostgreSQL); a lock
    taken already in the same `savepoints_spared()` block is not asked for again."""
    if connection.vendor != "postgresql":
        return
    keys = locks_to_take(("change", str(seller_id)) for seller_id in seller_ids)
    if not keys:
        return
    with connection.cursor() as cursor:
        for _, key in keys:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [CHANGE_LOCK_SPACE, key]
            )


def _count(deltas: dict[tuple, int]) -> None:
    """Add each `(seller, status) → delta` to the sellers' counts of packages, in one statement
    (the caller holds the sellers' change locks, so no other writer creates the rows
    meanwhile)."""
    execute_together([_count_statement(deltas)])


def _count_statement(deltas: dict[tuple, int]):
    """`_count`'s statement, to send with the change rows' insert (or None: nothing moves)."""
    return counts_add_statement(
        PackageStatusCount, keys=["seller", "status"], count="count", deltas=deltas
    )


def package_status_counts_rebuild(*, seller_ids) -> None:
    """Count the sellers' packages again (after packages written in bulk outside the services,
    e.g. by a benchmark's loader)."""
    changes_lock(seller_ids=seller_ids)
    PackageStatusCount.objects.filter(seller_id__in=seller_ids).delete()
    PackageStatusCount.objects.bulk_create(
        PackageStatusCount(seller_id=row["seller"], status=row["status"], count=row["n"])
        for row in Package.objects.filter(seller_id__in=seller_ids)
        .order_by()
        .values("seller", "status")
        .annotate(n=Count("pk"))
    )


def _event_fields(package: Package) -> dict:
    return {
        "package": {
            "number": package.number,
            "order_number": package.order.number,
            "status": package.status,
            "updated_at": utc_text(package.updated_at),
        }
    }


def package_changed(*, package: Package, kind: str, details: dict | None = None) -> None:
    packages_changed(changes=[package_change(package=package, kind=kind, details=details)])


def package_change(*, package: Package, kind: str, details: dict | None = None) -> tuple:
    """A change of the package as it is now (its status and `updated_at`), for
    `packages_changed` to write later with others."""
    counts = {}
    if kind == PackageChangeKind.CREATED:
        counts = {(package.seller_id, package.status): 1}
    elif kind == PackageChangeKind.STATUS_CHANGED and details["from_status"] != package.status:
        counts = {
            (package.seller_id, details["from_status"]): -1,
            (package.seller_id, package.status): 1,
        }
    fields = {**_event_fields(package), **(details or {})}
    return package, kind, package.status, fields, counts


def packages_changed(
    *, changes: list[tuple], callbacks: list | None = None, statements: list | None = None
) -> None:
    """Write changes (`package_change`), in their order: the sellers' change locks, then the
    packages' status counts with one insert of the change rows (one round trip on PostgreSQL),
    and one insert of the callback events. `callbacks`: the events are added to it instead, for
    the caller to publish with its own (`callbacks_publish`, one insert), in this transaction.
    `statements`: the counts' and the change rows' statements are added to it instead, for the
    caller to send with a later write of this transaction (`core.sql.bulk_insert(before=…)`),
    the change locks held since."""
    changes_lock(seller_ids=[package.seller_id for package, *_ in changes])
    deltas = Counter()
    for *_, counts in changes:
        deltas.update(counts)
    rows = [
        PackageChange(seller_id=package.seller_id, package=package, kind=kind, status=status)
        for package, kind, status, _, _ in changes
    ]
    events = [
        (package.seller, f"package.{kind}", fields) for package, kind, _, fields, _ in changes
    ]
    if statements is None:
        bulk_insert(PackageChange, rows, before=[_count_statement(deltas)])
    else:
        statements += [_count_statement(deltas), *insert_later(PackageChange, rows)]
    if callbacks is None:
        callbacks_publish(events=events)
    else:
        callbacks.extend(events)


def packages_created(*, packages: list[Package]) -> None:
    """`package_changed(kind=CREATED)` for new packages (one order's) at once: one insert of
    their changes and one of their events. The caller holds their sellers' change locks already
    (`changes_lock`, taken before the packages were written), so they are not taken again."""
    _count(Counter((package.seller_id, package.status) for package in packages))
    PackageChange.objects.bulk_create(
        PackageChange(
            seller_id=package.seller_id,
            package=package,
            kind=PackageChangeKind.CREATED,
            status=package.status,
        )
        for package in packages
    )
    callbacks_publish(
        events=[
            (package.seller, f"package.{PackageChangeKind.CREATED}", _event_fields(package))
            for package in packages
        ]
    )
