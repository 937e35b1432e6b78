"""The common PRD101 row checked in one pass: a row every check accepts, nothing else.

`apply_product_rows` checks each row field by field (`_product_fields`, `_nested` and the
context's `price` and `stock`), collecting every error with its message and code. Almost every
row of a batch is valid and plain: text fields that are strings, known ids, numbers as strings
or numbers, lists of objects. `product_row_plain` checks such a row in one pass without
building any error objects and gives what the field-by-field checks give for it; for any row
it is not sure of (a value of another type, an id not found, a problem of any kind) it gives
None, and the row is checked field by field, which reports its errors. So the errors, their
codes and what is written never depend on which of the two checked a row
(`tests/marketplace/test_plain_rows.py` compares them on random rows).
"""

from __future__ import annotations

from pazar.core.errors import FieldErrors
from pazar.marketplace import validation as v
from pazar.marketplace.services.context import UNIT_TYPES, BatchContext
from pazar.pricing.models import CURRENCIES

_TEXT_LIMIT = 255
_MEDIA = ("images", "videos")


def _text(value) -> str | None:
    """A required text field of at most 255 characters, stripped (`validation.text`)."""
    if type(value) is not str:
        return None
    value = value.strip()
    return value if value and len(value) <= _TEXT_LIMIT else None


def _number(value):
    """A number given as a string or a JSON number, as a Decimal (`validation.number`)."""
    kind = type(value)
    if kind is str:
        return v._decimal(value)
    if kind is int or kind is float:
        return v._decimal(str(value))
    return None


def _urls(value) -> bool:
    return (
        type(value) is list
        and len(value) <= v.MAX_MEDIA
        and all(
            type(url) is str and len(url) <= 2000 and v.URL_RE.match(url) is not None
            for url in value
        )
    )


def _price(item, context: BatchContext) -> dict | None:
    """`BatchContext.price` of an item it accepts."""
    list_id = item.get("price_list")
    price_list = context.price_lists.get(v.parse_uuid(list_id)) if type(list_id) is str else None
    currency = item.get("currency_type")
    if price_list is None or type(currency) is not str:
        return None
    currency = currency.strip()
    if not currency or len(currency) > 3:
        return None
    currency = currency.upper()
    price = _number(item.get("price"))
    if currency not in CURRENCIES or price is None:
        return None
    row = {
        "product_id": None,
        "price_list_id": price_list.pk,
        "price": price,
        "currency_type": currency,
    }
    if "retail_price" in item:
        retail = item["retail_price"]
        if retail is not None and (retail := _number(retail)) is None:
            return None
        row["retail_price"] = retail
    if "tax_rate" in item:
        if (tax := _number(item["tax_rate"])) is None:
            return None
        row["tax_rate"] = tax
    return row


def _stock(item, context: BatchContext) -> dict | None:
    """`BatchContext.stock` of an item it accepts."""
    list_id = item.get("stock_list")
    stock_list = context.stock_lists.get(v.parse_uuid(list_id)) if type(list_id) is str else None
    stock = _number(item.get("stock"))
    if stock_list is None or stock is None:
        return None
    row = {
        "product_id": None,
        "stock_list_id": stock_list.pk,
        "stock": stock,
        "sold_quantity_unreported": 0,
    }
    if "unit_type" in item:
        unit_type = item["unit_type"]
        if type(unit_type) is not str or unit_type not in UNIT_TYPES:
            return None
        row["unit_type"] = unit_type
    return row


def _nested(row: dict, name: str, key: str, check, context: BatchContext) -> list | None:
    """`products._nested` of a row's list it accepts: `(position, item)` of every item."""
    items = row.get(name)
    if items is None:
        return []
    if type(items) is not list:
        return None
    parsed, seen = [], set()
    for position, item in enumerate(items):
        if type(item) is not dict or (result := check(item, context)) is None:
            return None
        list_id = result[key]
        if list_id in seen:
            return None
        seen.add(list_id)
        parsed.append((position, result))
    return parsed


def product_row_plain(row, context: BatchContext) -> tuple[dict, list, list] | None:
    """`(fields, prices, stocks)` of a PRD101 row that has no error, as `_product_fields` and
    `_nested` give them; None for any row they might find an error in."""
    if type(row) is not dict:
        return None
    name, base_code = _text(row.get("name")), _text(row.get("base_code"))
    category_id = row.get("category")
    if name is None or base_code is None or _text(row.get("sku")) is None:
        return None
    category = (
        context.categories.get(v.parse_uuid(category_id)) if type(category_id) is str else None
    )
    attributes = row.get("attributes", {})
    if category is None or type(attributes) is not dict:
        return None
    errors = FieldErrors()
    attributes = v.attributes(
        row,
        context.rules.get(category.pk, {}),
        errors,
        context.attribute_results.setdefault(category.pk, {}),
    )
    if errors:
        return None
    fields = {
        "name": name,
        "base_code": base_code,
        "category_id": category.pk,
        "attributes": attributes,
    }
    for media in _MEDIA:
        if media in row:
            if not _urls(row[media]):
                return None
            fields[media] = row[media]
    if "restrict_for_others" in row:
        restrict = row["restrict_for_others"]
        if restrict is not None and type(restrict) is not bool:
            return None
        fields["restrict_for_others"] = bool(restrict)
    if "product" in row:
        if row["product"] is not None:
            return None
        fields["catalog_product_id"] = None
    prices = _nested(row, "prices", "price_list_id", _price, context)
    if prices is None:
        return None
    stocks = _nested(row, "stocks", "stock_list_id", _stock, context)
    if stocks is None:
        return None
    return fields, prices, stocks
