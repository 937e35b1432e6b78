"""Writes of the pricing app: price lists (`price_lists`) and product prices (`prices`)."""

from pazar.pricing.currencies import currency_code
from pazar.pricing.services.price_lists import (
    price_list_create,
    price_list_delete,
    price_list_sellers_set,
    price_list_update,
    price_list_upsert,
)
from pazar.pricing.services.prices import (
    price_values_plain,
    product_price_delete,
    product_price_update,
    product_prices_check,
    product_prices_upsert,
    product_prices_write,
    product_prices_write_plain,
)

__all__ = [
    "currency_code",
    "price_list_create",
    "price_list_delete",
    "price_list_sellers_set",
    "price_list_update",
    "price_list_upsert",
    "price_values_plain",
    "product_price_delete",
    "product_price_update",
    "product_prices_check",
    "product_prices_upsert",
    "product_prices_write",
    "product_prices_write_plain",
]
