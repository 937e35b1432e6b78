"""Sellers' products written in bulk: the Seller Center's PRD101 (upsert) and PRD103 (delete).

A new product waits for approval, or is approved at once when the marketplace approves
automatically. A product not yet approved takes a change as it is. An approved product takes
the attributes of its offer at once and proposes its catalog data through a revision
(`product_change_propose`), which an operator approves or rejects.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

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
_PRODUCT_VALUES = itemgetter(*PRODUCT_ATTNAMES)
_UPDATE_ATTNAMES = [Product._meta.get_field(name).attname for name in PRODUCT_UPDATE]
# What a change that is not a revision sets besides the fields its row gives.
_APPROVAL_FIELDS = frozenset({"approved", "approval_status", "rejection_reason", "updated_at"})
# What a change to an approved product (a revision, and its offer attributes) sets.
_REVISED_FIELDS = ("attributes", "approval_status", "updated_at")
# What `seller_products_save` reads of a stored product, by attribute name
# (`catalog.selectors.seller_products_stored` loads them): not the Omnitron-only columns, nor
# the timestamps, which an update does not take from the stored row.
SAVED_FIELDS = [
    "id",
    *(name for name in PRODUCT_ATTNAMES if name not in ("created_at", "updated_at")),
]


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


class ProductRef(NamedTuple):
    """A seller's product by its keys, as a batch reads and `seller_products_save` writes it."""

    pk: int
    uuid: uuid.UUID
    sku: str


def _uuid4s(count: int) -> Iterator[uuid.UUID]:
    """`uuid.uuid4()` `count` times, from one read of the system's random source (the same
    random version-4 UUIDs, one system call instead of `count`)."""
    random_bytes = os.urandom(16 * count)
    for start in range(0, 16 * count, 16):
        yield uuid.UUID(bytes=random_bytes[start : start + 16], version=4)


def _new_product_values(seller, now) -> dict:
    """The values of a new product before its row's fields: the model's defaults, once per
    call (a model instance per row costs more than the rest of the row's work)."""
    values = {
        field.attname: field.get_default()
        for field in map(Product._meta.get_field, PRODUCT_COLUMNS)
    }
    values.update(seller_id=seller.pk, is_active=True, created_at=now)
    return values


@transaction.atomic(savepoint=False)  # no savepoint: see core.bulk.upsert_checked
def seller_products_save(
    *, seller, changes: list[SellerProductChange], auto_approve: bool, stored: dict[str, dict]
) -> dict[str, ProductRef]:
    """Create or change the seller's products by SKU; return them by SKU (pk, uuid, SKU).

    `stored` holds the seller's products of those SKUs that exist (by SKU), as the caller
    loaded them (`selectors.seller_products_stored`): `id`, `uuid`, `sku` and `approved` of
    each, and the SAVED_FIELDS (by attribute name) of an approved one. One upsert writes new
    and changed products (one per distinct set of fields the rows give, usually one); on an
    existing product it overwrites only what the change sets, so the fields a row leaves out
    keep their stored values. Pending revisions are created, changed or withdrawn in three
    statements.
    """
    now = timezone.now()
    approved = [values["id"] for values in stored.values() if values["approved"]]
    pending = {}
    if approved and not auto_approve:
        pending = {
            revision.product_id: revision
            for revision in ProductRevision.objects.filter(
                product_id__in=approved, status=ApprovalStatus.PENDING
            )
        }
    new_values = _new_product_values(seller, now)
    new_uuids = _uuid4s(sum(1 for change in changes if change.sku not in stored))
    # What a product the seller changes is set to, unless it is approved and the change goes
    # through a revision.
    approval = {
        "approved": auto_approve,
        "approval_status": ApprovalStatus.APPROVED if auto_approve else ApprovalStatus.PENDING,
        "rejection_reason": "",
        "updated_at": now,
    }
    rows: dict[str, tuple[tuple[str, ...], dict]] = {}  # by SKU: (fields updated, values)
    updated_by_fields: dict[frozenset, tuple[str, ...]] = {}
    new_revisions, changed_revisions, withdrawn = [], [], []
    for change in changes:
        product = stored.get(change.sku)
        if product is None or not product["approved"] or auto_approve:
            # A new product's row, or the values an existing one takes on conflict (the
            # others of the row, the defaults, are not written to it).
            values = {**new_values, **change.fields, **approval}
            values["uuid"] = next(new_uuids) if product is None else product["uuid"]
            values["sku"] = change.sku
            given = frozenset(change.fields)
            updated = updated_by_fields.get(given)
            if updated is None:
                updated = updated_by_fields[given] = tuple(
                    name for name in _UPDATE_ATTNAMES if name in given or name in _APPROVAL_FIELDS
                )
        else:
            values = {**new_values, **product}
            product = Product(**values)
            current = pending.get(product.pk)
            revision = product_change_propose(
                product=product, fields=change.fields, offer_keys=change.offer_keys,
                revision=current, now=now,
            )  # fmt: skip
            if revision is None and current is not None:
                withdrawn.append(current.pk)
            elif revision is not None:
                (changed_revisions if revision.pk else new_revisions).append(revision)
            values["attributes"] = product.attributes
            values["approval_status"] = product.approval_status
            values["updated_at"] = now
            updated = _REVISED_FIELDS
        rows[change.sku] = (updated, values)

    groups: dict[tuple[str, ...], list[dict]] = {}
    for updated, values in rows.values():
        groups.setdefault(updated, []).append(values)
    pks = {}
    for updated, group in groups.items():
        written = upsert(
            Product,
            columns=PRODUCT_COLUMNS,
            rows=list(map(_PRODUCT_VALUES, group)),
            conflict=["seller", "sku"],
            update=list(updated),
            returning=["id", "sku"],
        )
        pks.update((sku, pk) for pk, sku in written)
    products = {sku: ProductRef(pks[sku], values["uuid"], sku) for sku, (_, values) in rows.items()}
    if withdrawn:
        ProductRevision.objects.filter(pk__in=withdrawn).delete()
    if new_revisions:
        ProductRevision.objects.bulk_create(new_revisions)
    if changed_revisions:
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
