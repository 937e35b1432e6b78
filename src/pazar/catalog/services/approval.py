"""Writes of the category tree and attribute definitions."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pazar.api.errors import ApplicationError
from pazar.catalog.error_codes import ErrorCode
from pazar.catalog.models import (
    ApprovalStatus,
    Attribute,
    AttributeValue,
    Category,
    CategoryAttribute,
    DataType,
    Product,
    ProductRevision,
)
from pazar.core.services import field_error, model_update


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


# --- the operator's writes (Omnitron API) --------------------------------------------------

ATTRIBUTE_FIELDS = ["key", "name", "data_type", "default_value", "is_localizable", "translations"]
ATTRIBUTE_VALUE_FIELDS = ["attribute", "label", "value", "order", "translations"]
CATEGORY_FIELDS = ["name", "code", "parent", "order", "translations"]
CATEGORY_ATTRIBUTE_FIELDS = [
    "category",
    "attribute",
    "is_required",
    "is_variant",
    "is_offer",
    "order",
]


def _check_attribute_key(key: str, *, exclude: Attribute | None = None) -> None:
    clash = Attribute.objects.filter(key=key).exclude(pk=getattr(exclude, "pk", None))
    if clash.exists():
        raise field_error(
            "key", f'An attribute with the key "{key}" already exists.', ErrorCode.ATTRIBUTE_EXISTS
        )


@transaction.atomic
def attribute_create(
    *,
    key: str,
    name: str,
    data_type: str = DataType.TEXT,
    default_value=None,
    is_localizable: bool = False,
    translations: dict | None = None,
) -> Attribute:
    """An attribute definition; its key is stored upper-case (`color` → `COLOR`)."""
    key = key.strip().upper()
    _check_attribute_key(key)
    return Attribute.objects.create(
        key=key,
        name=name,
        data_type=data_type,
        default_value=default_value,
        is_localizable=is_localizable,
        translations=translations or {},
    )


@transaction.atomic
def attribute_update(*, attribute: Attribute, data: dict) -> Attribute:
    if "key" in data:
        data = {**data, "key": data["key"].strip().upper()}
        _check_attribute_key(data["key"], exclude=attribute)
    model_update(instance=attribute, fields=ATTRIBUTE_FIELDS, data=data)
    return attribute


@transaction.atomic
def attribute_delete(*, attribute: Attribute) -> None:
    """Its values and category links go with it; products keep what they hold under its key."""
    attribute.delete()


def _check_attribute_value(
    attribute: Attribute, value: str, *, exclude: AttributeValue | None = None
) -> None:
    clash = AttributeValue.objects.filter(attribute=attribute, value=value)
    if clash.exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "value",
            f'The attribute "{attribute.key}" already has the value "{value}".',
            ErrorCode.ATTRIBUTE_VALUE_EXISTS,
        )


@transaction.atomic
def attribute_value_create(
    *,
    attribute: Attribute,
    label: str,
    value: str,
    order: int = 0,
    translations: dict | None = None,
) -> AttributeValue:
    _check_attribute_value(attribute, value)
    return AttributeValue.objects.create(
        attribute=attribute, label=label, value=value, order=order, translations=translations or {}
    )


@transaction.atomic
def attribute_value_update(*, attribute_value: AttributeValue, data: dict) -> AttributeValue:
    if "attribute" in data or "value" in data:
        _check_attribute_value(
            data.get("attribute", attribute_value.attribute),
            data.get("value", attribute_value.value),
            exclude=attribute_value,
        )
    model_update(instance=attribute_value, fields=ATTRIBUTE_VALUE_FIELDS, data=data)
    return attribute_value


@transaction.atomic
def attribute_value_delete(*, attribute_value: AttributeValue) -> None:
    attribute_value.delete()


def _check_category(
    category: Category, *, code: str, parent: Category | None, exclude: Category | None = None
) -> None:
    if Category.objects.filter(code=code).exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "code", f'A category with the code "{code}" already exists.', ErrorCode.CATEGORY_EXISTS
        )
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == category.pk:
            raise field_error(
                "parent",
                "A category cannot be placed under itself or one of its subcategories.",
                ErrorCode.CATEGORY_CYCLE,
            )
        ancestor = ancestor.parent


@transaction.atomic
def category_create(
    *,
    name: str,
    code: str,
    parent: Category | None = None,
    order: int = 0,
    translations: dict | None = None,
) -> Category:
    category = Category(
        name=name, code=code, parent=parent, order=order, translations=translations or {}
    )
    _check_category(category, code=code, parent=parent)
    category.save()
    return category


@transaction.atomic
def category_update(*, category: Category, data: dict) -> Category:
    _check_category(
        category,
        code=data.get("code", category.code),
        parent=data.get("parent", category.parent),
        exclude=category,
    )
    model_update(instance=category, fields=CATEGORY_FIELDS, data=data)
    return category


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Only a category without subcategories and products can go (both are PROTECTed)."""
    # The row lock keeps products and subcategories from being attached until we are done.
    category = Category.objects.select_for_update().get(pk=category.pk)
    children, products = category.children.count(), category.products.count()
    if children or products:
        held = [
            _counted(children, "subcategory", "subcategories") if children else "",
            _counted(products, "product", "products") if products else "",
        ]
        raise ApplicationError(
            f'The category "{category.name}" has {" and ".join(filter(None, held))}; '
            "move or delete them before deleting it.",
            code=ErrorCode.CATEGORY_IN_USE,
        )
    category.delete()


