from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from pazar.batches.models import BatchRequest, BatchStatus


def seller_batch(*, seller, batch_id) -> BatchRequest | None:
    return BatchRequest.objects.select_related("seller").filter(seller=seller, pk=batch_id).first()


def batch_queue() -> dict:
    """How many batches wait or are being applied, how long the oldest waiting one has waited,
    and which are overdue (`overdue_batches`)."""
    open_batches = BatchRequest.objects.filter(
        status__in=(BatchStatus.WAITING, BatchStatus.PROCESSING)
    )
    counts = dict(
        open_batches.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    oldest = (
        open_batches.filter(status=BatchStatus.WAITING)
        .order_by()
        .aggregate(oldest=Min("created_at"))["oldest"]
    )
    return {
        "waiting": counts.get(BatchStatus.WAITING, 0),
        "processing": counts.get(BatchStatus.PROCESSING, 0),
        "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds(), 3)
        if oldest
        else 0,
        "overdue": overdue_batches(),
        "max_processing_seconds": settings.PAZAR_HEALTH_MAX_PROCESSING_SECONDS,
    }


def _seconds(delta: timedelta) -> float:
    return round(delta.total_seconds(), 3)


def overdue_batches(limit: int = 10) -> list[dict]:
    """Batches processing longer than they should, oldest first: for longer than
    PAZAR_HEALTH_MAX_PROCESSING_SECONDS since their first claim, or whose lease ran out a
    lease's length ago without any worker taking them over."""
    now = timezone.now()
    lapsed_before = now - timedelta(seconds=settings.PAZAR_BATCH_LEASE_SECONDS)
    started_before = now - timedelta(seconds=settings.PAZAR_HEALTH_MAX_PROCESSING_SECONDS)
    batches = (
        BatchRequest.objects.filter(status=BatchStatus.PROCESSING)
        .filter(Q(started_at__lt=started_before) | Q(lease_expires_at__lt=lapsed_before))
        .order_by("started_at", "id")
        .values(
            "id", "seller_id", "kind", "attempts", "leased_by", "started_at", "lease_expires_at"
        )[:limit]
    )
    return [
        {
            "id": str(batch["id"]),
            "seller_id": str(batch["seller_id"]),
            "kind": batch["kind"],
            "attempts": batch["attempts"],
            "leased_by": batch["leased_by"],
            "processing_seconds": _seconds(now - batch["started_at"]) if batch["started_at"] else 0,
            "lease_expired_seconds": _seconds(now - batch["lease_expires_at"])
            if batch["lease_expires_at"] and batch["lease_expires_at"] < now
            else 0,
        }
        for batch in batches
    ]
