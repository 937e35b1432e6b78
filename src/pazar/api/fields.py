"""Serializer fields shared by several Omnitron resources."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "object", "additionalProperties": {}, "example": {"erp_id": "7"}})
class JSONObjectField(serializers.JSONField):
    """A free JSON object (`{}` at least); a list, string or number is a 400."""

    default_error_messages = {"not_an_object": "Expected an object."}

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            self.fail("not_an_object")
        return data


# Plain formatter for serializers that write their lists directly (`to_representation`), as
# fast paths for pages and bulk answers of up to 1000 rows; it matches DRF's own output
# (dates: `pazar.core.dates.utc_text`).


def decimal_text(value, places: int) -> str | None:
    """DRF's DecimalField output (COERCE_DECIMAL_TO_STRING): `Decimal("5")` → "5.00"."""
    return None if value is None else f"{value:.{places}f}"
