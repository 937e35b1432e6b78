"""PRD106's usual batch, every row plainly valid, applied without a result object per row.

`apply_stock_rows_plain` checks the rows with plain tests that only ever accept: a row passes
when it is what the full check (`products._apply_offer_rows`: the row's shape, the seller's
scope, then `inventory.product_stocks_check`) would accept too, with the same values. The
quantities are checked by the same functions, once per distinct value. At any row it
cannot accept, it gives up and the caller applies the batch the full way, which words every
row's errors; so a batch's result, its error file and what it writes are the same either way
(tests/marketplace/test_stock_rows.py compares the two on random rows). The batch engine's
handler takes `apply_stock_rows_plain_text`: the same entries, as the success file's text.
"""

from __future__ import annotations

import functools
import operator
import uuid
from itertools import repeat
from json.encoder import encode_basestring

from pazar.batches.files import JsonText
from pazar.catalog.selectors import seller_product_keys
from pazar.core.errors import FieldErrors
from pazar.core.prepared import PreparedLookup
from pazar.inventory import services as inventory
from pazar.inventory.models import StockList, UnitType
from pazar.marketplace import validation as v

UNIT_TYPES = frozenset(UnitType.values)
SKU_MAX_LENGTH = 255  # `validation.text`'s default, which the full check applies to SKUs


def apply_stock_rows_plain(*, seller, rows: list) -> list[dict] | None:
    """Write the batch's stocks and return its success entries (`{"index", "sku", "id"}`,
    in row order), or None, having written nothing, when a row is not plainly valid."""
    written = _write_plain(seller=seller, rows=rows)
    if written is None:
        return None
    skus, found = written
    return [
        {"index": index, "sku": sku, "id": uuid_text}
        for index, (sku, (_, uuid_text)) in enumerate(zip(skus, found, strict=True))
    ]


def apply_stock_rows_plain_text(*, seller, rows: list) -> JsonText | None:
    """`apply_stock_rows_plain` for the batch engine: the success entries as the text of the
    success file (`files.write_json`'s compact JSON of the same entries), each row's written
    by one format instead of a dict per row and the encoder's walk over it."""
    written = _write_plain(seller=seller, rows=rows)
    if written is None:
        return None
    skus, found = written
    # A SKU is a str (`_write_plain` refuses any other); its JSON is the encoder's own,
    # non-ASCII kept; an id is a UUID's 8-4-4-4-12 text, nothing to escape. Both go into the
    # text of the batch's size by one `%` (a loop in C), SKU and id in turn.
    values = [None] * (2 * len(skus))
    values[0::2] = map(encode_basestring, skus)
    values[1::2] = map(_SECOND, found)
    return JsonText(_success_text(len(skus)) % tuple(values), len(skus))


@functools.lru_cache(maxsize=8)
def _success_text(count: int) -> str:
    """The success file's text for `count` rows, each row's index written, its SKU (as JSON)
    and id left as `%s`: a batch engine sees a few sizes of batch, the largest most."""
    entries = map('{{"index":{},"sku":%s,"id":"%s"}}'.format, range(count))
    return f"[{','.join(entries)}]"


_SECOND = operator.itemgetter(1)


