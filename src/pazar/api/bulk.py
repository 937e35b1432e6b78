"""The envelope rules of bulk bodies, checked before anything is stored."""

from django.conf import settings
from rest_framework.exceptions import ValidationError


def validate_bulk_list(data, *, allow_single: bool = False) -> list:
    """Return `data` as a list of 1..PAZAR_BULK_MAX_ITEMS JSON objects, or raise a 400.

    With `allow_single`, one bare object is accepted as a list of one.
    """
    if allow_single and isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValidationError(
            {
                "non_field_errors": [
                    f'Expected a list of items but got type "{type(data).__name__}".'
                ]
            },
            code="not_a_list",
        )
    limit = settings.PAZAR_BULK_MAX_ITEMS
    if not data:
        raise ValidationError({"non_field_errors": ["This list may not be empty."]}, code="empty")
    if len(data) > limit:
        raise ValidationError(
            {
                "non_field_errors": [
                    f"Ensure this list has no more than {limit} items; it has {len(data)}."
                ]
            },
            code="max_length",
        )
    not_objects = [index for index, item in enumerate(data) if not isinstance(item, dict)]
    if not_objects:
        raise ValidationError(
            {str(index): ["Expected an object."] for index in not_objects[:20]}, code="invalid"
        )
    return data
