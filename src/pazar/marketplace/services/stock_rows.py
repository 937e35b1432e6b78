"""PRD106's usual batch, every row plainly valid, applied without a result object per row.

`apply_stock_rows_plain` checks the rows with plain tests that only ever accept: a row passes
when it is what the full check (`products._apply_offer_rows`: the row's shape, the seller's
scope, then `inventory.product_stocks_check`) would accept too, with the same values. The
quantities are checked by the same functions, once per distinct value. At the first row it
cannot accept, it gives up and the caller applies the batch the full way, which words every
row's errors; so a batch's result, its error file and what it writes are the same either way
(tests/marketplace/test_stock_rows.py compares the two on random rows).
"""

from __future__ import annotations

from pazar.catalog.selectors import seller_product_keys
from pazar.core.errors import FieldErrors
from pazar.inventory import services as inventory
from pazar.inventory.models import StockList, UnitType
from pazar.marketplace import validation as v

UNIT_TYPES = frozenset(UnitType.values)
SKU_MAX_LENGTH = 255  # `validation.text`'s default, which the full check applies to SKUs


def apply_stock_rows_plain(*, seller, rows: list) -> list[dict] | None:
    """Write the batch's stocks and return its success entries (`{"index", "sku", "id"}`,
    in row order), or None, having written nothing, when a row is not plainly valid."""
    skus, list_texts = [], set()
    for row in rows:
        if type(row) is not dict:
            return None
        sku, list_text = row.get("sku"), row.get("stock_list")
        if type(sku) is not str or type(list_text) is not str:
            return None
        skus.append(sku.strip())
        list_texts.add(list_text)
    lists = _open_lists(seller=seller, texts=list_texts)
    if len(lists) != len(list_texts):
        return None
    products = seller_product_keys(seller=seller, skus=skus)
    # A product is found by its stored SKU, equal to the row's stripped one: every SKU found
    # is 1-255 characters long once an empty one is ruled out.
    if "" in products or any(len(sku) > SKU_MAX_LENGTH for sku in products):
        return None
    quantities: dict[tuple, object] = {}
    writes, succeeded = [], []
    for index, (row, sku) in enumerate(zip(rows, skus, strict=True)):
        product = products.get(sku)
        if product is None:
            return None
        unit_type = row.get("unit_type")
        if unit_type is not None and (type(unit_type) is not str or unit_type not in UNIT_TYPES):
            return None
        if unit_type is None and "unit_type" in row:
            return None
        value = row.get("stock")
        key = (type(value), value, unit_type)
        try:
            stock = quantities[key]
        except KeyError:
            stock = quantities[key] = _quantity(value, unit_type)
        except TypeError:  # a list or an object: the full check words it
            return None
        if stock is None:
            return None
        writes.append((product[0], lists[row["stock_list"]], stock, unit_type))
        succeeded.append({"index": index, "sku": sku, "id": product[1]})
    if len({write[:2] for write in writes}) != len(writes):  # a product and list twice
        return None
    inventory.product_stocks_write_plain(rows=writes)
    return succeeded


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
