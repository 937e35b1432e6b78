"""Reads of the pricing app other apps use."""

from django.db.models import QuerySet

from pazar.pricing.models import PriceList, ProductPrice


def product_prices(*, price_list_ids) -> QuerySet[ProductPrice]:
    """The prices of those price lists, by pk."""
    return ProductPrice.objects.filter(price_list_id__in=price_list_ids).order_by("pk")


def price_lists(*, pks) -> QuerySet[PriceList]:
    return PriceList.objects.filter(pk__in=pks).order_by("pk")
