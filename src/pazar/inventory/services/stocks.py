"""Writes of product stocks: one stock per (product, stock list), written in bulk statements."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from pazar.catalog.models import Product
from pazar.core.bulk import existing_pks, repeated, stored_rows, upsert_given
from pazar.core.errors import RowErrors
from pazar.core.services import model_update
from pazar.inventory.models import ProductStock, StockList, UnitType

KEY = ["product", "stock_list"]
QUANTITIES = ["stock", "sold_quantity_unreported"]
MAX_QUANTITY = Decimal(2147483647)
GRAM = Decimal("0.001")
# What a new stock gets for the fields a row leaves out; an existing stock keeps its own.
OPTIONAL = {
    "unit_type": UnitType.QTY,
    "sold_quantity_unreported": Decimal(0),
    "extra_field": {},
}
UPDATABLE = ["stock", *OPTIONAL]
NOT_FOUND = 'Invalid pk "{}" - object does not exist.'
TWICE = "This product has another row for the same stock list in this request."
TAKEN = "The fields product, stock_list must make a unique set."
WHOLE = "A quantity counted in units (qty) must be a whole number."


@transaction.atomic
def product_stocks_upsert(*, rows: list[dict], create_only: bool = False) -> list[int]:
    """Create or update the stocks of (product, stock list) pairs; return their pks in order.

    Each row: `product_id`, `stock_list_id`, `stock` (int or Decimal), and optionally
    `unit_type` (`qty` or `kg`), `sold_quantity_unreported`, `extra_field` (a dict).

    A field a row leaves out keeps its stored value on an existing stock and takes the default
    of OPTIONAL on a new one: a caller that means "nothing sold is unreported any more" passes
    `sold_quantity_unreported=0`. Quantities lie in 0…2147483647; a `qty` row (the row's unit
    type, else the stored one, else `qty`) holds whole numbers, a `kg` row up to 3 decimal places.

    The rows are checked whole first: an unknown product or list, a bad quantity, a pair given
    twice, or (with `create_only`) a pair that already has a stock refuses the whole call with
    `RowsInvalid`, which lists one `{field: [message]}` per row. Rows are written in
    (product, stock list) order. Queries: products, lists, stored pairs (when a row leaves out
    `unit_type`, or with `create_only`), then one upsert per distinct set of fields given.
    """
    errors = RowErrors(len(rows))
    products = existing_pks(Product, (row["product_id"] for row in rows))
    lists = existing_pks(StockList, (row["stock_list_id"] for row in rows))
    prepared = [_prepared(row) for row in rows]
    stored = {}
    if create_only or any("unit_type" not in row for row in prepared):
        stored = stored_rows(
            ProductStock, key=KEY, pairs=(_key(row) for row in prepared), values=["unit_type"]
        )
    for index, row in enumerate(prepared):
        if row["product"] not in products:
            errors.add(index, "product", NOT_FOUND.format(row["product"]))
        if row["stock_list"] not in lists:
            errors.add(index, "stock_list", NOT_FOUND.format(row["stock_list"]))
        unit_type = row.get("unit_type") or stored.get(_key(row), (UnitType.QTY,))[0]
        for field, message in _quantity_errors(row, unit_type):
            errors.add(index, field, message)
        if create_only and _key(row) in stored:
            errors.add(index, "non_field_errors", TAKEN)
    for index in repeated(prepared, KEY):
        errors.add(index, "non_field_errors", TWICE)
    errors.raise_if_any()
    return upsert_given(ProductStock, rows=prepared, key=KEY, required=["stock"], optional=OPTIONAL)


def _prepared(row: dict) -> dict:
    prepared = {"product": row["product_id"], "stock_list": row["stock_list_id"]}
    prepared.update((name, row[name]) for name in ["stock", *OPTIONAL] if name in row)
    return prepared


def _key(row: dict) -> tuple:
    return row["product"], row["stock_list"]


def _quantity_errors(row: dict, unit_type: str):
    """Check and normalize (to Decimal) the row's quantities; yield `(field, message)`."""
    if unit_type not in UnitType.values:
        yield "unit_type", f'"{unit_type}" is not a valid choice.'
        return
    for field in QUANTITIES:
        if field not in row:
            continue
        try:
            value = Decimal(str(row[field]))
        except InvalidOperation:
            yield field, "A valid number is required."
            continue
        if not value.is_finite() or not 0 <= value <= MAX_QUANTITY:
            yield field, f"Ensure this value is between 0 and {MAX_QUANTITY}."
        elif unit_type == UnitType.QTY and value != value.to_integral_value():
            yield field, WHOLE
        elif value != value.quantize(GRAM):
            yield field, "Ensure that there are no more than 3 decimal places."
        else:
            row[field] = value


@transaction.atomic
def product_stock_update(*, product_stock: ProductStock, data: dict) -> ProductStock:
    """Change a stock; its product and stock list stay. Quantities follow the unit type."""
    data = dict(data)
    unit_type = data.get("unit_type", product_stock.unit_type)
    problems = list(_quantity_errors(data, unit_type))
    if "stock" not in data and "unit_type" in data:
        problems += list(_quantity_errors({"stock": product_stock.stock}, unit_type))
    if problems:
        messages: dict[str, list[str]] = {}
        for field, message in problems:
            messages.setdefault(field, []).append(message)
        raise ValidationError(messages)
    model_update(instance=product_stock, fields=UPDATABLE, data=data)
    return product_stock


@transaction.atomic
def product_stock_delete(*, product_stock: ProductStock) -> None:
    product_stock.delete()
