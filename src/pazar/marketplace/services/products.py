"""Applying a batch's rows: check each row, then write all valid rows in bulk statements.

The Seller Center owns only what is its own here: the seller's scope (their products, the lists
open to them), the shape of a row and its nesting, and a result per row. Every write goes
through the owning app's bulk services: `catalog` for products and their proposed changes,
`pricing` for prices, `inventory` for stocks, each with the same rules as Omnitron's API.

Each `apply_*` function runs inside the caller's transaction and returns a `BatchOutcome`
with one entry per row, so a batch is applied completely or not at all; a row is applied
whole (product, prices and stocks) or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pazar.catalog import services as catalog
from pazar.catalog.services import ProductRef
from pazar.core.bulk import CheckedRows
from pazar.core.errors import FieldErrors, RowErrors, does_not_exist, error_codes
from pazar.inventory import services as inventory
from pazar.marketplace import validation as v
from pazar.marketplace.error_codes import ErrorCode
from pazar.marketplace.models import MarketplaceSettings
from pazar.marketplace.services.context import BatchContext
from pazar.marketplace.services.plain_rows import product_row_plain
from pazar.pricing import services as pricing


@dataclass
class BatchOutcome:
    succeeded: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def fail(self, index: int, row, errors: dict) -> None:
        """An error file entry: the DRF-worded `errors`, and their `codes` in the same shape."""
        sku = row.get("sku") if isinstance(row, dict) else None
        self.failed.append(
            {"index": index, "sku": sku, "row": row, "errors": errors, "codes": error_codes(errors)}
        )

    def succeed(self, index: int, sku: str, product: ProductRef | None = None) -> None:
        entry = {"index": index, "sku": sku}
        if product is not None:
            entry["id"] = str(product.uuid)
        self.succeeded.append(entry)


@dataclass
class _Offers:
    """The price and stock rows of a batch, each tied to its batch row (and, in PRD101, to its
    position in the row's `prices` or `stocks`)."""

    prices: list[dict] = field(default_factory=list)
    price_origin: list[tuple[int, int | None]] = field(default_factory=list)
    stocks: list[dict] = field(default_factory=list)
    stock_origin: list[tuple[int, int | None]] = field(default_factory=list)
    checked_prices: CheckedRows | None = None
    checked_stocks: CheckedRows | None = None
    # The usual offers, every one passing the rules by plain checks: the values each price and
    # stock row is written with (`_check_plain`), in row order; None when checked the full way.
    plain: tuple[list[dict], list[tuple]] | None = None

    def add_price(self, index: int, position: int | None, row: dict) -> None:
        self.prices.append(row)
        self.price_origin.append((index, position))

    def add_stock(self, index: int, position: int | None, row: dict) -> None:
        self.stocks.append(row)
        self.stock_origin.append((index, position))

    def check(self, errors: list[FieldErrors], context: BatchContext) -> None:
        """The pricing and inventory rules, their errors added to the batch rows'. The
        seller's products and lists the batch context has read are not looked up again."""
        known_products = {product.pk for product in context.products.values()}
        if self._check_plain(context, known_products):
            return
        self.checked_prices = pricing.product_prices_check(
            rows=self.prices,
            currency_label=str,
            known_products=known_products,
            list_currencies={pl.pk: pl.currency for pl in context.price_lists.values()},
        )
        self.checked_stocks = inventory.product_stocks_check(
            rows=self.stocks,
            known_products=known_products,
            known_lists={sl.pk for sl in context.stock_lists.values()},
        )
        _add_errors(errors, self.checked_prices.errors, self.price_origin, "prices")
        _add_errors(errors, self.checked_stocks.errors, self.stock_origin, "stocks")

    def _check_plain(self, context: BatchContext, known_products: set[int]) -> bool:
        """Whether every price and stock passes the pricing and inventory rules by plain
        checks, which only ever accept (`pricing.price_values_plain`,
        `inventory.stock_quantity_plain`, once per distinct set of values; the products and
        lists the context read; no product and list twice). Then no row has an error of
        theirs, and `write` writes the values they gave; otherwise nothing is decided and the
        full checks judge every row, which words the errors."""
        currencies = {pl.pk: pl.currency for pl in context.price_lists.values()}
        stock_lists = {sl.pk for sl in context.stock_lists.values()}
        judged: dict[tuple, object] = {}  # the plain checks' answers, by the values judged
        prices, seen = [], set()
        for row in self.prices:
            product, price_list = row["product_id"], row["price_list_id"]
            currency = currencies.get(price_list)
            if currency is None or (product is not None and product not in known_products):
                return False
            values = {name: row[name] for name in _PRICE_VALUES if name in row}
            if len(values) + 2 != len(row):
                return False  # a field the plain check does not know
            key = (price_list, *(_exact(values.get(name, _LEFT_OUT)) for name in _PRICE_VALUES))
            plain = judged.get(key)
            if plain is None:
                plain = judged[key] = pricing.price_values_plain(values, currency=currency) or {}
            if not plain:
                return False
            if product is not None:
                if (product, price_list) in seen:
                    return False
                seen.add((product, price_list))
            prices.append(plain)
        stocks, seen = [], set()
        for row in self.stocks:
            product, stock_list = row["product_id"], row["stock_list_id"]
            if stock_list not in stock_lists or (
                product is not None and product not in known_products
            ):
                return False
            unit_type, unsold = row.get("unit_type"), row.get("sold_quantity_unreported")
            if type(unsold) is not int or unsold != 0 or len(row) != 4 + ("unit_type" in row):
                return False  # not a stock figure as a batch row gives it (it resets the unsold)
            key = (_exact(row["stock"]), unit_type)
            stock = judged.get(key, _LEFT_OUT)
            if stock is _LEFT_OUT:
                stock = judged[key] = inventory.stock_quantity_plain(
                    row["stock"], unit_type=unit_type
                )
            if stock is None:
                return False
            if product is not None:
                if (product, stock_list) in seen:
                    return False
                seen.add((product, stock_list))
            stocks.append((stock, unit_type))
        self.plain = (prices, stocks)
        return True

    def write(self, applied: set[int], product_ids: dict[int, int] | None = None) -> None:
        """Write the prices and stocks of the applied batch rows (with the pks of products
        written in the same batch, by batch row)."""
        if self.plain is not None:
            self._write_plain(applied, product_ids or {})
            return
        for write, checked, origin in (
            (pricing.product_prices_write, self.checked_prices, self.price_origin),
            (inventory.product_stocks_write, self.checked_stocks, self.stock_origin),
        ):
            for row, (index, _) in zip(checked.rows, origin, strict=True):
                if product_ids and index in product_ids:
                    row["product"] = product_ids[index]
            write(
                checked=checked, only=[i for i, (index, _) in enumerate(origin) if index in applied]
            )

    def _write_plain(self, applied: set[int], product_ids: dict[int, int]) -> None:
        """`write` of offers that passed `_check_plain`: the same rows, the same statements."""
        prices, stocks = self.plain
        pricing.product_prices_write_plain(
            rows=[
                {
                    "product": product_ids.get(index, row["product_id"]),
                    "price_list": row["price_list_id"],
                    **values,
                }
                for row, values, (index, _) in zip(
                    self.prices, prices, self.price_origin, strict=True
                )
                if index in applied
            ]
        )
        inventory.product_stocks_write_plain(
            rows=[
                (product_ids.get(index, row["product_id"]), row["stock_list_id"], stock, unit_type)
                for row, (stock, unit_type), (index, _) in zip(
                    self.stocks, stocks, self.stock_origin, strict=True
                )
                if index in applied
            ]
        )


# The values of a batch row's price that the pricing rules judge (`pricing.price_values_plain`).
_PRICE_VALUES = ("price", "currency_type", "retail_price", "tax_rate")
_LEFT_OUT = object()


def _exact(value):
    """A value as a key that tells apart what the rules may judge apart: a number by its type
    and exact text (`Decimal("1.0") == Decimal("1.00")`), text, None and a value left out as
    themselves."""
    if value is None or value is _LEFT_OUT or type(value) is str:
        return value
    return type(value), str(value)


def _add_errors(
    errors: list[FieldErrors], checked: RowErrors, origin: list[tuple[int, int | None]], name: str
) -> None:
    for row_errors, (index, position) in zip(checked.rows, origin, strict=True):
        if not row_errors:
            continue
        if position is None:
            errors[index].merge(row_errors)
        else:
            errors[index].add(name, {str(position): dict(row_errors)})


def _nested(row: dict, name: str, key: str, check, errors: FieldErrors) -> list[tuple[int, dict]]:
    """The row's `prices` or `stocks`, parsed: `(position, item)` for the items without errors;
    the errors of the others by position under `name`."""
    items = row.get(name)
    if items is None:
        return []
    if not isinstance(items, list):
        errors.add(
            name, f'Expected a list of items but got type "{type(items).__name__}".', "not_a_list"
        )
        return []
    parsed, problems, seen = [], {}, set()
    for position, item in enumerate(items):
        item_errors = FieldErrors()
        if not isinstance(item, dict):
            item_errors.add("non_field_errors", "Expected an object.", ErrorCode.NOT_AN_OBJECT)
            problems[str(position)] = dict(item_errors)
            continue
        result = check(item, item_errors)
        if result is not None and result[f"{key}_id"] in seen:
            item_errors.add(key, "This list appears twice for this product.", ErrorCode.LIST_TWICE)
        if item_errors:
            problems[str(position)] = dict(item_errors)
        elif result is not None:
            seen.add(result[f"{key}_id"])
            parsed.append((position, result))
    if problems:
        errors.add(name, problems)
    return parsed


def _outcome(rows: list[dict], errors: list[FieldErrors], applied, products: dict) -> BatchOutcome:
    outcome = BatchOutcome()
    for index, row in enumerate(rows):
        if errors[index]:
            outcome.fail(index, row, dict(errors[index]))
        elif index in applied:
            outcome.succeed(index, products[index].sku, products[index])
    return outcome


# --- PRD101 ---------------------------------------------------------------------------------


def _product_fields(row: dict, context: BatchContext, errors: FieldErrors) -> dict | None:
    """The product's fields by attribute name. `name`, `base_code`, `category` and
    `attributes` (default `{}`) are the whole of them each time; `images`, `videos`, `product`
    and `restrict_for_others` are only there when the row gives them, so that a product's
    stored values stay when a row leaves them out (docs/seller-center.md)."""
    name = v.text(row, "name", errors)
    base_code = v.text(row, "base_code", errors)
    v.text(row, "sku", errors)
    category_id = v.uuid_value(row, "category", errors)
    category = context.categories.get(category_id) if category_id else None
    if category_id and category is None:
        errors.add("category", does_not_exist(row.get("category")), ErrorCode.UNKNOWN_CATEGORY)
    if row.get("attributes", {}) is None:
        errors.add("attributes", v.NULL, "null")
    attributes = {}
    if category:
        attributes = v.attributes(
            row,
            context.rules.get(category.pk, {}),
            errors,
            context.attribute_results.setdefault(category.pk, {}),
        )
    fields = {
        "name": name,
        "base_code": base_code,
        "category_id": category.pk if category else None,
        "attributes": attributes,
    }
    for media in ("images", "videos"):
        if media in row:
            if row[media] is None:
                errors.add(media, v.NULL, "null")
            fields[media] = v.url_list(row, media, errors)
    if "restrict_for_others" in row:  # null is false: open to all (PRD101)
        fields["restrict_for_others"] = v.boolean(row, "restrict_for_others", errors)
    if "product" in row:  # null unlinks the offer from its catalog product
        catalog_product = None
        if row["product"] is not None:
            product_id = v.uuid_value(row, "product", errors)
            catalog_product = context.catalog_products.get(product_id) if product_id else None
            if product_id and catalog_product is None:
                errors.add("product", does_not_exist(row.get("product")), ErrorCode.UNKNOWN_PRODUCT)
        fields["catalog_product_id"] = catalog_product.pk if catalog_product else None
    return None if errors else fields


def _offer_keys(context: BatchContext, category_id: int) -> frozenset[str]:
    keys = context.offer_keys.get(category_id)
    if keys is None:
        keys = context.offer_keys[category_id] = frozenset(
            key for key, rule in context.rules.get(category_id, {}).items() if rule.link.is_offer
        )
    return keys


def apply_product_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD101: create or update the seller's products, with their prices and stocks."""
    context = BatchContext.load(
        seller=seller,
        rows=rows,
        skus=[str(r.get("sku", "")).strip() for r in rows],
        with_catalog=True,
    )
    errors = [FieldErrors() for _ in rows]
    offers, changes = _Offers(), {}
    for index, row in enumerate(rows):
        plain = product_row_plain(row, context)
        if plain is not None:  # the usual valid row, checked in one pass
            fields, prices, stocks = plain
        else:  # every field checked, every error reported
            fields = _product_fields(row, context, errors[index])
            prices = _nested(row, "prices", "price_list", context.price, errors[index])
            stocks = _nested(row, "stocks", "stock_list", context.stock, errors[index])
        sku = str(row.get("sku", "")).strip()
        stored = context.products.get(sku)
        # The items are the row's own new dicts, `product_id` their first key: set in place.
        product_id = stored.pk if stored is not None else None
        for position, price in prices:  # checked even when the row failed: all its errors
            price["product_id"] = product_id
            offers.add_price(index, position, price)
        for position, stock in stocks:
            stock["product_id"] = product_id
            offers.add_stock(index, position, stock)
        if errors[index]:
            continue
        changes[index] = catalog.SellerProductChange(
            sku=sku, fields=fields, offer_keys=_offer_keys(context, fields["category_id"])
        )
    offers.check(errors, context)
    applied = [index for index in changes if not errors[index]]
    saved = catalog.seller_products_save(
        seller=seller,
        changes=[changes[index] for index in applied],
        auto_approve=MarketplaceSettings.load().auto_approve_products,
        stored=context.stored,
    )
    products = {index: saved[changes[index].sku] for index in applied}
    offers.write(set(applied), {index: product.pk for index, product in products.items()})
    return _outcome(rows, errors, set(applied), products)


# --- PRD103 ---------------------------------------------------------------------------------


def apply_product_delete_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD103: delete the seller's products (with their prices and stocks) by SKU."""
    context = BatchContext.load(
        seller=seller, rows=rows, skus=[str(r.get("sku", "")).strip() for r in rows]
    )
    errors = [FieldErrors() for _ in rows]
    products = {}
    for index, row in enumerate(rows):
        product = context.seller_product(row, errors[index])
        if not errors[index]:
            products[index] = product
    catalog.seller_products_delete(product_ids=[product.pk for product in products.values()])
    return _outcome(rows, errors, set(products), products)


# --- PRD104, PRD105, PRD106 -----------------------------------------------------------------


def _apply_offer_rows(
    *, seller, rows: list[dict], with_price: bool, with_stock: bool
) -> BatchOutcome:
    context = BatchContext.load(
        seller=seller, rows=rows, skus=[str(r.get("sku", "")).strip() for r in rows]
    )
    errors = [FieldErrors() for _ in rows]
    offers, products = _Offers(), {}
    for index, row in enumerate(rows):
        product = context.seller_product(row, errors[index])
        price = context.price(row, errors[index]) if with_price else None
        stock = context.stock(row, errors[index]) if with_stock else None
        product_id = product.pk if product is not None else None
        if price:  # checked even when the row failed: all its errors
            offers.add_price(index, None, {**price, "product_id": product_id})
        if stock:
            offers.add_stock(index, None, {**stock, "product_id": product_id})
        if not errors[index]:
            products[index] = product
    offers.check(errors, context)
    applied = {index for index in products if not errors[index]}
    offers.write(applied)
    return _outcome(rows, errors, applied, products)


def apply_price_stock_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD104: prices and stocks of existing SKUs."""
    return _apply_offer_rows(seller=seller, rows=rows, with_price=True, with_stock=True)


def apply_price_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD105: prices of existing SKUs."""
    return _apply_offer_rows(seller=seller, rows=rows, with_price=True, with_stock=False)


def apply_stock_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD106: stocks of existing SKUs. A batch whose rows are all plainly valid (the usual
    one) is written without a result object per row (`stock_rows`); any other is checked the
    full way, with the same result for the rows both would accept."""
    from pazar.marketplace.services.stock_rows import apply_stock_rows_plain

    succeeded = apply_stock_rows_plain(seller=seller, rows=rows)
    if succeeded is not None:
        return BatchOutcome(succeeded=succeeded)
    return apply_stock_rows_full(seller=seller, rows=rows)


def apply_stock_batch(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD106 as the batch engine applies it: `apply_stock_rows`, with the plain path's
    success entries given as the success file's text (`files.JsonText`), the same text
    `files.write_json` writes for `apply_stock_rows`' list."""
    from pazar.marketplace.services.stock_rows import apply_stock_rows_plain_text

    succeeded = apply_stock_rows_plain_text(seller=seller, rows=rows)
    if succeeded is not None:
        return BatchOutcome(succeeded=succeeded)
    return apply_stock_rows_full(seller=seller, rows=rows)


def apply_stock_rows_full(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD106 checked row by row, every row's errors worded."""
    return _apply_offer_rows(seller=seller, rows=rows, with_price=False, with_stock=True)
