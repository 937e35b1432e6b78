"""Writes of the category tree and of the attributes each category's products carry."""

from django.db import transaction

from pazar.catalog.error_codes import ErrorCode
from pazar.catalog.models import Attribute, Category, CategoryAttribute
from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update

CATEGORY_FIELDS = ["name", "code", "parent", "order", "translations"]
CATEGORY_ATTRIBUTE_FIELDS = [
    "category",
    "attribute",
    "is_required",
    "is_variant",
    "is_offer",
    "order",
]


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


@transaction.atomic
def category_touch(*, category: Category) -> Category:
    """Mark a category changed (its `modified_date` moves) without changing a field.

    Sales-channel connectors touch a node to version it (`PATCH category_nodes/{id}/ {}`).
    """
    category.save(update_fields=["updated_at"])
    return category
