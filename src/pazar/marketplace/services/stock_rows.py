"""PRD106's usual batch, every row plainly valid, applied without a result object per row.

`apply_stock_rows_plain` checks the rows with plain tests that only ever accept: a row passes
when it is what the full check (`products._apply_offer_rows`: the row's shape, the seller's
scope, then `inventory.product_stocks_check`) would accept too, with the same values. The
quantities are checked by the same functions, once per distinct value. At any row it
cannot accept, it gives up and the caller applies the batch the full way, which words every
row's errors; so a batch's result, its error file and what it writes are the same either way
(tests/marketplace/test_stock_rows.py compares the two on random rows).
"""

from __future__ import annotations

import operator
from itertools import repeat

from pazar.catalog.selectors import seller_product_keys
from pazar.core.errors import FieldErrors
from pazar.inventory import services as inventory
from pazar.inventory.models import StockList, UnitType
from pazar.marketplace import validation as v

UNIT_TYPES = frozenset(UnitType.values)
SKU_MAX_LENGTH = 255  # `validation.text`'s default, which the full check applies to SKUs


def apply_stock_rows_plain(*, seller, rows: list) -> list[dict] | None:
    """Write the batch's stocks and return its success entries (`{"index", "sku", "id"}`,
    in row order), or None, having written nothing, when a row is not plainly valid.

    The rows are taken a column at a time (`map`, `zip`, sets: loops that run in C) and each
    distinct value is checked once: a batch repeats one or two lists, a few unit types, some
    dozens of stock figures."""
    count = len(rows)
    try:
        # A row that is not an object, or lacks its SKU or list, is refused (TypeError,
        # KeyError); a stock left out is None, which the full check words.
        sku_values, list_values = zip(*map(_SKU_AND_LIST, rows), strict=True) if rows else ((), ())
        list_texts = set(list_values)  # TypeError: a list or an object
        units = list(map(_UNIT_TYPE, rows))
        stock_values = list(map(_STOCK, rows))
        keys = list(zip(map(type, stock_values), stock_values, units, strict=True))
        distinct = set(keys)  # TypeError: a list or an object as a stock or unit type
    except (KeyError, TypeError):
        return None
    if set(map(type, sku_values)) - {str} or set(map(type, list_texts)) - {str}:
        return None
    # A unit type is `qty` or `kg` when given (`null` is refused; left out, it is None).
    given = count - units.count(None)
    if sum(map(operator.contains, rows, repeat("unit_type"))) != given:
        return None
    if any(unit is not None and unit not in UNIT_TYPES for _, _, unit in distinct):
        return None
    quantities = {key: _quantity(key[1], key[2]) for key in distinct}
    if None in quantities.values():
        return None
    lists = _open_lists(seller=seller, texts=list_texts)
    if len(lists) != len(list_texts):
        return None
    skus = list(map(str.strip, sku_values))
    products = seller_product_keys(seller=seller, skus=skus)
    # A product is found by its stored SKU, equal to the row's stripped one: every SKU found
    # is 1-255 characters long once an empty one and a longer one are ruled out.
    if len(products) != len(set(skus)) or "" in products:
        return None
    if max(map(len, products), default=0) > SKU_MAX_LENGTH:
        return None
    found = list(map(products.__getitem__, skus))
    pks = list(map(_FIRST, found))
    list_pks = list(map(lists.__getitem__, list_values))
    if len(set(zip(pks, list_pks, strict=True))) != count:  # a product and list twice
        return None
    stocks = map(quantities.__getitem__, keys)
    inventory.product_stocks_write_plain(rows=list(zip(pks, list_pks, stocks, units, strict=True)))
    return [
        {"index": index, "sku": sku, "id": uuid_text}
        for index, (sku, (_, uuid_text)) in enumerate(zip(skus, found, strict=True))
    ]


_SKU_AND_LIST = operator.itemgetter("sku", "stock_list")
_UNIT_TYPE = operator.methodcaller("get", "unit_type")
_STOCK = operator.methodcaller("get", "stock")
_FIRST = operator.itemgetter(0)


def _open_lists(*, seller, texts: set[str]) -> dict[str, int]:
    """The pks of the stock lists open to the seller, by the text of their id in the rows."""
    by_uuid = {}
    for text in texts:
        parsed = v.parse_uuid(text)
        if parsed is not None:
            by_uuid.setdefault(parsed, []).append(text)
    if not by_uuid:
        return {}
    open_lists = StockList.objects.filter(uuid__in=list(by_uuid), sellers=seller)
    return {text: pk for uuid, pk in open_lists.values_list("uuid", "pk") for text in by_uuid[uuid]}


def _quantity(value, unit_type: str | None):
    """The stock as the full check writes it, or None when the full check must judge it."""
    errors = FieldErrors()
    parsed = v.number({"stock": value}, "stock", errors)
    if errors or parsed is None:
        return None
    return inventory.stock_quantity_plain(parsed, unit_type=unit_type)
