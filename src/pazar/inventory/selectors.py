"""Reads of the inventory app other apps use."""

from django.db.models import QuerySet

from pazar.inventory.models import ProductStock, StockList


def product_stocks(*, stock_list_ids) -> QuerySet[ProductStock]:
    """The stocks of those stock lists, by pk."""
    return ProductStock.objects.filter(stock_list_id__in=stock_list_ids).order_by("pk")


def stock_lists(*, pks) -> QuerySet[StockList]:
    return StockList.objects.filter(pk__in=pks).order_by("pk")
