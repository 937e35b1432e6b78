"""Reads of Whippy Ware rows as the API shows them."""

from django.db.models import QuerySet

from pazar.whippy.models import Stock


def stock_list() -> QuerySet[Stock]:
    """Stock rows with their location and provider loaded (the API shows both codes)."""
    return Stock.objects.select_related("location__provider").order_by("pk")


def stock_id_for(*, sku: str, provider: str, location: str) -> int | None:
    """The id of the stock row of a (sku, provider code, location code) triple, if stored."""
    return (
        Stock.objects.filter(sku=sku, location__provider__code=provider, location__code=location)
        .values_list("pk", flat=True)
        .first()
    )
