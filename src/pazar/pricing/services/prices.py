"""Writes of product prices: one price per (product, price list), written in bulk statements."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from pazar.catalog.models import Product
from pazar.core.bulk import (
    CheckedRows,
    existing_pks,
    repeated,
    stored_rows,
    upsert_checked,
    upsert_given,
)
from pazar.core.errors import FieldErrors, Message, RowErrors, does_not_exist
from pazar.core.numbers import decimal_problem
from pazar.core.services import model_update
from pazar.pricing.currencies import omnitron_currency
from pazar.pricing.error_codes import ErrorCode
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
TWICE = "This product has another row for the same price list in this request."
TAKEN = "The fields product, price_list must make a unique set."
MONEY = {"places": 2, "digits": 20}
TAX_RATE = {"places": 4, "digits": 7, "maximum": Decimal(1)}


def _wrong_currency(currency: str, label: Callable[[str], str] = omnitron_currency) -> Message:
    return Message(
        f"Must be the currency of the price list ({label(currency)}).",
        ErrorCode.CURRENCY_MISMATCH,
    )


def price_value_errors(
    row: dict, *, currency: str | None, label: Callable[[str], str] = omnitron_currency
) -> FieldErrors:
    """The rules of a price's values, the same for every API: money (`price`, `retail_price`)
    has at most 2 decimal places and 20 digits and is not negative; the price is not above the
    retail price; `tax_rate` is a fraction 0…1 with at most 4 places; `currency_type` is the
    currency of the price list (`currency`; None when the list is unknown). Numbers given are
    Decimals, normalized in `row` in place. `label` writes a currency as the calling API does.
    """
    errors = FieldErrors()
    for name, rule in (("price", MONEY), ("retail_price", MONEY), ("tax_rate", TAX_RATE)):
        if row.get(name) is None:
            continue
        value, problem = decimal_problem(row[name], **rule)
        if problem:
            errors.add(name, problem)
        else:
            row[name] = value
    retail = row.get("retail_price")
    if not errors and retail is not None and row["price"] > retail:
        errors.add(
            "price",
            f"Ensure this value is less than or equal to the retail price ({retail}).",
            ErrorCode.PRICE_ABOVE_RETAIL,
        )
    if currency is not None and row.get("currency_type", currency) != currency:
        errors.add("currency_type", _wrong_currency(currency, label))
    return errors


def product_prices_check(
    *,
    rows: list[dict],
    create_only: bool = False,
    currency_label: Callable[[str], str] = omnitron_currency,
    known_products: Collection[int] = (),
    list_currencies: Mapping[int, str] | None = None,
) -> CheckedRows:
    """Check price rows against the rules and the data, without writing anything.

    Each row: `product_id` (None for a product the caller writes in the same transaction,
    then sets as `rows[i]["product"]` before writing), `price_list_id`, `price` (Decimal), and
    optionally `retail_price`, `tax_rate` (a fraction: 0.18 is 18 %), `currency_type`
    (upper-case ISO code; the list's currency when left out, and it must be the list's),
    `price_type`, `discount_percentage`, `extra_field`. A field a row leaves out keeps its
    stored value on an existing price and takes the default of OPTIONAL on a new one.
    `known_products` are product pks, and `list_currencies` the currency of each price list
    of the rows (by pk), that the caller has read in this transaction: they are not looked up
    again. Queries: the products not known, the lists (unless given), stored pairs (with
    `create_only`).
    """
    errors = RowErrors(len(rows))
    products = existing_pks(
        Product,
        (row["product_id"] for row in rows if row["product_id"] is not None),
        known=known_products,
    )
    currencies = list_currencies
    if currencies is None:
        currencies = dict(
            PriceList.objects.filter(pk__in={row["price_list_id"] for row in rows}).values_list(
                "pk", "currency"
            )
        )
    prepared = []
    for index, row in enumerate(rows):
        if row["product_id"] is not None and row["product_id"] not in products:
            errors.add(index, "product", does_not_exist(row["product_id"]))
        currency = currencies.get(row["price_list_id"])
        if currency is None:
            errors.add(index, "price_list", does_not_exist(row["price_list_id"]))
        item = _prepared(row, currency)
        if problems := price_value_errors(item, currency=currency, label=currency_label):
            errors.rows[index].merge(problems)
        prepared.append(item)
    keyed = [i for i, row in enumerate(prepared) if row["product"] is not None]
    for position in repeated([prepared[i] for i in keyed], KEY):
        errors.add(keyed[position], "non_field_errors", TWICE, ErrorCode.DUPLICATE_ROW)
    if create_only and not errors:
        taken = stored_rows(
            ProductPrice, key=KEY, pairs=(_key(prepared[i]) for i in keyed), values=[]
        )
        for index, row in enumerate(prepared):
            if _key(row) in taken:
                errors.add(index, "non_field_errors", TAKEN, ErrorCode.PRICE_EXISTS)
    return CheckedRows(rows=prepared, errors=errors)


@transaction.atomic(savepoint=False)  # no savepoint: see core.bulk.upsert_checked
def product_prices_write(
    *, checked: CheckedRows, only: Iterable[int] | None = None
) -> list[int | None]:
    """Write the checked rows that have no errors (and, given `only`, are among those
    indices); return the pk of each row, None for a row not written. One upsert per distinct
    set of fields given (usually one)."""
    return upsert_checked(
        ProductPrice,
        checked=checked,
        only=only,
        key=KEY,
        required=["price", "currency_type"],
        optional=OPTIONAL,
    )


def price_values_plain(values: dict, *, currency: str) -> dict | None:
    """The values of a price row (`price`, and `currency_type` and those of OPTIONAL it gives)
    as `product_prices_check` writes them when they pass its rules with the price list's
    `currency` (the currency when left out, numbers quantized); None otherwise, and the caller
    checks its row with `product_prices_check`, which words the problem. Its product and list
    are the caller's to know. Callers keep the answer for the values their rows repeat."""
    item = {"currency_type": currency, **values}
    if price_value_errors(item, currency=currency):
        return None
    return item


