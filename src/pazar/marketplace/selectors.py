"""Reads of the Seller Center: a seller's products, and the lists open to a seller."""

import hashlib
import json
import logging

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock, StockList
from pazar.marketplace.dbobjects import TRIGRAM_TABLE
from pazar.marketplace.models import SellerCatalogVersion
from pazar.pricing.models import PriceList, ProductPrice

logger = logging.getLogger(__name__)

# How long a product count stays cached; it is exact for as long as it is kept (the key holds the
# seller's catalog version), so this only bounds the space unused counts take.
COUNT_CACHE_SECONDS = 600

# What a PRD102 item shows; loading only this keeps a 100-product page cheap to convert.
LISTED_FIELDS = [
    "uuid", "sku", "base_code", "name", "attributes", "images", "videos", "restrict_for_others",
    "approved", "approval_status", "rejection_reason", "created_at", "updated_at",
]  # fmt: skip


def seller_products(*, seller) -> QuerySet:
    """A seller's products as the plain values a PRD102 item shows (dicts, not model instances:
    a 100-product page converts several times faster), newest change first."""
    return Product.objects.filter(seller=seller).values(
        "pk",
        *LISTED_FIELDS,
        category_uuid=F("category__uuid"),
        catalog_product_uuid=F("catalog_product__uuid"),
    )


def seller_product_count(
    *, seller, queryset: QuerySet[Product], params: list[tuple[str, str]]
) -> int:
    """The exact number of products `queryset` (a filtered `seller_products`) finds.

    Counting tens of thousands of rows costs more than building a page of them, and clients page
    through the same filter again and again, so the count is cached under the seller's catalog
    version token, which the database replaces on any change to the seller's products
    (`pazar.marketplace.dbobjects`). `params` are the query parameters that shaped `queryset`.
    If the cache cannot be reached, the count is simply computed.
    """
    token = (
        SellerCatalogVersion.objects.filter(seller_id=seller.pk)
        .values_list("token", flat=True)
        .first()
    )
    digest = hashlib.sha256(json.dumps(sorted(params)).encode()).hexdigest()[:32]
    key = f"prd102:count:{seller.pk.hex}:{token or 'initial'}:{digest}"
    try:
        count = cache.get(key)
    except Exception:  # the cache is an optimisation; an outage must not fail the request
        logger.warning("Product count cache unavailable; counting directly.", exc_info=True)
        return queryset.count()
    if count is None:
        count = queryset.count()
        try:
            cache.set(key, count, COUNT_CACHE_SECONDS)
        except Exception:
            logger.warning("Product count cache unavailable; not storing.", exc_info=True)
    return count


def narrow_by_text(queryset: QuerySet[Product], *, field: str, text: str) -> QuerySet[Product]:
    """Restrict a `contains`/`icontains` filter on name, SKU or base code to the products the
    trigram index finds (SQLite; PostgreSQL uses its trigram index by itself). Only a candidate
    set: the caller's own lookup still decides, so results are exactly the plain lookup's."""
    if connection.vendor != "sqlite" or len(text) < 3:
        return queryset  # under three characters there is no trigram to look up
    phrase = '"' + text.replace('"', '""') + '"'
    return queryset.filter(
        pk__in=RawSQL(  # noqa: S611 - constant SQL, the user's text is a parameter
            f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s",  # noqa: S608
            [f"{field} : {phrase}"],
        )
    )


def offers_of(*, products: list[dict]) -> dict[int, dict[str, list[tuple]]]:
    """The prices and stocks of a page of products, as plain rows, in two queries.

    `{product pk: {"prices": [(list uuid, currency, retail, price, tax)], "stocks": [(list uuid,
    unit, stock, unreported)]}}`: rows rather than model instances keep a 100-product page fast.
    """
    ids = [product["pk"] for product in products]
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
