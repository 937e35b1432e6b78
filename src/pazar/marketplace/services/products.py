"""Applying a batch's rows: validate each row, then write all valid rows in bulk statements.

Each `apply_*` function runs inside the caller's transaction and returns a `BatchOutcome`
with one entry per row, so a batch is applied completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from pazar.catalog.models import ApprovalStatus, Product, ProductRevision
from pazar.catalog.services import revision_data, search_index_refresh
from pazar.core.errors import FieldErrors
from pazar.core.sql import upsert
from pazar.inventory.models import ProductStock
from pazar.marketplace import validation as v
from pazar.marketplace.models import MarketplaceSettings
from pazar.marketplace.services.context import BatchContext
from pazar.pricing.models import ProductPrice

PRODUCT_UPDATE = [
    "name", "base_code", "category", "attributes", "images", "videos", "catalog_product", "restrict_for_others",
    "approved", "approval_status", "rejection_reason", "updated_at",
]  # fmt: skip
PRICE_FIELDS = ["price", "retail_price", "tax_rate", "currency_type", "updated_at"]
STOCK_FIELDS = ["stock", "unit_type", "sold_quantity_unreported", "updated_at"]
PRODUCT_COLUMNS = [
    "uuid", "seller", "sku", "name", "base_code", "category", "attributes", "images", "videos", "catalog_product",
    "restrict_for_others", "is_active", "approved", "approval_status", "rejection_reason", "created_at", "updated_at",
]  # fmt: skip
PRODUCT_ATTNAMES = [Product._meta.get_field(name).attname for name in PRODUCT_COLUMNS]


@dataclass
class BatchOutcome:
    succeeded: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def fail(self, index: int, row, errors: dict) -> None:
        sku = row.get("sku") if isinstance(row, dict) else None
        self.failed.append({"index": index, "sku": sku, "row": row, "errors": errors})

    def succeed(self, index: int, sku: str, product: Product | None = None) -> None:
        entry = {"index": index, "sku": sku}
        if product is not None:
            entry["id"] = str(product.uuid)
        self.succeeded.append(entry)


PRICE_COLUMNS = [
    "product",
    "price_list",
    "price",
    "retail_price",
    "tax_rate",
    "currency_type",
    "created_at",
    "updated_at",
]
STOCK_COLUMNS = [
    "product",
    "stock_list",
    "stock",
    "unit_type",
    "sold_quantity_unreported",
    "created_at",
    "updated_at",
]


def _upsert_prices(rows: list[tuple[Product, dict]]) -> None:
    now = timezone.now()
    upsert(
        ProductPrice,
        columns=PRICE_COLUMNS,
        rows=[
            (
                product.pk,
                item["price_list"].pk,
                item["price"],
                item["retail_price"],
                item["tax_rate"],
                item["currency_type"],
                now,
                now,
            )
            for product, item in rows
        ],
        conflict=["product", "price_list"],
        update=PRICE_FIELDS,
    )


def _upsert_stocks(rows: list[tuple[Product, dict]]) -> None:
    now = timezone.now()
    # A stock update reflects everything sold so far: nothing stays unreported.
    upsert(
        ProductStock,
        columns=STOCK_COLUMNS,
        rows=[
            (product.pk, item["stock_list"].pk, item["stock"], item["unit_type"], 0, now, now)
            for product, item in rows
        ],
        conflict=["product", "stock_list"],
        update=STOCK_FIELDS,
    )


def _nested(row: dict, name: str, key: str, check, errors: FieldErrors) -> list[dict]:
    items = row.get(name)
    if items is None:
        return []
    if not isinstance(items, list):
        errors.add(name, f'Expected a list of items but got type "{type(items).__name__}".')
        return []
    parsed, problems, seen = [], {}, set()
    for position, item in enumerate(items):
        item_errors = FieldErrors()
        if not isinstance(item, dict):
            problems[str(position)] = {"non_field_errors": ["Expected an object."]}
            continue
        result = check(item, item_errors)
        if result is not None and result[key].pk in seen:
            item_errors.add(key, "This list appears twice for this product.")
        if item_errors:
            problems[str(position)] = dict(item_errors)
        elif result is not None:
            seen.add(result[key].pk)
            parsed.append(result)
    if problems:
        errors.add(name, problems)
    return parsed


# --- PRD101 ---------------------------------------------------------------------------------


def _product_fields(row: dict, context: BatchContext, errors: FieldErrors) -> dict | None:
    name = v.text(row, "name", errors)
    base_code = v.text(row, "base_code", errors)
    v.text(row, "sku", errors)
    category_id = v.uuid_value(row, "category", errors)
    category = context.categories.get(category_id) if category_id else None
    if category_id and category is None:
        errors.add("category", f'Invalid pk "{row.get("category")}" - object does not exist.')
    attributes = v.attributes(row, context.rules.get(category.pk, {}), errors) if category else {}
    catalog_product = None
    if row.get("product") is not None:
        product_id = v.uuid_value(row, "product", errors)
        catalog_product = context.catalog_products.get(product_id) if product_id else None
        if product_id and catalog_product is None:
            errors.add("product", f'Invalid pk "{row.get("product")}" - object does not exist.')
    fields = {
        "name": name,
        "base_code": base_code,
        "category_id": category.pk if category else None,
        "attributes": attributes,
        "images": v.url_list(row, "images", errors),
        "videos": v.url_list(row, "videos", errors),
        "restrict_for_others": v.boolean(row, "restrict_for_others", errors),
        "catalog_product_id": catalog_product.pk if catalog_product else None,
    }
    return None if errors else fields


def _offer_keys(context: BatchContext, category_id: int) -> set[str]:
    return {key for key, rule in context.rules.get(category_id, {}).items() if rule.link.is_offer}


def apply_product_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD101: create or update the seller's products, with their prices and stocks."""
    context = BatchContext.load(
        seller=seller,
        rows=rows,
        skus=[str(r.get("sku", "")).strip() for r in rows],
        with_catalog=True,
    )
    auto_approve = MarketplaceSettings.load().auto_approve_products
    outcome, now = BatchOutcome(), timezone.now()
    valid = []
    for index, row in enumerate(rows):
        errors = FieldErrors()
        fields = _product_fields(row, context, errors)
        prices = _nested(row, "prices", "price_list", context.price, errors)
        stocks = _nested(row, "stocks", "stock_list", context.stock, errors)
        if errors:
            outcome.fail(index, row, dict(errors))
            continue
        valid.append((index, str(row["sku"]).strip(), fields, prices, stocks))

    pending = {
        revision.product_id: revision
        for revision in ProductRevision.objects.filter(
            product__in=[p for p in context.products.values() if p.approved],
            status=ApprovalStatus.PENDING,
        )
    }
    creates, updates, new_revisions, changed_revisions, withdrawn_revisions = [], [], [], [], []
    for _, sku, fields, _, _ in valid:
        product = context.products.get(sku)
        if product is None:
            product = Product(seller=seller, sku=sku, **fields, created_at=now, is_active=True)
            creates.append(product)
        elif not product.approved or auto_approve:
            for name, value in fields.items():
                setattr(product, name, value)
            updates.append(product)
        else:
            revision, withdrawn = _propose_change(
                product,
                fields,
                _offer_keys(context, fields["category_id"]),
                pending.get(product.pk),
            )
            if withdrawn:
                withdrawn_revisions.append(pending[product.pk].pk)
            elif revision is not None:
                (changed_revisions if revision.pk else new_revisions).append(revision)
            updates.append(product)
        if not product.approved or auto_approve:
            product.approved = auto_approve
            product.approval_status = (
                ApprovalStatus.APPROVED if auto_approve else ApprovalStatus.PENDING
            )
            product.rejection_reason = ""
        product.updated_at = now
        context.products[sku] = product

    # One upsert statement writes new and changed products alike (their final state is computed above).
    written = upsert(
        Product,
        columns=PRODUCT_COLUMNS,
        rows=[
            [getattr(product, attname) for attname in PRODUCT_ATTNAMES]
            for product in [*creates, *updates]
        ],
        conflict=["seller", "sku"],
        update=PRODUCT_UPDATE,
        returning=["id", "sku"],
    )
    pks = {sku: pk for pk, sku in written}
    for product in creates:
        product.pk = pks[product.sku]
    ProductRevision.objects.filter(pk__in=withdrawn_revisions).delete()
    ProductRevision.objects.bulk_create(new_revisions)
    ProductRevision.objects.bulk_update(changed_revisions, ["data", "updated_at"])
    _upsert_prices(
        [(context.products[sku], item) for _, sku, _, prices, _ in valid for item in prices]
    )
    _upsert_stocks(
        [(context.products[sku], item) for _, sku, _, _, stocks in valid for item in stocks]
    )
    search_index_refresh(product_ids=[context.products[sku].pk for _, sku, *_ in valid])
    for index, sku, *_ in valid:
        outcome.succeed(index, sku, context.products[sku])
    return outcome


