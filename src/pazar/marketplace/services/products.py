"""Applying a batch's rows: validate each row, then write all valid rows in bulk statements.

Each `apply_*` function runs inside the caller's transaction and returns a `BatchOutcome`
with one entry per row, so a batch is applied completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from pazar.catalog.models import ApprovalStatus, Product, ProductRevision
from pazar.catalog.services import revision_data, search_index_refresh
from pazar.inventory.models import ProductStock
from pazar.marketplace import validation as v
from pazar.marketplace.models import MarketplaceSettings
from pazar.marketplace.services.context import BatchContext
from pazar.pricing.models import ProductPrice

PRICE_FIELDS = ["price", "retail_price", "tax_rate", "currency_type", "updated_at"]
STOCK_FIELDS = ["stock", "unit_type", "sold_quantity_unreported", "updated_at"]
CATALOG_FIELDS = [
    "name",
    "base_code",
    "category",
    "images",
    "videos",
    "restrict_for_others",
    "catalog_product",
]


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


def _upsert_prices(rows: list[tuple[Product, dict]]) -> None:
    now = timezone.now()
    prices = [
        ProductPrice(product=product, price_list=item["price_list"], price=item["price"], retail_price=item["retail_price"],
                     tax_rate=item["tax_rate"], currency_type=item["currency_type"], created_at=now, updated_at=now)
        for product, item in rows
    ]  # fmt: skip
    if prices:
        ProductPrice.objects.bulk_create(
            prices,
            update_conflicts=True,
            unique_fields=["product", "price_list"],
            update_fields=PRICE_FIELDS,
        )


def _upsert_stocks(rows: list[tuple[Product, dict]]) -> None:
    now = timezone.now()
    # A stock update reflects everything sold so far: nothing stays unreported.
    stocks = [
        ProductStock(product=product, stock_list=item["stock_list"], stock=item["stock"], unit_type=item["unit_type"],
                     sold_quantity_unreported=0, created_at=now, updated_at=now)
        for product, item in rows
    ]  # fmt: skip
    if stocks:
        ProductStock.objects.bulk_create(
            stocks,
            update_conflicts=True,
            unique_fields=["product", "stock_list"],
            update_fields=STOCK_FIELDS,
        )


def _nested(row: dict, name: str, key: str, check, errors: v.RowErrors) -> list[dict]:
    items = row.get(name)
    if items is None:
        return []
    if not isinstance(items, list):
        errors.add(name, f'Expected a list of items but got type "{type(items).__name__}".')
        return []
    parsed, problems, seen = [], {}, set()
    for position, item in enumerate(items):
        item_errors = v.RowErrors()
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


def _product_fields(row: dict, context: BatchContext, errors: v.RowErrors) -> dict | None:
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
        "category": category,
        "attributes": attributes,
        "images": v.url_list(row, "images", errors),
        "videos": v.url_list(row, "videos", errors),
        "restrict_for_others": v.boolean(row, "restrict_for_others", errors),
        "catalog_product": catalog_product,
    }
    return None if errors else fields


def _offer_keys(context: BatchContext, category) -> set[str]:
    return {key for key, rule in context.rules.get(category.pk, {}).items() if rule.link.is_offer}


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
        errors = v.RowErrors()
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
            product = Product(seller=seller, sku=sku, **fields, created_at=now)
            creates.append(product)
        elif not product.approved or auto_approve:
            for name, value in fields.items():
                setattr(product, name, value)
            updates.append(product)
        else:
            revision, withdrawn = _propose_change(
                product, fields, _offer_keys(context, fields["category"]), pending.get(product.pk)
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

    Product.objects.bulk_create(creates)
    if updates:
        Product.objects.bulk_update(
            updates,
            [
                *CATALOG_FIELDS,
                "attributes",
                "approved",
                "approval_status",
                "rejection_reason",
                "updated_at",
            ],
        )
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
        "category": fields["category"].pk,
        "catalog_product": fields["catalog_product"].pk if fields["catalog_product"] else None,
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
        errors = v.RowErrors()
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
        errors = v.RowErrors()
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
