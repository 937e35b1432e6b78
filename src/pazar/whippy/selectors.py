"""Reads of Whippy Ware rows as the API shows them."""

from django.db.models import QuerySet

from pazar.whippy.models import Stock, StockListResult


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


def stock_list_figures(*, stock_list_id: int) -> dict[str, int]:
    """SKU → the figure last computed for the list."""
    return dict(
        StockListResult.objects.filter(stock_list_id=stock_list_id).values_list("sku", "stock")
    )
