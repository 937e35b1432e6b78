"""Reads of packages: a seller's packages with what their pages show, and the change feed."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet

from pazar.core.errors import ApplicationError
from pazar.fulfilment.error_codes import ErrorCode
from pazar.fulfilment.models import (
    Package,
    PackageChange,
    PackageEvent,
    PackageItem,
    PackageStatusCount,
)

ADDRESS_RELATED = ["country", "city", "township", "district"]


def seller_packages(*, seller) -> QuerySet[Package]:
    """The seller's packages, newest first, with their order, addresses and carrier."""
    related = ["order", "shipping_company"]
    for address in ("shipping_address", "billing_address"):
        related += [f"order__{address}"] + [f"order__{address}__{f}" for f in ADDRESS_RELATED]
    return Package.objects.filter(seller=seller).select_related(*related)


def seller_package_rows(*, seller) -> QuerySet[Package]:
    """The seller's packages, newest first, without their related rows: what PKG101 filters,
    counts and pages. Its page is read from the package table's indexes (`package_seller_list`,
    `package_seller_status`) whatever the database; joined with the order, the addresses and
    their places, SQLite's planner would start from those small tables and sort all of a big
    seller's packages (docs/performance.md, "PKG101 on SQLite")."""
    return Package.objects.filter(seller=seller).order_by("-created_at", "-id")


def package_count(*, seller, statuses=None) -> int:
    """How many packages the seller has (in `statuses`, when given), from the counts the
    services keep: one small read however many packages there are."""
    counts = PackageStatusCount.objects.filter(seller=seller)
    if statuses is not None:
        counts = counts.filter(status__in=statuses)
    return sum(counts.values_list("count", flat=True))


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


def parse_cursor(text: str | None) -> int:
    """A cursor is the id of the last change a client saw ("" or absent: from the start)."""
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()):
        raise ApplicationError(
            "A cursor is what a previous page gave as `next_cursor`.",
            code=ErrorCode.CURSOR_INVALID,
        )
    return int(text)


class FeedEntry(NamedTuple):
    """One change as the feed shows it."""

    id: int
    kind: str
    status: int
    created_at: datetime
    package: str  # the package's number
    order_number: str


FEED_COLUMNS = ["id", "kind", "status", "created_at", "package__number", "package__order__number"]


def package_changes(*, seller, after: int, limit: int) -> tuple[list[FeedEntry], int]:
    """The seller's package changes after the cursor, oldest first, and the cursor to ask with
    next time (the given one when there is nothing new). Ids follow commit order (see
    pazar.fulfilment.services.changes), so nothing can appear behind a cursor handed out.

    Read as plain rows, one join and no model instances: building three model instances per
    change (the change, its package, its order) was most of a page's time
    (docs/performance.md, "Packages' change feed")."""
    rows = (
        PackageChange.objects.filter(seller=seller, id__gt=after)
        .order_by("id")
        .values_list(*FEED_COLUMNS)[:limit]
    )
    page = [FeedEntry(*row) for row in rows]
    return page, (page[-1].id if page else after)
