"""Writes of product prices: one price per (product, price list), written in bulk statements."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from pazar.catalog.models import Product
from pazar.core.bulk import existing_pks, repeated, stored_rows, upsert_given
from pazar.core.errors import RowErrors
from pazar.core.services import field_error, model_update
from pazar.pricing.currencies import omnitron_currency
from pazar.pricing.models import PriceList, PriceType, ProductPrice

KEY = ["product", "price_list"]
# What a new price gets for the fields a row leaves out; an existing price keeps its own.
OPTIONAL = {
    "retail_price": None,
    "tax_rate": Decimal(0),
    "price_type": PriceType.DEFAULT,
    "discount_percentage": None,
    "extra_field": {},
}
UPDATABLE = ["price", "currency_type", *OPTIONAL]
NOT_FOUND = 'Invalid pk "{}" - object does not exist.'
TWICE = "This product has another row for the same price list in this request."
TAKEN = "The fields product, price_list must make a unique set."


def _wrong_currency(currency: str) -> str:
    return f"Must be the currency of the price list ({omnitron_currency(currency)})."


@transaction.atomic
def product_prices_upsert(*, rows: list[dict], create_only: bool = False) -> list[int]:
    """Create or update the prices of (product, price list) pairs; return their pks in order.

    Each row: `product_id`, `price_list_id`, `price` (Decimal), and optionally `retail_price`,
    `tax_rate` (a fraction: 0.18 is 18 %), `currency_type` (upper-case ISO code; the list's
    currency when left out, and it must be the list's), `price_type`, `discount_percentage`,
    `extra_field`. Values are already parsed; this checks how rows fit the data.

    A field a row leaves out keeps its stored value on an existing price and takes the default
    of OPTIONAL on a new one. The rows are checked whole first: an unknown product or list, a
    currency other than the list's, a pair given twice, or (with `create_only`) a pair that
    already has a price refuses the whole call with `RowsInvalid`, which lists one
    `{field: [message]}` per row. Queries: products, lists, stored pairs (with `create_only`),
    then one upsert per distinct set of fields given (usually one).
    """
    errors = RowErrors(len(rows))
    products = existing_pks(Product, (row["product_id"] for row in rows))
    currencies = dict(
        PriceList.objects.filter(pk__in={row["price_list_id"] for row in rows}).values_list(
            "pk", "currency"
        )
    )
    prepared = []
    for index, row in enumerate(rows):
        if row["product_id"] not in products:
            errors.add(index, "product", NOT_FOUND.format(row["product_id"]))
        currency = currencies.get(row["price_list_id"])
        if currency is None:
            errors.add(index, "price_list", NOT_FOUND.format(row["price_list_id"]))
        elif row.get("currency_type", currency) != currency:
            errors.add(index, "currency_type", _wrong_currency(currency))
        prepared.append(_prepared(row, currency))
    for index in repeated(prepared, KEY):
        errors.add(index, "non_field_errors", TWICE)
    if create_only and not errors:
        taken = stored_rows(ProductPrice, key=KEY, pairs=(_key(row) for row in prepared), values=[])
        for index, row in enumerate(prepared):
            if _key(row) in taken:
                errors.add(index, "non_field_errors", TAKEN)
    errors.raise_if_any()
    return upsert_given(
        ProductPrice, rows=prepared, key=KEY, required=["price", "currency_type"], optional=OPTIONAL
    )


def _prepared(row: dict, currency: str | None) -> dict:
    prepared = {
        "product": row["product_id"],
        "price_list": row["price_list_id"],
        "price": row["price"],
        "currency_type": currency,
    }
    prepared.update((name, row[name]) for name in OPTIONAL if name in row)
    return prepared


def _key(row: dict) -> tuple:
    return row["product"], row["price_list"]


@transaction.atomic
def product_price_update(*, product_price: ProductPrice, data: dict) -> ProductPrice:
    """Change a price; its product and price list stay. `currency_type` must be the list's."""
    currency = product_price.price_list.currency
    if data.get("currency_type", currency) != currency:
        raise field_error("currency_type", _wrong_currency(currency), "currency_mismatch")
    model_update(instance=product_price, fields=UPDATABLE, data=data)
    return product_price


@transaction.atomic
def product_price_delete(*, product_price: ProductPrice) -> None:
    product_price.delete()
