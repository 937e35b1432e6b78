"""What one batch needs from the database, loaded in a handful of queries up front."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from pazar.catalog.models import Category, Product
from pazar.catalog.selectors import category_rules, seller_product_refs, seller_products_stored
from pazar.catalog.services import ProductRef
from pazar.core.errors import DOES_NOT_EXIST, FieldErrors
from pazar.inventory.models import StockList, UnitType
from pazar.marketplace import validation as v
from pazar.marketplace.error_codes import ErrorCode
from pazar.pricing.models import CURRENCIES, PriceList

UNIT_TYPES = tuple(UnitType.values)


def _uuids(values) -> set[uuid.UUID]:
    """The values that are UUID strings; anything else a row holds there is reported per row."""
    found = set()
    for value in {value for value in values if isinstance(value, str)}:  # rows repeat ids
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
    products: dict[str, ProductRef] = field(default_factory=dict)
    stored: dict[str, dict] = field(default_factory=dict)  # PRD101: as the catalog saves them
    offer_keys: dict[int, frozenset[str]] = field(default_factory=dict)  # by category pk
    # Attribute values checked, by category pk (`validation.attributes`'s cache).
    attribute_results: dict[int, dict] = field(default_factory=dict)

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
        if skus and with_catalog:
            # PRD101 saves the products through the catalog; offers and deletes need their
            # pk, uuid and sku only.
            context.stored = seller_products_stored(seller=seller, skus=skus)
            context.products = {
                sku: ProductRef(values["id"], values["uuid"], sku)
                for sku, values in context.stored.items()
            }
        elif skus:
            context.products = seller_product_refs(seller=seller, skus=skus)
        return context

    # --- row parts shared by PRD101 (nested) and PRD104-106 --------------------------------
    # They check the row's shape and the seller's scope only; the rules of prices and stocks
    # are the pricing and inventory apps' (`product_prices_check`, `product_stocks_check`).

    def price(self, item: dict, errors: FieldErrors) -> dict | None:
        """The row's price as a row of `product_prices_check` (without its product), or None.

        Left out, `retail_price` and `tax_rate` keep the stored values (a new price: none and
        0); a null `retail_price` removes it; `tax_rate` may not be null.
        """
        own = FieldErrors()  # this part's errors, added to the row's
        list_id = v.uuid_value(item, "price_list", own)
        price_list = self.price_lists.get(list_id) if list_id else None
        if list_id and price_list is None:
            own.add(
                "price_list",
                DOES_NOT_EXIST.format(item.get("price_list")),
                ErrorCode.PRICE_LIST_NOT_OPEN,
            )
        currency = v.text(item, "currency_type", own, max_length=3)
        if currency:
            currency = currency.upper()
            if currency not in CURRENCIES:
                own.add(
                    "currency_type",
                    f'"{item.get("currency_type")}" is not a valid choice.',
                    "invalid_choice",
                )
        price = v.number(item, "price", own)
        retail = v.number(item, "retail_price", own, required=False, nullable=True)
        tax = v.number(item, "tax_rate", own, required=False)
        errors.merge(own)
        if own:
            return None
        row = {
            "product_id": None,
            "price_list_id": price_list.pk,
            "price": price,
            "currency_type": currency,
        }
        if "retail_price" in item:
            row["retail_price"] = retail
        if "tax_rate" in item:
            row["tax_rate"] = tax
        return row

    def stock(self, item: dict, errors: FieldErrors) -> dict | None:
        """The row's stock as a row of `product_stocks_check` (without its product), or None.

        A stock figure reports the stock after every sale so far: it resets the unreported
        sales. Left out, `unit_type` keeps the stored one (a new stock: `qty`).
        """
        own = FieldErrors()  # this part's errors, added to the row's
        list_id = v.uuid_value(item, "stock_list", own)
        stock_list = self.stock_lists.get(list_id) if list_id else None
        if list_id and stock_list is None:
            own.add(
                "stock_list",
                DOES_NOT_EXIST.format(item.get("stock_list")),
                ErrorCode.STOCK_LIST_NOT_OPEN,
            )
        unit_type = v.choice(item, "unit_type", UNIT_TYPES, own)
        stock = v.number(item, "stock", own)
        errors.merge(own)
        if own:
            return None
        row = {
            "product_id": None,
            "stock_list_id": stock_list.pk,
            "stock": stock,
            "sold_quantity_unreported": 0,
        }
        if unit_type is not None:
            row["unit_type"] = unit_type
        return row

    def seller_product(self, row: dict, errors: FieldErrors) -> ProductRef | None:
        sku = v.text(row, "sku", errors)
        if sku is None:
            return None
        product = self.products.get(sku)
        if product is None:
            errors.add("sku", f'No product with the SKU "{sku}".', ErrorCode.UNKNOWN_SKU)
        return product
