"""Helpers shared by the apps' services, and the writes of dynamic settings."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from pazar.core.dynamic_settings import DEFINITIONS
from pazar.core.models import DynamicSetting


def model_update(*, instance: models.Model, fields: list[str], data: dict) -> bool:
    """Set those of `fields` that `data` carries and save only them (with `updated_at`).

    Many-to-many fields are the caller's to set. Returns whether anything changed.
    """
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return bool(changed)


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A `{field: [message]}` validation error whose message carries `code`."""
    return ValidationError({field: ValidationError(message, code=code)})


@transaction.atomic
def dynamic_setting_set(*, key: str, value) -> tuple[DynamicSetting, bool]:
    """Store a known setting's value (checked by its definition); returns (row, created)."""
    definition = DEFINITIONS.get(key)
    if definition is None:
        known = ", ".join(sorted(DEFINITIONS))
        raise field_error("key", f"Unknown setting {key!r}; known settings: {known}.", "unknown")
    try:
        cleaned = definition.clean(value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.error_list}) from None
    return DynamicSetting.objects.update_or_create(key=key, defaults={"value": cleaned})


@transaction.atomic
def dynamic_setting_delete(*, setting: DynamicSetting) -> None:
    """Forget a stored value: the setting has its default again."""
    setting.delete()
