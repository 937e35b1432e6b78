"""Reads of the Seller Center: a seller's products, and the lists open to a seller."""

from django.db.models import QuerySet

from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock, StockList
from pazar.pricing.models import PriceList, ProductPrice

# What a PRD102 item shows; loading only this keeps a 100-product page cheap to convert.
LISTED_FIELDS = [
    "uuid", "sku", "base_code", "name", "attributes", "images", "videos", "restrict_for_others",
    "approved", "approval_status", "rejection_reason", "created_at", "updated_at",
]  # fmt: skip


def seller_products(*, seller) -> QuerySet[Product]:
    return (
        Product.objects.filter(seller=seller)
        .select_related("category", "catalog_product")
        .only(*LISTED_FIELDS, "category__uuid", "catalog_product__uuid")
    )


def offers_of(*, products: list[Product]) -> dict[int, dict[str, list[tuple]]]:
    """The prices and stocks of a page of products, as plain rows, in two queries.

    `{product pk: {"prices": [(list uuid, currency, retail, price, tax)], "stocks": [(list uuid,
    unit, stock, unreported)]}}`: rows rather than model instances keep a 100-product page fast.
    """
    ids = [product.pk for product in products]
    offers: dict[int, dict[str, list[tuple]]] = {pk: {"prices": [], "stocks": []} for pk in ids}
    prices = (
        ProductPrice.objects.filter(product_id__in=ids)
        .order_by("pk")
        .values_list(
            "product_id", "price_list__uuid", "currency_type", "retail_price", "price", "tax_rate"
        )
    )
    for product_id, *row in prices:
        offers[product_id]["prices"].append(tuple(row))
    stocks = (
        ProductStock.objects.filter(product_id__in=ids)
        .order_by("pk")
        .values_list(
            "product_id", "stock_list__uuid", "unit_type", "stock", "sold_quantity_unreported"
        )
    )
    for product_id, *row in stocks:
        offers[product_id]["stocks"].append(tuple(row))
    return offers


def seller_price_lists(*, seller) -> QuerySet[PriceList]:
    return PriceList.objects.filter(sellers=seller)


def seller_stock_lists(*, seller) -> QuerySet[StockList]:
    return StockList.objects.filter(sellers=seller)
