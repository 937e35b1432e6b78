from pazar.batches.models import BatchRequest


def seller_batch(*, seller, batch_id) -> BatchRequest | None:
    return BatchRequest.objects.select_related("seller").filter(seller=seller, pk=batch_id).first()