def _check_category_attribute(
    category: Category, attribute: Attribute, *, exclude: CategoryAttribute | None = None
) -> None:
    clash = CategoryAttribute.objects.filter(category=category, attribute=attribute)
    if clash.exclude(pk=getattr(exclude, "pk", None)).exists():
        raise field_error(
            "attribute",
            f'The category "{category.name}" already has the attribute "{attribute.key}".',
            ErrorCode.CATEGORY_ATTRIBUTE_EXISTS,
        )


@transaction.atomic
def category_attribute_create(
    *,
    category: Category,
    attribute: Attribute,
    is_required: bool = False,
    is_variant: bool = False,
    is_offer: bool = False,
    order: int = 0,
) -> CategoryAttribute:
    _check_category_attribute(category, attribute)
    return CategoryAttribute.objects.create(
        category=category,
        attribute=attribute,
        is_required=is_required,
        is_variant=is_variant,
        is_offer=is_offer,
        order=order,
    )


@transaction.atomic
def category_attribute_update(*, link: CategoryAttribute, data: dict) -> CategoryAttribute:
    if "category" in data or "attribute" in data:
        _check_category_attribute(
            data.get("category", link.category), data.get("attribute", link.attribute), exclude=link
        )
    model_update(instance=link, fields=CATEGORY_ATTRIBUTE_FIELDS, data=data)
    return link


@transaction.atomic
def category_attribute_delete(*, link: CategoryAttribute) -> None:
    link.delete()


# --- the approval queue, by product id (Omnitron pre-products) ------------------------------


@dataclass(frozen=True)
class ApprovalOutcome:
    decided: int
    not_pending: list[int]


def _locked_seller_products(ids: list[int]) -> list[Product]:
    products = list(
        Product.objects.select_for_update().filter(pk__in=ids, seller__isnull=False).order_by("pk")
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
    """Approve sellers' products by id; those not waiting for approval are left as they are."""
    products = _locked_seller_products(ids)
    decided = products_approve(products=products, actor=actor)
    return ApprovalOutcome(decided=decided, not_pending=_not_pending(products))


@transaction.atomic
def pre_products_reject(*, ids: list[int], actor, reason: str) -> ApprovalOutcome:
    products = _locked_seller_products(ids)
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
