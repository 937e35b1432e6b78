"""The dashboard's figures: batches per hour and their throughput, the approval queue, stock-outs,
orders per hour and the packages waiting to ship.

Each function is a handful of aggregate queries, whatever the number of rows behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from pazar.backoffice.selectors import BATCH_STATE_FILTERS, approval_queue
from pazar.batches.models import BatchRequest, BatchStatus
from pazar.catalog.models import ApprovalStatus, ProductRevision
from pazar.fulfilment.models import Package, PackageStatus
from pazar.inventory.models import StockList
from pazar.orders.models import Order, OrderItem


@dataclass(frozen=True)
class Hour:
    start: datetime
    completed: int = 0  # every row applied
    with_errors: int = 0  # completed, some rows failed
    failed: int = 0  # the batch failed, or all of its rows did
    open: int = 0
    rows: int = 0  # rows of the batches finished in this hour
    seconds: float = 0.0  # the time spent applying them

    @property
    def rows_per_second(self) -> float:
        return round(self.rows / self.seconds, 1) if self.seconds else 0.0


def _hours(now: datetime, count: int) -> list[datetime]:
    last = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [last - timedelta(hours=count - 1 - i) for i in range(count)]


def batch_hours(*, hours: int = 24, now: datetime | None = None) -> list[Hour]:
    """The last `hours` hours (UTC), oldest first: batches received, and rows applied per second."""
    now = now or timezone.now()
    starts = _hours(now, hours)
    since = starts[0]
    received: dict[datetime, dict[str, int]] = {
        row.pop("hour"): row
        for row in BatchRequest.objects.filter(created_at__gte=since)
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .order_by()
        .values("hour")
        .annotate(
            **{
                state: Count("pk", filter=condition)
                for state, condition in BATCH_STATE_FILTERS.items()
            }
        )
    }
    applied = {
        hour: (rows or 0, seconds or 0.0)
        for hour, rows, seconds in BatchRequest.objects.filter(
            status=BatchStatus.COMPLETED, finished_at__gte=since, processed_in__gt=0
        )
        .annotate(hour=TruncHour("finished_at", tzinfo=UTC))
        .order_by()
        .values_list("hour")
        .annotate(rows=Sum("total"), seconds=Sum("processed_in"))
        .values_list("hour", "rows", "seconds")
    }
    result = []
    for start in starts:
        states = received.get(start, {})
        rows, seconds = applied.get(start, (0, 0.0))
        result.append(
            Hour(
                start=start,
                completed=states.get("completed", 0),
                with_errors=states.get("completed_with_errors", 0),
                failed=states.get("failed", 0) + states.get("all_failed", 0),
                open=states.get("waiting", 0) + states.get("processing", 0),
                rows=rows,
                seconds=seconds,
            )
        )
    return result


AGE_BUCKETS = [  # (upper bound of the wait, key)
    (timedelta(hours=1), "hour"),
    (timedelta(days=1), "day"),
    (timedelta(days=7), "week"),
    (None, "older"),
]


@dataclass(frozen=True)
class ApprovalQueueSize:
    total: int
    new: int
    changes: int
    by_age: dict[str, int]
    by_seller: list[tuple[str, int]]


def _age_counts(queryset, field: str, now: datetime) -> dict[str, int]:
    aggregates, lower = {}, None
    for bound, key in AGE_BUCKETS:
        condition = Q()
        if bound is not None:
            condition &= Q(**{f"{field}__gt": now - bound})
        if lower is not None:
            condition &= Q(**{f"{field}__lte": now - lower})
        aggregates[key] = Count("pk", filter=condition)
        lower = bound
    return queryset.order_by().aggregate(**aggregates)


def approval_queue_size(*, now: datetime | None = None, sellers: int = 8) -> ApprovalQueueSize:
    """What waits for approval: new products and changes, how long they have waited, whose."""
    now = now or timezone.now()
    queue = approval_queue()
    pending = ProductRevision.objects.filter(product=OuterRef("pk"), status=ApprovalStatus.PENDING)
    new = queue.filter(~Exists(pending))
    changes = ProductRevision.objects.filter(
        status=ApprovalStatus.PENDING, product__in=queue.values("pk")
    )
    new_ages = _age_counts(new, "created_at", now)
    change_ages = _age_counts(changes, "created_at", now)
    by_age = {key: new_ages[key] + change_ages[key] for _, key in AGE_BUCKETS}
    by_seller = list(
        queue.exclude(seller=None)
        .order_by()
        .values_list("seller__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "seller__name")[:sellers]
    )
    new_count = sum(new_ages.values())
    change_count = sum(change_ages.values())
    return ApprovalQueueSize(
        total=new_count + change_count,
        new=new_count,
        changes=change_count,
        by_age=by_age,
        by_seller=by_seller,
    )


@dataclass(frozen=True)
class StockOuts:
    name: str
    out: int
    total: int


def stock_outs(*, limit: int = 12) -> list[StockOuts]:
    """Per stock list: the live (approved) products at zero or below among the live ones it
    holds; most first. Products not yet approved are not sold, so they are not counted."""
    live = Q(stocks__product__approved=True)
    lists = (
        StockList.objects.annotate(
            total=Count("stocks", filter=live),
            out=Count("stocks", filter=live & Q(stocks__stock__lte=0)),
        )
        .order_by(F("out").desc(), "name")
        .values_list("name", "out", "total")[:limit]
    )
    return [StockOuts(name, out, total) for name, out, total in lists]


# --- orders and packages --------------------------------------------------------------------


@dataclass(frozen=True)
class OrdersToday:
    orders: int  # arrived since midnight (UTC)
    oversold_lines: int  # lines of those orders that found no stock
    by_hour: list[tuple[datetime, int]]  # the last 24 hours, oldest first


def orders_today(*, now: datetime | None = None) -> OrdersToday:
    now = now or timezone.now()
    starts = _hours(now, 24)
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    per_hour = dict(
        Order.objects.filter(created_at__gte=starts[0])
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .order_by()
        .values_list("hour")
        .annotate(n=Count("pk"))
        .values_list("hour", "n")
    )
    return OrdersToday(
        orders=Order.objects.filter(created_at__gte=midnight).count(),
        oversold_lines=OrderItem.objects.filter(
            oversold=True, order__created_at__gte=midnight
        ).count(),
        by_hour=[(start, per_hour.get(start, 0)) for start in starts],
    )


WAITING_STATUSES = (PackageStatus.PREPARING, PackageStatus.READY_TO_SHIP)


@dataclass(frozen=True)
class PackagesWaiting:
    by_status: dict[int, int]  # every waiting status: how many packages are in it
    late: dict[int, int]  # of those, how many have waited more than a day since they arrived

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def packages_waiting(*, now: datetime | None = None) -> PackagesWaiting:
    """Packages not yet shipped, per status, and those older than a day (one query)."""
    day_ago = (now or timezone.now()) - timedelta(days=1)
    rows = {
        status: (count, late)
        for status, count, late in Package.objects.filter(status__in=WAITING_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(created_at__lt=day_ago)))
        .values_list("status", "n", "late")
    }
    return PackagesWaiting(
        by_status={status: rows.get(status, (0, 0))[0] for status in WAITING_STATUSES},
        late={status: rows.get(status, (0, 0))[1] for status in WAITING_STATUSES},
    )
