from django.db.models import Count, Min
from django.utils import timezone

from pazar.batches.models import BatchRequest, BatchStatus


def seller_batch(*, seller, batch_id) -> BatchRequest | None:
    return BatchRequest.objects.select_related("seller").filter(seller=seller, pk=batch_id).first()


def batch_queue() -> dict:
    """How many batches wait or are being applied, and how long the oldest waiting one has waited."""
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
    }
