"""Approval: sellers' new products and changes, and the operator's pre-products.

Approving productizes: a pre-product type becomes its final type (pre_product → simple,
pre_miscellaneous → miscellaneous) and `productization_date` is set the first time.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pazar.catalog.error_codes import ErrorCode
from pazar.catalog.models import (
    PRE_PRODUCT_TYPES,
    PRODUCTIZED_TYPES,
    ApprovalStatus,
    Product,
    ProductRevision,
    revision_apply,
)
from pazar.catalog.services.search_index import search_index_refresh
from pazar.core.errors import ApplicationError
from pazar.core.services import field_error

# --- approval of sellers' products ---------------------------------------------------------


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
            revision_apply(product, revision.data)
            revision.status, revision.decided_at, revision.decided_by = (
                ApprovalStatus.APPROVED,
                now,
                actor,
            )
        product.approved = True
        product.approval_status = ApprovalStatus.APPROVED
        product.rejection_reason = ""
        product.product_type = PRODUCTIZED_TYPES.get(product.product_type, product.product_type)
        product.productization_date = product.productization_date or now
        product.updated_at = now
    Product.objects.bulk_update(
        locked,
        ["name", "base_code", "category", "attributes", "images", "videos", "restrict_for_others",
         "catalog_product", "approved", "approval_status", "rejection_reason", "product_type",
         "productization_date", "updated_at"],
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


# --- the approval queue, by product id (Omnitron pre-products) ------------------------------


@dataclass(frozen=True)
class ApprovalOutcome:
    decided: int
    not_pending: list[int]


PRE_PRODUCTS = Q(seller__isnull=False) | Q(product_type__in=PRE_PRODUCT_TYPES)


def _locked_pre_products(ids: list[int]) -> list[Product]:
    products = list(
        Product.objects.select_for_update().filter(PRE_PRODUCTS, pk__in=ids).order_by("pk")
    )
    unknown = sorted(set(ids) - {product.pk for product in products})
    if unknown:
        raise field_error(
            "ids",
            f"Unknown pre-product ids: {', '.join(map(str, unknown))}.",
            ErrorCode.UNKNOWN_PRODUCTS,
        )
    return products


def _not_pending(products: list[Product]) -> list[int]:
    return [product.pk for product in products if product.approval_status != ApprovalStatus.PENDING]


@transaction.atomic
def pre_products_approve(*, ids: list[int], actor) -> ApprovalOutcome:
    """Approve pre-products by id; those not waiting for approval are left as they are."""
    products = _locked_pre_products(ids)
    decided = products_approve(products=products, actor=actor)
    return ApprovalOutcome(decided=decided, not_pending=_not_pending(products))


@transaction.atomic
def pre_products_reject(*, ids: list[int], actor, reason: str) -> ApprovalOutcome:
    products = _locked_pre_products(ids)
    decided = products_reject(products=products, actor=actor, reason=reason)
    return ApprovalOutcome(decided=decided, not_pending=_not_pending(products))


def _raise_not_pending(product: Product) -> None:
    product.refresh_from_db(fields=["approval_status"])
    raise ApplicationError(
        f'Product {product.pk} is not waiting for approval; its status is "{product.approval_status}".',
        code=ErrorCode.NOT_PENDING,
    )


@transaction.atomic
def pre_product_approve(*, product: Product, actor) -> Product:
    """Approve one product waiting for approval, or say why it cannot be."""
    if not products_approve(products=[product], actor=actor):
        _raise_not_pending(product)
    product.refresh_from_db()
    return product


@transaction.atomic
def pre_product_reject(*, product: Product, actor, reason: str) -> Product:
    if not products_reject(products=[product], actor=actor, reason=reason):
        _raise_not_pending(product)
    product.refresh_from_db()
    return product
