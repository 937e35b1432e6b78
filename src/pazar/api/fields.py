"""Serializer fields shared by several Omnitron resources."""

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS


class CharField(serializers.CharField):
    """DRF's CharField with its `max_length` counted on the text as sent, which is what a
    schema's `maxLength` says: surrounding whitespace is still trimmed from what is stored, but
    it no longer lets a longer text through."""

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, str) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


@extend_schema_field({"type": "object", "additionalProperties": {}, "example": {"erp_id": "7"}})
class JSONObjectField(serializers.JSONField):
    """A free JSON object (`{}` at least); a list, string or number is a 400."""

    default_error_messages = {"not_an_object": "Expected an object."}

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            self.fail("not_an_object")
        return data


class ListOnlyManyRelatedField(serializers.ManyRelatedField):
    """A list of related ids, and only a list: DRF's own field walks an object's keys as if they
    were the list (`{"<id>": …}` read as `["<id>"]`, `{}` as `[]`), where its `ListField` says
    "Expected a list of items"; this one says so too."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """DRF's, with `many=True` a `ListOnlyManyRelatedField`. Model serializers use it for their
    generated relations (`serializer_related_field`)."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: kwargs[key] for key in kwargs if key in MANY_RELATION_KWARGS})
        return ListOnlyManyRelatedField(**list_kwargs)


# Plain formatter for serializers that write their lists directly (`to_representation`), as
# fast paths for pages and bulk answers of up to 1000 rows; it matches DRF's own output
# (dates: `pazar.core.dates.utc_text`).


def decimal_text(value, places: int) -> str | None:
    """DRF's DecimalField output (COERCE_DECIMAL_TO_STRING): `Decimal("5")` → "5.00"."""
    return None if value is None else f"{value:.{places}f}"
