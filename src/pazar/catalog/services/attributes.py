"""Writes of attribute definitions, their allowed values, and attribute sets."""

from django.db import transaction
from django.db.models import Q

from pazar.catalog.error_codes import ErrorCode
from pazar.catalog.models import (
    Attribute,
    AttributeConfig,
    AttributeSet,
    AttributeSetType,
    AttributeValue,
    DataType,
    Product,
)
from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update

ATTRIBUTE_FIELDS = [
    "key", "name", "description", "data_type", "default_value", "erp_code", "pre_attribute",
    "is_required", "is_localizable", "translations",
]  # fmt: skip
ATTRIBUTE_VALUE_FIELDS = ["attribute", "label", "value", "order", "erp_code", "translations"]
ATTRIBUTE_SET_FIELDS = ["name", "attribute_set_type"]
CONFIG_FIELDS = ["is_required", "is_variant", "is_visible", "order"]


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
    description: str = "",
    default_value=None,
    erp_code: str = "",
    pre_attribute: bool = False,
    is_required: bool = False,
    is_localizable: bool = False,
    translations: dict | None = None,
) -> Attribute:
    """An attribute definition; its key is stored upper-case (`color` → `COLOR`)."""
    key = key.strip().upper()
    _check_attribute_key(key)
    return Attribute.objects.create(
        key=key,
        name=name,
        description=description,
        data_type=data_type,
        default_value=default_value,
        erp_code=erp_code,
        pre_attribute=pre_attribute,
        is_required=is_required,
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
    """Its values, category links and set configs go with it; products keep what they hold."""
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
    erp_code: str = "",
    translations: dict | None = None,
) -> AttributeValue:
    _check_attribute_value(attribute, value)
    return AttributeValue.objects.create(
        attribute=attribute,
        label=label,
        value=value,
        order=order,
        erp_code=erp_code,
        translations=translations or {},
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


# --- attribute sets -----------------------------------------------------------------------


def _configs_replace(attribute_set: AttributeSet, configs: list[dict]) -> None:
    """Make the set's configs exactly `configs` (`{"attribute", "is_required", …}` each).

    A config of an attribute already in the set is updated in place (its pk stays); configs of
    attributes no longer listed are deleted. Three statements whatever the number.
    """
    seen = set()
    for config in configs:
        if config["attribute"].pk in seen:
            raise field_error(
                "attributeconfig_set",
                f'The attribute "{config["attribute"].key}" appears twice in the set.',
                ErrorCode.DUPLICATE_ATTRIBUTE_CONFIG,
            )
        seen.add(config["attribute"].pk)
    existing = {
        config.attribute_id: config
        for config in AttributeConfig.objects.select_for_update().filter(
            attribute_set=attribute_set
        )
    }
    AttributeConfig.objects.filter(attribute_set=attribute_set).exclude(
        attribute_id__in=seen
    ).delete()
    changed, created = [], []
    for item in configs:
        config = existing.get(item["attribute"].pk)
        if config is None:
            config = AttributeConfig(attribute_set=attribute_set, attribute=item["attribute"])
            created.append(config)
        else:
            changed.append(config)
        for field in CONFIG_FIELDS:
            if field in item:
                setattr(config, field, item[field])
    AttributeConfig.objects.bulk_update(changed, CONFIG_FIELDS)
    AttributeConfig.objects.bulk_create(created)


@transaction.atomic
def attribute_set_create(
    *,
    name: str,
    attribute_set_type: str = AttributeSetType.SIMPLE,
    configs: list[dict] | None = None,
) -> AttributeSet:
    """A set and its configs, all or nothing; `configs` as in `_configs_replace`."""
    attribute_set = AttributeSet.objects.create(name=name, attribute_set_type=attribute_set_type)
    _configs_replace(attribute_set, configs or [])
    return attribute_set


@transaction.atomic
def attribute_set_update(
    *, attribute_set: AttributeSet, data: dict, configs: list[dict] | None = None
) -> AttributeSet:
    """Change the set; with `configs`, its configs become exactly those (None keeps them)."""
    changed = model_update(instance=attribute_set, fields=ATTRIBUTE_SET_FIELDS, data=data)
    if configs is not None:
        _configs_replace(attribute_set, configs)
        if not changed:
            attribute_set.save(update_fields=["updated_at"])
    return attribute_set


@transaction.atomic
def attribute_set_delete(*, attribute_set: AttributeSet) -> None:
    """Only a set no product uses can go; its configs go with it."""
    attribute_set = AttributeSet.objects.select_for_update().get(pk=attribute_set.pk)
    used = Product.objects.filter(
        Q(attribute_set=attribute_set) | Q(custom_attribute_set=attribute_set)
    ).count()
    if used:
        raise ApplicationError(
            f'The attribute set "{attribute_set.name}" is used by {used} '
            f"product{'' if used == 1 else 's'}; change their attribute set before deleting it.",
            code=ErrorCode.ATTRIBUTE_SET_IN_USE,
        )
    attribute_set.delete()