def _catalog_data(fields: dict) -> dict:
    """Validated row fields in the shape of `ProductRevision.data`."""
    return {
        **{
            name: fields[name]
            for name in (
                "name",
                "base_code",
                "attributes",
                "images",
                "videos",
                "restrict_for_others",
            )
        },
        "category": fields["category_id"],
        "catalog_product": fields["catalog_product_id"],
    }


def _propose_change(
    product: Product, fields: dict, offer_keys: set[str], revision: ProductRevision | None
):
    """An approved product changes: offer attributes at once, catalog data through a revision.

    Returns `(revision, withdrawn)`: the revision to save (new or changed) or None, and whether
    a pending revision is withdrawn because the seller went back to the approved data.
    """
    live_catalog = {k: val for k, val in product.attributes.items() if k not in offer_keys}
    proposed_offer = {k: val for k, val in fields["attributes"].items() if k in offer_keys}
    product.attributes = {**live_catalog, **proposed_offer}
    data = _catalog_data(fields)
    if data == revision_data(product):
        if revision is not None:
            product.approval_status = ApprovalStatus.APPROVED
        return None, revision is not None
    product.approval_status = ApprovalStatus.PENDING
    if revision is None:
        revision = ProductRevision(product=product)
    revision.data = data
    revision.updated_at = timezone.now()
    return revision, False


