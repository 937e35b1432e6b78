"""What one batch needs from the database, loaded in a handful of queries up front."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from pazar.catalog.models import Category, Product
from pazar.catalog.selectors import category_rules
from pazar.core.errors import FieldErrors
from pazar.inventory.models import StockList
from pazar.marketplace import validation as v
from pazar.pricing.models import CURRENCIES, PriceList

DOES_NOT_EXIST = 'Invalid pk "{}" - object does not exist.'


def _uuids(values) -> set[uuid.UUID]:
    """The values that are UUID strings; anything else a row holds there is reported per row."""
    found = set()
    for value in values:
        if not isinstance(value, str):
            continue
        try:
            found.add(uuid.UUID(value))
        except ValueError:
            continue
    return found


@dataclass
class BatchContext:
    seller: object
    price_lists: dict[uuid.UUID, PriceList] = field(default_factory=dict)
    stock_lists: dict[uuid.UUID, StockList] = field(default_factory=dict)
    categories: dict[uuid.UUID, Category] = field(default_factory=dict)
    rules: dict[int, dict] = field(default_factory=dict)
    catalog_products: dict[uuid.UUID, Product] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)

    @classmethod
    def load(
        cls, *, seller, rows: list[dict], skus: list[str] | None = None, with_catalog: bool = False
    ) -> BatchContext:
        price_ids, stock_ids, category_ids, product_ids = [], [], [], []
        for row in rows:
            price_ids.append(row.get("price_list"))
            stock_ids.append(row.get("stock_list"))
            category_ids.append(row.get("category"))
            product_ids.append(row.get("product"))
            for item in row.get("prices") or [] if isinstance(row.get("prices"), list) else []:
                if isinstance(item, dict):
                    price_ids.append(item.get("price_list"))
            for item in row.get("stocks") or [] if isinstance(row.get("stocks"), list) else []:
                if isinstance(item, dict):
                    stock_ids.append(item.get("stock_list"))
        context = cls(seller=seller)
        # Lists not open to the seller are treated as unknown: their existence is not disclosed.
        if ids := _uuids(price_ids):
            context.price_lists = {
                pl.uuid: pl for pl in PriceList.objects.filter(uuid__in=ids, sellers=seller)
            }
        if ids := _uuids(stock_ids):
            context.stock_lists = {
                sl.uuid: sl for sl in StockList.objects.filter(uuid__in=ids, sellers=seller)
            }
        if with_catalog:
            if ids := _uuids(category_ids):
                context.categories = {c.uuid: c for c in Category.objects.filter(uuid__in=ids)}
                context.rules = category_rules(list(context.categories.values()))
            if ids := _uuids(product_ids):
                visible = Product.objects.catalog().filter(uuid__in=ids)
                context.catalog_products = {
                    p.uuid: p
                    for p in visible
                    if not p.restrict_for_others or p.seller_id == seller.pk
                }
        if skus:
            context.products = {
                p.sku: p for p in Product.objects.filter(seller=seller, sku__in=skus)
            }
        return context

    # --- row parts shared by PRD101 (nested) and PRD104-106 --------------------------------

    def price(self, item: dict, errors: FieldErrors) -> dict | None:
        list_id = v.uuid_value(item, "price_list", errors)
        price_list = self.price_lists.get(list_id) if list_id else None
        if list_id and price_list is None:
            errors.add("price_list", DOES_NOT_EXIST.format(item.get("price_list")))
        currency = v.text(item, "currency_type", errors, max_length=3)
        if currency:
            currency = currency.upper()
            if currency not in CURRENCIES:
                errors.add("currency_type", f'"{item.get("currency_type")}" is not a valid choice.')
            elif price_list is not None and currency != price_list.currency:
                errors.add(
                    "currency_type",
                    f"Must be the currency of the price list ({price_list.currency}).",
                )
        price = v.decimal_value(item, "price", errors, places=2)
        retail = v.decimal_value(item, "retail_price", errors, places=2, required=False)
        tax = v.decimal_value(
            item, "tax_rate", errors, places=4, required=False, maximum=1, digits=7
        )
        if price is not None and retail is not None and price > retail:
            errors.add(
                "price", f"Ensure this value is less than or equal to the retail price ({retail})."
            )
        if errors:
            return None
        return {
            "price_list": price_list,
            "currency_type": currency,
            "price": price,
            "retail_price": retail,
            "tax_rate": tax or 0,
        }

    def stock(self, item: dict, errors: FieldErrors) -> dict | None:
        list_id = v.uuid_value(item, "stock_list", errors)
        stock_list = self.stock_lists.get(list_id) if list_id else None
        if list_id and stock_list is None:
            errors.add("stock_list", DOES_NOT_EXIST.format(item.get("stock_list")))
        unit_type = item.get("unit_type") or "qty"
        if unit_type not in ("qty", "kg"):
            errors.add("unit_type", f'"{unit_type}" is not a valid choice.')
        stock = v.decimal_value(item, "stock", errors, places=3)
        if stock is not None and unit_type == "qty" and stock != stock.to_integral_value():
            errors.add("stock", "A quantity counted in units (qty) must be a whole number.")
        if errors:
            return None
        return {"stock_list": stock_list, "stock": stock, "unit_type": unit_type}

    def seller_product(self, row: dict, errors: FieldErrors) -> Product | None:
        sku = v.text(row, "sku", errors)
        if sku is None:
            return None
        product = self.products.get(sku)
        if product is None:
            errors.add("sku", f'No product with the SKU "{sku}".')
        return product
