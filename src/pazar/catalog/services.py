"""Writes of the category tree and attribute definitions."""

from django.db import transaction

from pazar.catalog.models import Attribute, AttributeValue, Category, CategoryAttribute


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
