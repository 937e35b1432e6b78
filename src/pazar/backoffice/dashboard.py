"""The dashboard's figures: batches per hour and their throughput, the approval queue, stock-outs.

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
from pazar.inventory.models import StockList


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
