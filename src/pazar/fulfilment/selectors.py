"""Reads of packages: a seller's packages with what their pages show, and the change feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from pazar.core.errors import ApplicationError
from pazar.fulfilment.error_codes import ErrorCode
from pazar.fulfilment.models import Package, PackageChange, PackageEvent, PackageItem

ADDRESS_RELATED = ["country", "city", "township", "district"]


def seller_packages(*, seller) -> QuerySet[Package]:
    """The seller's packages, newest first, with their order, addresses and carrier."""
    related = ["order", "shipping_company"]
    for address in ("shipping_address", "billing_address"):
        related += [f"order__{address}"] + [f"order__{address}__{f}" for f in ADDRESS_RELATED]
    return Package.objects.filter(seller=seller).select_related(*related)


def with_history_and_items(queryset):
    """Prefetch each package's history (with who) and items (with their order item)."""
    return queryset.prefetch_related(
        Prefetch("history", queryset=PackageEvent.objects.select_related("user", "user__seller_membership").order_by("pk")),
        Prefetch(
            "items",
            queryset=PackageItem.objects.select_related("order_item", "order_item__product")
            .order_by("pk"),
        ),
    )  # fmt: skip


def package_items(*, package: Package) -> QuerySet[PackageItem]:
    return PackageItem.objects.filter(package=package).select_related(
        "order_item", "order_item__product"
    )


# --- the cursor feed ------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in a seller's change feed: after the change `(txid, id)`."""

    txid: int = 0
    id: int = 0

    def __str__(self) -> str:
        return f"{self.txid}.{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor:
        if not text:
            return cls()
        txid, dot, change_id = text.partition(".")
        if not (dot and txid.isdigit() and change_id.isdigit()):
            raise ApplicationError(
                "A cursor is what a previous page gave as `next_cursor`.",
                code=ErrorCode.CURSOR_INVALID,
            )
        return cls(int(txid), int(change_id))


def _horizon() -> tuple[int, int | None] | None:
    """PostgreSQL: the oldest transaction id still running (changes of it and of every later
    transaction are not shown yet), and this transaction's own id if it has one."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            "pg_current_xact_id_if_assigned()::text::bigint"
        )
        return cursor.fetchone()


def package_changes(*, seller, after: Cursor, limit: int) -> tuple[list[PackageChange], Cursor]:
    """The seller's package changes after the cursor, oldest first, and the cursor to ask with
    next time (the given one when there is nothing new).

    Changes are ordered by the id of the transaction that wrote them, then by their own id.
    Only changes of transactions older than every transaction still running are shown: a
    transaction that commits later has a larger id than all of them, so its changes land after
    any cursor handed out so far, and a client that polls with its last cursor misses none,
    with no overlap window. (SQLite runs one writer at a time: ids follow commits there.)
    """
    rows = PackageChange.objects.filter(seller=seller).filter(
        Q(txid__gt=after.txid) | Q(txid=after.txid, id__gt=after.id)
    )
    horizon = _horizon()
    if horizon is not None:
        oldest_running, own = horizon
        visible = Q(txid__lt=oldest_running)
        if own is not None:  # what this transaction wrote itself (tests, the back office)
            visible |= Q(txid=own)
        rows = rows.filter(visible)
    page = list(
        rows.order_by("txid", "id")
        .select_related("package", "package__order")
        .only("id", "txid", "kind", "status", "created_at", "package__number",
              "package__order__number")[:limit]
    )  # fmt: skip
    last = Cursor(page[-1].txid, page[-1].id) if page else after
    return page, last
