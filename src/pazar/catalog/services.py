"""Writes of the category tree and attribute definitions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pazar.catalog.models import (
    ApprovalStatus,
    Attribute,
    AttributeValue,
    Category,
    CategoryAttribute,
    Product,
    ProductRevision,
)


@transaction.atomic
def category_upsert(
    *,
    code: str,
    name: str,
    parent: Category | None = None,
    translations: dict | None = None,
    order: int = 0,
) -> Category:
    category, _ = Category.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "parent": parent,
            "translations": translations or {},
            "order": order,
        },
    )
    return category


@transaction.atomic
def attribute_upsert(
    *,
    key: str,
    name: str,
    data_type: str,
    translations: dict | None = None,
    values: list[dict] | None = None,
    is_localizable: bool = False,
) -> Attribute:
    """An attribute and, for choice types, its allowed values (`{"label","value","translations"}`)."""
    attribute, _ = Attribute.objects.update_or_create(
        key=key.upper(),
        defaults={
            "name": name,
            "data_type": data_type,
            "translations": translations or {},
            "is_localizable": is_localizable,
        },
    )
    for order, item in enumerate(values or []):
        AttributeValue.objects.update_or_create(
            attribute=attribute,
            value=item["value"],
            defaults={
                "label": item["label"],
                "order": order,
                "translations": item.get("translations", {}),
            },
        )
    return attribute


@transaction.atomic
def category_attribute_set(
    *,
    category: Category,
    attribute: Attribute,
    is_required: bool = False,
    is_variant: bool = False,
    is_offer: bool = False,
    order: int = 0,
) -> CategoryAttribute:
    link, _ = CategoryAttribute.objects.update_or_create(
        category=category,
        attribute=attribute,
        defaults={
            "is_required": is_required,
            "is_variant": is_variant,
            "is_offer": is_offer,
            "order": order,
        },
    )
    return link


# --- approval of sellers' products ---------------------------------------------------------

# The catalog fields a seller's change to an approved product proposes (ProductRevision.data);
# `category` and `catalog_product` are stored there as primary keys.
REVISION_FIELDS = (
    "name",
    "base_code",
    "category",
    "attributes",
    "images",
    "videos",
    "restrict_for_others",
    "catalog_product",
)


def revision_data(product: Product) -> dict:
    """The catalog fields of `product` in the shape of `ProductRevision.data`."""
    return {
        "name": product.name,
        "base_code": product.base_code,
        "category": product.category_id,
        "attributes": product.attributes,
        "images": product.images,
        "videos": product.videos,
        "restrict_for_others": product.restrict_for_others,
        "catalog_product": product.catalog_product_id,
    }


def _apply_revision_data(product: Product, data: dict) -> None:
    product.name = data["name"]
    product.base_code = data["base_code"]
    product.category_id = data["category"]
    product.attributes = data["attributes"]
    product.images = data["images"]
    product.videos = data["videos"]
    product.restrict_for_others = data["restrict_for_others"]
    product.catalog_product_id = data["catalog_product"]


@transaction.atomic
def products_approve(*, products: list[Product], actor) -> int:
    """Approve products waiting for approval (new ones, or ones with a pending change)."""
    now = timezone.now()
    ids = [product.pk for product in products]
    locked = list(
        Product.objects.select_for_update()
        .filter(pk__in=ids, approval_status=ApprovalStatus.PENDING)
        .order_by("pk")
    )
    pending = {
        revision.product_id: revision
        for revision in ProductRevision.objects.filter(
            product__in=locked, status=ApprovalStatus.PENDING
        )
    }
    for product in locked:
        revision = pending.get(product.pk)
        if revision is not None:
            _apply_revision_data(product, revision.data)
            revision.status, revision.decided_at, revision.decided_by = (
                ApprovalStatus.APPROVED,
                now,
                actor,
            )
        product.approved = True
        product.approval_status = ApprovalStatus.APPROVED
        product.rejection_reason = ""
        product.updated_at = now
    Product.objects.bulk_update(
        locked,
        ["name", "base_code", "category", "attributes", "images", "videos", "restrict_for_others",
         "catalog_product", "approved", "approval_status", "rejection_reason", "updated_at"],
    )  # fmt: skip
    ProductRevision.objects.bulk_update(
        list(pending.values()), ["status", "decided_at", "decided_by"]
    )
    search_index_refresh(product_ids=[product.pk for product in locked])
    return len(locked)


@transaction.atomic
def products_reject(*, products: list[Product], actor, reason: str) -> int:
    """Reject what waits for approval; an approved product keeps its approved data."""
    if not reason.strip():
        raise ValidationError({"reason": ["A reason is required to reject a product."]})
    now = timezone.now()
    ids = [product.pk for product in products]
    locked = list(
        Product.objects.select_for_update()
        .filter(pk__in=ids, approval_status=ApprovalStatus.PENDING)
        .order_by("pk")
    )
    ProductRevision.objects.filter(product__in=locked, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.REJECTED, reason=reason, decided_at=now, decided_by=actor
    )
    for product in locked:
        product.approval_status = ApprovalStatus.REJECTED
        product.rejection_reason = reason
        product.updated_at = now
    Product.objects.bulk_update(locked, ["approval_status", "rejection_reason", "updated_at"])
    return len(locked)


def search_index_refresh(*, product_ids: list[int]) -> None:
    """Bring the catalog search index up to date for these products (see pazar.catalog.search)."""
    from pazar.catalog import search

    search.index_refresh(product_ids=product_ids)
