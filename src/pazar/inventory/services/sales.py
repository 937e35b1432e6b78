"""Stock taken by sales and put back: the only writes of `stock` an order makes.

A sale reads its stock rows with one `SELECT … FOR UPDATE` in primary-key order and writes
what its lines took with one `UPDATE` (each row by its own quantity): two statements however
many lines. Units put back (or reported) need no read: one `UPDATE` locks the rows in the same
order and moves them. The row locks are held until the transaction ends, so concurrent orders never take
more than a stock holds, and two orders that touch the same rows lock them in the same order
and never deadlock (SQLite: one writer at a time, its transactions begin IMMEDIATE). A sold
unit also counts in `sold_quantity_unreported` until the stock's owner reports a new figure
(the seller's PRD104/PRD106, or the ERP mapping the order line).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from pazar.core.transactions import atomic
from pazar.inventory.models import ProductStock


@dataclass(frozen=True)
class SaleLine:
    product_id: int
    stock_list_id: int
    quantity: int


@atomic
def stock_take(*, lines: list[SaleLine]) -> list[int]:
    """Take each line's units; return, per line in the given order, how many it took.

    A line takes all its units or none (0: no stock row, or not enough left: oversold). Lines
    are served in the given order, so two lines of one stock row with 2 units left, asking 2
    and 1, take 2 and 0. Call it inside the caller's transaction, so a failure later gives the
    units back (inside the caller's `savepoints_spared()` it opens no savepoint of its own: a
    failure here fails the caller's write).
    """
    left = {
        (product, stock_list): [pk, stock]
        for pk, product, stock_list, stock in _locked(lines).values_list(
            "pk", "product_id", "stock_list_id", "stock"
        )
    }
    taken = [0] * len(lines)
    quantities: dict[int, int] = {}
    for index, line in enumerate(lines):
        row = left.get((line.product_id, line.stock_list_id))
        if row is None or line.quantity <= 0 or row[1] < line.quantity:
            continue
        row[1] -= line.quantity
        quantities[row[0]] = quantities.get(row[0], 0) + line.quantity
        taken[index] = line.quantity
    if quantities:
        _taken(quantities)
    return taken


def _taken(quantities: dict[int, int]) -> None:
    """Each row (pk → units) gives its units: `stock` less, `sold_quantity_unreported` more."""
    _units_update(quantities, stock=-1, sold=1)


def _units_update(
    quantities: dict, *, stock: int, sold: int, by_key: bool = False
) -> None:  # fmt: skip
    """`_units_statement`, run."""
    sql, params = _units_statement(quantities, stock=stock, sold=sold, by_key=by_key)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _units_statement(
    quantities: dict, *, stock: int, sold: int, by_key: bool = False
) -> tuple[str, list]:  # fmt: skip
    """Each row (pk → units) moves by its own units, in one `UPDATE … SET stock = stock -
    CASE id WHEN … END`: `stock` by `stock` × units (-1 taken, 1 put back, 0 left alone),
    `sold_quantity_unreported` by `sold` × units (1 sold; -1 reported, never below 0; 0 left
    alone), `updated_at` now. Written here rather than with the ORM's `Case(When(pk=…))`, whose
    one filter per row took longer to build than the statement takes to run (intake and the
    cancel call this once per order).

    `by_key`: the rows are named by `(product, stock list)` instead of pk, and are locked by
    the statement itself, in primary-key order (a `SELECT … ORDER BY id FOR UPDATE` inside it
    on PostgreSQL, before any row is written): a row's lookup, lock and write in one round
    trip. A key with no stock row moves nothing."""
    meta, quote = ProductStock._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    pk, product, stock_list, stock_column, sold_column, updated = (
        quote(meta.get_field(name).column)
        for name in ("id", "product", "stock_list", "stock", "sold_quantity_unreported",
                     "updated_at")
    )  # fmt: skip
    rows = sorted(quantities.items())
    if by_key:
        when = f"WHEN {product} = %s AND {stock_list} = %s THEN %s"
        units = f"CASE {' '.join([when] * len(rows))} END"
        pairs = [value for (key, quantity) in rows for value in (*key, quantity)]
    else:
        units = f"CASE {pk} {' '.join(['WHEN %s THEN %s'] * len(rows))} END"
        pairs = [value for row in rows for value in row]
    sets, params = [], []
    if stock:
        sets.append(f"{stock_column} = {stock_column} {'+' if stock > 0 else '-'} {units}")
        params += pairs
    if sold > 0:
        sets.append(f"{sold_column} = {sold_column} + {units}")
        params += pairs
    elif sold < 0:
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        sets.append(f"{sold_column} = {greatest}(0, {sold_column} - {units})")
        params += pairs
    if by_key:
        lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
        where = (  # names from the model, placeholders for the values
            f"{pk} IN (SELECT {pk} FROM {table} WHERE ({product}, {stock_list}) IN "  # noqa: S608
            f"(VALUES {', '.join(['(%s, %s)'] * len(rows))}) ORDER BY {pk}{lock})"
        )
        keys = [value for key, _ in rows for value in key]
    else:
        where, keys = f"{pk} IN ({', '.join(['%s'] * len(rows))})", [key for key, _ in rows]
    sql = f"UPDATE {table} SET {', '.join(sets)}, {updated} = %s WHERE {where}"  # noqa: S608
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, [*params, now, *keys]


@atomic
def stock_put_back(*, lines: list[SaleLine], reported: bool = False) -> None:
    """Give back units a sale took (e.g. a cancelled line). `reported`: the sale had already left
    `sold_quantity_unreported`, which is then left alone."""
    _apply_in_order(lines, put_back=True, reported=reported)


@transaction.atomic
def stock_sale_reported(*, lines: list[SaleLine]) -> None:
    """The stock's owner now knows of these sold units: they leave `sold_quantity_unreported`
    (never below 0: a new stock figure may have reset it already)."""
    _apply_in_order(lines, put_back=False, reported=False)


def _locked(lines: list[SaleLine]):
    """The lines' stock rows, locked in primary-key order (the one order every writer locks
    them in)."""
    return (
        ProductStock.objects.select_for_update()
        .filter(
            product_id__in={line.product_id for line in lines},
            stock_list_id__in={line.stock_list_id for line in lines},
        )
        .order_by("pk")
    )


def stock_put_back_statement(
    *, lines: list[SaleLine], reported: bool = False
) -> tuple[str, list] | None:
    """`stock_put_back`'s one statement (None: nothing moves), for the caller to send with its
    other writes of the transaction (`core.sql.execute_together`): it looks up, locks (in
    primary-key order) and moves the rows by itself. Another write of the same stock rows must
    not go in the same statement."""
    quantities = _quantities(lines)
    if not quantities:
        return None
    return _units_statement(quantities, stock=1, sold=0 if reported else -1, by_key=True)


def _quantities(lines: list[SaleLine]) -> dict[tuple[int, int], int]:
    quantities: dict[tuple[int, int], int] = {}
    for line in lines:
        if line.quantity > 0:
            key = (line.product_id, line.stock_list_id)
            quantities[key] = quantities.get(key, 0) + line.quantity
    return quantities


def _apply_in_order(lines: list[SaleLine], *, put_back: bool, reported: bool) -> None:
    """One UPDATE that locks the lines' stock rows in primary-key order and moves each by its
    own quantity (`_units_update(by_key=True)`)."""
    quantities = _quantities(lines)
    if not quantities:
        return
    _units_update(
        quantities, stock=1 if put_back else 0, sold=0 if put_back and reported else -1,
        by_key=True,
    )  # fmt: skip
