"""Reads of the Seller Center: a seller's products, and the lists open to a seller."""

from django.db.models import Prefetch, QuerySet

from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock, StockList
from pazar.pricing.models import PriceList, ProductPrice


def with_offer_data(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Products with what their representation reads, in three queries per page."""
    return queryset.select_related("category", "catalog_product").prefetch_related(
        Prefetch(
            "prices", queryset=ProductPrice.objects.select_related("price_list").order_by("pk")
        ),
        Prefetch(
            "stocks", queryset=ProductStock.objects.select_related("stock_list").order_by("pk")
        ),
    )


def seller_products(*, seller) -> QuerySet[Product]:
    return with_offer_data(Product.objects.filter(seller=seller))


def seller_price_lists(*, seller) -> QuerySet[PriceList]:
    return PriceList.objects.filter(sellers=seller)


def seller_stock_lists(*, seller) -> QuerySet[StockList]:
    return StockList.objects.filter(sellers=seller)