def _write_plain(*, seller, rows: list) -> tuple[list[str], list[tuple[int, str]]] | None:
    """Write the batch's stocks and return each row's stripped SKU and its product's `(pk,
    uuid text)`, in row order; or None, having written nothing, when a row is not plainly
    valid.

    The rows are taken a column at a time (`map`, `zip`, sets: loops that run in C), without
    an object per row beyond the statement's own rows; a stock figure is checked once per
    distinct value (`_quantity` keeps the answers): a batch repeats one or two lists, a few
    unit types, some dozens of stock figures."""
    count = len(rows)
    try:
        # A row that is not an object, or lacks its SKU or list, is refused (TypeError,
        # KeyError); a stock left out is None, which the full check words.
        sku_values = list(map(_SKU, rows))
        list_values = list(map(_LIST, rows))
        list_texts = set(list_values)  # TypeError: a list or an object
        # A unit type left out is _ABSENT, told apart from one given as `null`.
        units = list(map(dict.get, rows, repeat("unit_type"), repeat(_ABSENT)))
        unit_types = set(units)  # TypeError: a list or an object
        stock_values = list(map(dict.get, rows, repeat("stock")))
        kinds = set(map(type, stock_values))
        if unit_types == {_ABSENT} and kinds <= _KINDS_APART:
            # No unit types, and no two stock figures equal as keys (as 1 and True are): each
            # distinct figure judged once, and looked at once.
            judged = {value: _quantity(value, None) for value in set(stock_values)}
            stocks = list(map(judged.__getitem__, stock_values))
            verdicts = judged.values()
            given = 0
        else:
            # A unit type left out is judged as None, as one given as `null` (refused below).
            given = count - units.count(_ABSENT)
            if given < count:
                units = [None if unit is _ABSENT else unit for unit in units]
            # 0.0 and -0.0 are equal as keys, not as stocks: floats are judged one by one.
            judge = _judge if float in kinds else _quantity
            stocks = verdicts = list(map(judge, stock_values, units))  # TypeError: a list…
    except (KeyError, TypeError):
        return None
    if set(map(type, sku_values)) - {str} or set(map(type, list_texts)) - {str}:
        return None
    # A unit type is `qty` or `kg` when given (`null` is refused). `is None` a value at a
    # time: `None in stocks` would ask each Decimal `== None`, which asks whether None is a
    # `numbers.Rational` (an ABC check per value).
    if unit_types - UNIT_TYPES - {_ABSENT} or any(map(operator.is_, verdicts, repeat(None))):
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
    if len(list_texts) == 1:  # the usual batch: one list named one way
        list_pks = [lists[list_values[0]]] * count
    else:
        list_pks = list(map(lists.__getitem__, list_values))
    if len(set(lists.values())) == 1:  # one list: a product twice is a stock twice
        twice = len(set(pks)) != count
    else:
        twice = len(set(zip(pks, list_pks, strict=True))) != count
    if twice:
        return None
    written = (pks, list_pks, stocks, units) if given else (pks, list_pks, stocks)
    inventory.product_stocks_write_plain(rows=list(zip(*written, strict=True)))
    return skus, found


_SKU = operator.itemgetter("sku")
_LIST = operator.itemgetter("stock_list")
# Types of stock figures of which no two values are equal as keys unless equal as stocks.
_KINDS_APART = frozenset({str, int})
_ABSENT = object()  # a field a row leaves out
_FIRST = operator.itemgetter(0)


def _open_lists(*, seller, texts: set[str]) -> dict[str, int]:
    """The pks of the stock lists open to the seller, by the text of their id in the rows: one
    lookup (its SQL compiled once) per distinct list, and a batch names one or two."""
    by_uuid: dict[uuid.UUID, list[str]] = {}
    for text in texts:
        parsed = v.parse_uuid(text)
        if parsed is not None:
            by_uuid.setdefault(parsed, []).append(text)
    found = {}
    for list_uuid, list_texts in by_uuid.items():
        row = _OPEN_LIST.get(list_uuid, seller.pk)
        if row is not None:
            found.update(dict.fromkeys(list_texts, row[0]))
    return found


# A stock list's pk by its uuid, when the list is open to the seller (its pk).
_OPEN_LIST = PreparedLookup(
    lambda list_uuid, seller_pk: StockList.objects.filter(
        uuid=list_uuid, sellers=seller_pk
    ).values_list("pk"),
    uuid.UUID,
    uuid.UUID,
)


def _judge(value, unit_type: str | None):
    """The stock as the full check writes it (an immutable Decimal), or None when the full
    check must judge it."""
    errors = FieldErrors()
    parsed = v.number({"stock": value}, "stock", errors)
    if errors or parsed is None:
        return None
    return inventory.stock_quantity_plain(parsed, unit_type=unit_type)


# `_judge`'s answers kept, for values other than floats: the same for the same value, its type
# (`typed`: 1 and True are equal as keys, not as stocks) and unit type, in any batch.
_quantity = functools.lru_cache(maxsize=4096, typed=True)(_judge)
