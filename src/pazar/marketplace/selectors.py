"""Reads of the Seller Center: a seller's products, and the lists open to a seller."""

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, TextField
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from pazar.catalog.models import Category, Product
from pazar.inventory.models import ProductStock, StockList
from pazar.marketplace.dbobjects import TRIGRAM_TABLE
from pazar.marketplace.models import SellerCatalogVersion, SellerProductCount
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
    a 100-product page converts several times faster), newest change first.

    The linked catalog product's uuid is a subquery rather than a join: PostgreSQL evaluates it
    for the page's rows only, after sorting, where a join would look up every match of a
    filter that must be sorted (1 588 lookups for a `name__icontains` page of 100).
    """
    return Product.objects.filter(seller=seller).values(
        "pk",
        *LISTED_FIELDS,
        category_uuid=F("category__uuid"),
        catalog_product_uuid=Subquery(
            Product.objects.filter(pk=OuterRef("catalog_product_id")).order_by().values("uuid")[:1]
        ),
    )


# A date filter's count is read from the index up to this many rows, on either side of the date
# (see `seller_product_count`).
DATE_COUNT_LIMIT = 10_000


def attribute_text(key: str) -> Cast:
    """A product attribute's value as text (numbers too), as PRD102's `attribute__<KEY>` compares it."""
    return Cast(KT(f"attributes__{key}"), TextField())


@dataclass(frozen=True)
class CountedFilter:
    """A PRD102 filter the kept counts (`SellerProductCount`) can answer: an approval state,
    perhaps categories (a product's category must be one of each set), one attribute's exact value
    and date conditions (`Q` on `created_at`/`updated_at`)."""

    approved: bool
    categories: tuple[frozenset[uuid.UUID], ...] = ()
    attribute: tuple[str, str] | None = None
    dates: Q | None = None


def attribute_is_counted(key: str) -> bool:
    """Whether the kept counts hold `attribute__<key>`: Django reads a key that is a number
    (`attribute__0`) as a position in a JSON array, which they do not count."""
    try:
        int(key)
    except ValueError:
        return True
    return False


def _kept_count(*, seller, counted: CountedFilter) -> int | None:
    """`counted` from the kept counts: one query, and for dates at most two capped index reads
    (the matches, else the seller's rows on the other side of the dates); None if both sides
    of the dates are large."""
    key, value = counted.attribute or ("", "")
    rows = SellerProductCount.objects.filter(
        seller_id=seller.pk, approved=counted.approved, attribute=key, value=value
    )
    for categories in counted.categories:
        rows = rows.filter(
            category_id__in=Category.objects.filter(uuid__in=categories).values("pk")
        )
    if counted.dates is None:
        return rows.aggregate(n=Sum("count"))["n"] or 0
    # Dates cut a range out of the counted products: count whichever side is small, from the
    # index (`product_seller_list`, `marketplace_product_seller_created`, `…_unapproved`), and
    # the whole only if neither is.
    products = Product.objects.filter(seller=seller, approved=counted.approved).order_by()
    for categories in counted.categories:
        products = products.filter(category__uuid__in=categories)
    if counted.attribute is not None:
        products = products.alias(counted_attribute=attribute_text(key)).filter(
            counted_attribute=value
        )
    matching = products.filter(counted.dates).values("pk")[:DATE_COUNT_LIMIT].count()
    if matching < DATE_COUNT_LIMIT:
        return matching
    outside = products.exclude(counted.dates).values("pk")[:DATE_COUNT_LIMIT].count()
    if outside < DATE_COUNT_LIMIT:
        return (rows.aggregate(n=Sum("count"))["n"] or 0) - outside
    return None


def seller_product_count(
    *,
    seller,
    queryset: QuerySet[Product],
    params: list[tuple[str, str]],
    counted: CountedFilter | None = None,
) -> int:
    """The exact number of products `queryset` (a filtered `seller_products`) finds.

    When the filter is one the kept counts answer (`counted`: approval, categories, one
    attribute's value, dates), they give it: the triggers that keep the seller's catalog version
    keep them too (`pazar.marketplace.dbobjects`), so they are exact whatever changed just
    before. Other filters (name, SKU, base code, and dates that cut a large range in two) are
    counted. Counting tens of thousands of rows costs more than building a page of them, and
    clients page through the same filter again and again, so that count is cached under the
    seller's catalog version token, which the database replaces on any change to the seller's
    products (`pazar.marketplace.dbobjects`). `params` are the query parameters that shaped `queryset`.
    If the cache cannot be reached, the count is simply computed.
    """
    if counted is not None:
        kept = _kept_count(seller=seller, counted=counted)
        if kept is not None:
            return kept
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
