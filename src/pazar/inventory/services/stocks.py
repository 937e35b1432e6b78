"""Writes of product stocks: one stock per (product, stock list), written in bulk statements."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pazar.catalog.models import Product
from pazar.core.bulk import CheckedRows, existing_pks, repeated, stored_rows, upsert_checked
from pazar.core.errors import FieldErrors, RowErrors, does_not_exist
from pazar.core.numbers import decimal_problem
from pazar.core.services import model_update
from pazar.core.sql import upsert
from pazar.inventory.error_codes import ErrorCode
from pazar.inventory.models import ProductStock, StockList, UnitType

KEY = ["product", "stock_list"]
QUANTITIES = ["stock", "sold_quantity_unreported"]
MAX_QUANTITY = Decimal(2147483647)
UNIT_TYPES = frozenset(UnitType.values)
# What a new stock gets for the fields a row leaves out; an existing stock keeps its own.
OPTIONAL = {
    "unit_type": UnitType.QTY,
    "sold_quantity_unreported": Decimal(0),
    "extra_field": {},
}
UPDATABLE = ["stock", *OPTIONAL]
TWICE = "This product has another row for the same stock list in this request."
TAKEN = "The fields product, stock_list must make a unique set."
WHOLE = "A quantity counted in units (qty) must be a whole number."


def stock_value_errors(row: dict, *, unit_type: str) -> FieldErrors:
    """The rules of a stock's quantities, the same for every API: `stock` and
    `sold_quantity_unreported` lie in 0…2147483647; counted in units (`qty`) they are whole
    numbers, by weight (`kg`) they have at most 3 decimal places. Quantities given (numbers or
    numeric strings) are normalized to Decimal in `row` in place."""
    errors = FieldErrors()
    if unit_type not in UNIT_TYPES:
        errors.add("unit_type", f'"{unit_type}" is not a valid choice.', "invalid_choice")
        return errors
    for name in QUANTITIES:
        if name not in row:
            continue
        value = _decimal(row[name])
        if value is None:
            errors.add(name, "A valid number is required.", "invalid")
            continue
        value, problem = decimal_problem(value, places=3, maximum=MAX_QUANTITY)
        if problem:
            errors.add(name, problem)
        elif unit_type == UnitType.QTY and value != value.to_integral_value():
            errors.add(name, WHOLE, ErrorCode.FRACTIONAL_QUANTITY)
        else:
            row[name] = value
    return errors


def _decimal(value) -> Decimal | None:
    """A quantity as a Decimal (None when it is not a number)."""
    if type(value) is Decimal:
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _fractional(row: dict) -> bool:
    """Whether a quantity of the row is a number with a fraction: the only case in which the
    unit type changes what the rules say (a whole number, or no number at all, is judged the
    same counted in units or by weight)."""
    for name in QUANTITIES:
        if name in row:
            value = _decimal(row[name])
            if value is not None and value.is_finite() and value != value.to_integral_value():
                return True
    return False


def product_stocks_check(
    *,
    rows: list[dict],
    create_only: bool = False,
    known_products: Collection[int] = (),
    known_lists: Collection[int] = (),
) -> CheckedRows:
    """Check stock rows against the rules and the data, without writing anything.

    Each row: `product_id` (None for a product the caller writes in the same transaction,
    then sets as `rows[i]["product"]` before writing), `stock_list_id`, `stock`, and
    optionally `unit_type` (`qty` or `kg`), `sold_quantity_unreported`, `extra_field`. A field
    a row leaves out keeps its stored value on an existing stock and takes the default of
    OPTIONAL on a new one: a caller that means "nothing sold is unreported any more" passes
    `sold_quantity_unreported=0`. The unit type that decides the rules is the row's, else the
    stored one, else `qty`. `known_products` and `known_lists` are pks the caller has read in
    this transaction; they are not looked up again. Queries: the products and lists not known,
    stored pairs (when a row with a fractional quantity leaves out `unit_type`, or with
    `create_only`).
    """
    errors = RowErrors(len(rows))
    products = existing_pks(
        Product,
        (row["product_id"] for row in rows if row["product_id"] is not None),
        known=known_products,
    )
    lists = existing_pks(StockList, (row["stock_list_id"] for row in rows), known=known_lists)
    prepared = [_prepared(row) for row in rows]
    keyed = [i for i, row in enumerate(prepared) if row["product"] is not None]
    stored = {}
    if create_only or any(
        "unit_type" not in prepared[i] and _fractional(prepared[i]) for i in keyed
    ):
        stored = stored_rows(
            ProductStock, key=KEY, pairs=(_key(prepared[i]) for i in keyed), values=["unit_type"]
        )
    for index, row in enumerate(prepared):
        if row["product"] is not None and row["product"] not in products:
            errors.add(index, "product", does_not_exist(row["product"]))
        if row["stock_list"] not in lists:
            errors.add(index, "stock_list", does_not_exist(row["stock_list"]))
        unit_type = row.get("unit_type") or stored.get(_key(row), (UnitType.QTY,))[0]
        if problems := stock_value_errors(row, unit_type=unit_type):
            errors.rows[index].merge(problems)
        if create_only and _key(row) in stored:
            errors.add(index, "non_field_errors", TAKEN, ErrorCode.STOCK_EXISTS)
    for position in repeated([prepared[i] for i in keyed], KEY):
        errors.add(keyed[position], "non_field_errors", TWICE, ErrorCode.DUPLICATE_ROW)
    return CheckedRows(rows=prepared, errors=errors)


@transaction.atomic(savepoint=False)  # no savepoint: see core.bulk.upsert_checked
def product_stocks_write(
    *, checked: CheckedRows, only: Iterable[int] | None = None
) -> list[int | None]:
    """Write the checked rows that have no errors (and, given `only`, are among those
    indices); return the pk of each row, None for a row not written. Rows are written in
    (product, stock list) order, one upsert per distinct set of fields given."""
    return upsert_checked(
        ProductStock, checked=checked, only=only, key=KEY, required=["stock"], optional=OPTIONAL
    )


def stock_quantity_plain(value: Decimal, *, unit_type: str | None) -> Decimal | None:
    """The quantity as `product_stocks_check` writes it when it passes the rules of `unit_type`
    (None: left to the stored unit type, so only a whole number, which every unit type judges
    the same); None otherwise, and the caller checks its row with `product_stocks_check`,
    which words the problem. Callers keep the answer for the values their rows repeat."""
    row = {"stock": value}
    if stock_value_errors(row, unit_type=unit_type or UnitType.QTY):
        return None
    return row["stock"]


# The columns and updated fields of `product_stocks_write`'s statements, by whether the rows
# give their unit type (`upsert_given` with KEY, required `stock`, OPTIONAL, extra_field left
# to its database default); the unreported sales and the timestamps are the same for every row.
_PLAIN_WRITES = {
    False: ([*KEY, "stock"], ["stock", "sold_quantity_unreported", "updated_at"]),
    True: (
        [*KEY, "stock", "unit_type"],
        ["stock", "unit_type", "sold_quantity_unreported", "updated_at"],
    ),
}


@transaction.atomic(savepoint=False)  # no savepoint: see core.bulk.upsert_checked
def product_stocks_write_plain(
    *, rows: list[tuple[int, int, Decimal, str | None]] | list[tuple[int, int, Decimal]]
) -> None:
    """`product_stocks_write` for rows that passed the rules by plain checks: `(product pk,
    stock list pk, stock as `stock_quantity_plain` gave it, unit type or None when the row
    leaves it out)`, or, when every row leaves it out, `(product pk, stock list pk, stock)`;
    no two with the same product and list. Each resets the unreported sales
    to 0, as a stock figure does. The same rows and values as `product_stocks_write` writes
    for those rows (a new stock without a unit type is counted in units), in the same order,
    without giving back pks; the values every row shares are bound once (`upsert`'s `same`)."""
    now = timezone.now()
    shared = {
        "sold_quantity_unreported": stock_quantity_plain(Decimal(0), unit_type=None),
        "created_at": now,
        "updated_at": now,
    }
    rows = sorted(rows)  # by key: no two share one
    if rows and len(rows[0]) == 3:  # no unit types
        plain, given = rows, []
    else:
        plain = [row[:3] for row in rows if row[3] is None]
        given = [row for row in rows if row[3] is not None] if len(plain) < len(rows) else []
    for values, with_unit_type in ((plain, False), (given, True)):
        if values:
            columns, update = _PLAIN_WRITES[with_unit_type]
            upsert(
                ProductStock,
                columns=columns,
                rows=values,
                same=shared if with_unit_type else {"unit_type": UnitType.QTY.value, **shared},
                conflict=KEY,
                update=update,
            )


@transaction.atomic
def product_stocks_upsert(*, rows: list[dict], create_only: bool = False) -> list[int]:
    """Create or update stocks all-or-nothing (Omnitron); return their pks in row order.

    Any row's error refuses the whole call with `RowsInvalid`, which lists one
    `{field: [message]}` per failing row; see `product_stocks_check` for the rows.
    """
    checked = product_stocks_check(rows=rows, create_only=create_only)
    checked.errors.raise_if_any()
    return product_stocks_write(checked=checked)


def _prepared(row: dict) -> dict:
    prepared = {"product": row["product_id"], "stock_list": row["stock_list_id"]}
    prepared.update((name, row[name]) for name in ["stock", *OPTIONAL] if name in row)
    return prepared


def _key(row: dict) -> tuple:
    return row["product"], row["stock_list"]


@transaction.atomic
def product_stock_update(*, product_stock: ProductStock, data: dict) -> ProductStock:
    """Change a stock; its product and stock list stay. Quantities follow the unit type."""
    data = dict(data)
    unit_type = data.get("unit_type", product_stock.unit_type)
    errors = stock_value_errors(data, unit_type=unit_type)
    if "stock" not in data and "unit_type" in data:
        errors.merge(stock_value_errors({"stock": product_stock.stock}, unit_type=unit_type))
    if errors:
        raise ValidationError(dict(errors))
    model_update(instance=product_stock, fields=UPDATABLE, data=data)
    return product_stock


@transaction.atomic
def product_stock_delete(*, product_stock: ProductStock) -> None:
    product_stock.delete()
