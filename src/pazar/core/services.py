"""Helpers shared by the apps' services."""

from django.core.exceptions import ValidationError
from django.db import models


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
