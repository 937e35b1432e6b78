from pazar.callbacks.models import Callback


def seller_callbacks(*, seller, after: int = 0, limit: int = 100) -> list[Callback]:
    """The seller's delivery log after the cursor `after` (an event's id), oldest first."""
    return list(Callback.objects.filter(seller=seller, pk__gt=after).order_by("pk")[:limit])