@transaction.atomic(savepoint=False)  # no savepoint: see core.bulk.upsert_checked
def product_prices_write_plain(*, rows: list[dict]) -> None:
    """`product_prices_write` for rows that passed the rules by `price_values_plain`: each
    `{"product": pk, "price_list": pk, **the values it gave}`, no two with the same product and
    list. The same statements as `product_prices_write` writes for those rows, without giving
    back pks."""
    upsert_given(
        ProductPrice,
        rows=rows,
        key=KEY,
        required=["price", "currency_type"],
        optional=OPTIONAL,
        returning=False,
    )


@transaction.atomic
def product_prices_upsert(*, rows: list[dict], create_only: bool = False) -> list[int]:
    """Create or update prices all-or-nothing (Omnitron); return their pks in row order.

    Any row's error refuses the whole call with `RowsInvalid`, which lists one
    `{field: [message]}` per failing row; see `product_prices_check` for the rows.
    """
    checked = product_prices_check(rows=rows, create_only=create_only)
    checked.errors.raise_if_any()
    return product_prices_write(checked=checked)


def _prepared(row: dict, currency: str | None) -> dict:
    prepared = {
        "product": row["product_id"],
        "price_list": row["price_list_id"],
        "price": row["price"],
        "currency_type": row.get("currency_type", currency),
    }
    prepared.update((name, row[name]) for name in OPTIONAL if name in row)
    return prepared


def _key(row: dict) -> tuple:
    return row["product"], row["price_list"]


@transaction.atomic
def product_price_update(*, product_price: ProductPrice, data: dict) -> ProductPrice:
    """Change a price; its product and price list stay. `currency_type` must be the list's."""
    checked = {
        "price": product_price.price,
        "retail_price": product_price.retail_price,
        **{
            name: data[name]
            for name in ("price", "retail_price", "tax_rate", "currency_type")
            if name in data
        },
    }
    errors = price_value_errors(checked, currency=product_price.price_list.currency)
    if errors:
        raise ValidationError(dict(errors))
    model_update(instance=product_price, fields=UPDATABLE, data=data)
    return product_price


@transaction.atomic
def product_price_delete(*, product_price: ProductPrice) -> None:
    product_price.delete()
