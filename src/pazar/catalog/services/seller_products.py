"""Sellers' products written in bulk: the Seller Center's PRD101 (upsert) and PRD103 (delete).

A new product waits for approval, or is approved at once when the marketplace approves
automatically. A product not yet approved takes a change as it is. An approved product takes
the attributes of its offer at once and proposes its catalog data through a revision
(`product_change_propose`), which an operator approves or rejects.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pazar.catalog.models import ApprovalStatus, Product, ProductRevision, revision_data
from pazar.catalog.services.search_index import search_index_refresh
from pazar.core.sql import upsert

PRODUCT_COLUMNS = [
    "uuid", "seller", "sku", "name", "base_code", "category", "attributes", "images", "videos", "catalog_product",
    "restrict_for_others", "is_active", "approved", "approval_status", "rejection_reason", "created_at", "updated_at",
]  # fmt: skip
PRODUCT_UPDATE = [
    "name", "base_code", "category", "attributes", "images", "videos", "catalog_product", "restrict_for_others",
    "approved", "approval_status", "rejection_reason", "updated_at",
]  # fmt: skip
PRODUCT_ATTNAMES = [Product._meta.get_field(name).attname for name in PRODUCT_COLUMNS]
# What `seller_products_save` reads of a stored product: its caller may load them alone
# (`Product.objects.only(*SAVED_FIELDS)`), leaving out the Omnitron-only columns.
SAVED_FIELDS = ["pk", *PRODUCT_COLUMNS]


@dataclass(frozen=True)
class SellerProductChange:
    """One product of a seller as its row gives it, already validated.

    `fields` are by `Product` attribute name: `name`, `base_code`, `category_id`, `attributes`,
    and those of `images`, `videos`, `restrict_for_others`, `catalog_product_id` the row gives
    (a field left out keeps its stored value; a new product takes the model's default).
    `offer_keys` are the attributes of the category that belong to the seller's offer.
    """

    sku: str
    fields: dict
    offer_keys: Collection[str] = ()


@transaction.atomic
def seller_products_save(
    *, seller, changes: list[SellerProductChange], auto_approve: bool, stored: dict[str, Product]
) -> dict[str, Product]:
    """Create or change the seller's products by SKU; return them by SKU, with their pks.

    `stored` holds the seller's products of those SKUs that exist (by SKU), as the caller
    loaded them (SAVED_FIELDS at least). One upsert writes new and changed products; pending
    revisions are created, changed or withdrawn in three statements.
    """
    now = timezone.now()
    approved = [product for product in stored.values() if product.approved]
    pending = {
        revision.product_id: revision
        for revision in ProductRevision.objects.filter(
            product__in=approved, status=ApprovalStatus.PENDING
        )
    }
    products: dict[str, Product] = {}
    new_revisions, changed_revisions, withdrawn = [], [], []
    for change in changes:
        product = stored.get(change.sku)
        if product is None:
            product = Product(
                seller=seller, sku=change.sku, **change.fields, created_at=now, is_active=True
            )
        elif not product.approved or auto_approve:
            for name, value in change.fields.items():
                setattr(product, name, value)
        else:
            current = pending.get(product.pk)
            revision = product_change_propose(
                product=product, fields=change.fields, offer_keys=change.offer_keys,
                revision=current, now=now,
            )  # fmt: skip
            if revision is None and current is not None:
                withdrawn.append(current.pk)
            elif revision is not None:
                (changed_revisions if revision.pk else new_revisions).append(revision)
        if not product.approved or auto_approve:
            product.approved = auto_approve
            product.approval_status = (
                ApprovalStatus.APPROVED if auto_approve else ApprovalStatus.PENDING
            )
            product.rejection_reason = ""
        product.updated_at = now
        products[change.sku] = product

    written = upsert(
        Product,
        columns=PRODUCT_COLUMNS,
        rows=[
            [getattr(product, attname) for attname in PRODUCT_ATTNAMES]
            for product in products.values()
        ],
        conflict=["seller", "sku"],
        update=PRODUCT_UPDATE,
        returning=["id", "sku"],
    )
    for pk, sku in written:
        products[sku].pk = pk
    ProductRevision.objects.filter(pk__in=withdrawn).delete()
    ProductRevision.objects.bulk_create(new_revisions)
    ProductRevision.objects.bulk_update(changed_revisions, ["data", "updated_at"])
    search_index_refresh(product_ids=[product.pk for product in products.values()])
    return products


def product_change_propose(
    *,
    product: Product,
    fields: dict,
    offer_keys: Collection[str],
    revision: ProductRevision | None,
    now=None,
) -> ProductRevision | None:
    """A seller changes an approved product: offer attributes at once, catalog data through a
    revision. The one place a change to an approved product is proposed.

    Sets the offer attributes and the approval status on `product` (the caller saves it) and
    returns the revision to save (new, or `revision` changed), or None when the proposal is
    the approved data itself: then `revision`, if any, is to be withdrawn.
    """
    live_catalog = {k: v for k, v in product.attributes.items() if k not in offer_keys}
    proposed_offer = {k: v for k, v in fields["attributes"].items() if k in offer_keys}
    product.attributes = {**live_catalog, **proposed_offer}
    # Fields the seller leaves out keep what they last proposed, else the approved data.
    data = {**(revision.data if revision else revision_data(product)), **revision_data(fields)}
    if data == revision_data(product):
        if revision is not None:
            product.approval_status = ApprovalStatus.APPROVED
        return None
    product.approval_status = ApprovalStatus.PENDING
    if revision is None:
        revision = ProductRevision(product=product)
    revision.data = data
    revision.updated_at = now or timezone.now()
    return revision


@transaction.atomic
def seller_products_delete(*, product_ids: list[int]) -> None:
    """Delete sellers' products (their prices, stocks and revisions go with them)."""
    Product.objects.filter(pk__in=product_ids).delete()
    search_index_refresh(product_ids=product_ids)