# --- PRD103 ---------------------------------------------------------------------------------


def apply_product_delete_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD103: delete the seller's products (with their prices and stocks) by SKU."""
    context = BatchContext.load(
        seller=seller, rows=rows, skus=[str(r.get("sku", "")).strip() for r in rows]
    )
    outcome, doomed = BatchOutcome(), []
    for index, row in enumerate(rows):
        errors = FieldErrors()
        product = context.seller_product(row, errors)
        if errors:
            outcome.fail(index, row, dict(errors))
            continue
        doomed.append(product.pk)
        outcome.succeed(index, product.sku, product)
    Product.objects.filter(pk__in=doomed).delete()
    search_index_refresh(product_ids=doomed)
    return outcome


# --- PRD104, PRD105, PRD106 -----------------------------------------------------------------


def _apply_offer_rows(
    *, seller, rows: list[dict], with_price: bool, with_stock: bool
) -> BatchOutcome:
    context = BatchContext.load(
        seller=seller, rows=rows, skus=[str(r.get("sku", "")).strip() for r in rows]
    )
    outcome, prices, stocks = BatchOutcome(), [], []
    for index, row in enumerate(rows):
        errors = FieldErrors()
        product = context.seller_product(row, errors)
        price = context.price(row, errors) if with_price else None
        stock = context.stock(row, errors) if with_stock else None
        if errors:
            outcome.fail(index, row, dict(errors))
            continue
        if price:
            prices.append((product, price))
        if stock:
            stocks.append((product, stock))
        outcome.succeed(index, product.sku, product)
    _upsert_prices(prices)
    _upsert_stocks(stocks)
    return outcome


def apply_price_stock_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD104: prices and stocks of existing SKUs."""
    return _apply_offer_rows(seller=seller, rows=rows, with_price=True, with_stock=True)


def apply_price_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD105: prices of existing SKUs."""
    return _apply_offer_rows(seller=seller, rows=rows, with_price=True, with_stock=False)


def apply_stock_rows(*, seller, rows: list[dict]) -> BatchOutcome:
    """PRD106: stocks of existing SKUs."""
    return _apply_offer_rows(seller=seller, rows=rows, with_price=False, with_stock=True)
