"""Omnitron's dialect of the shared API conventions (omnitron.md §1).

* Rows are named by an integer `pk`, also sent as `id`; `uuid` is the Seller Center's id of the
  same row.
* Timestamps are `created_date` / `modified_date` (our columns are `created_at` / `updated_at`).
* Filters: every bare exact filter also answers to `field__exact`; integer ids filter with `pk`,
  `pk__in` and ranges; timestamps with `created_date` / `modified_date` and the date lookups. A
  repeated parameter (`?sku=A&sku=B`) matches any of its values (§12.8).
* A related row is written as its pk and read as a small object (`NestedOnReadField`).
"""

import copy

from django import forms
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from pazar.api.fields import CharField, PrimaryKeyRelatedField
from pazar.api.filters import (
    DATE_LOOKUPS,
    FilterSet,
    IntegerFilter,
    IntegerInFilter,
    IsoDateTimeFilter,
)

ID_LOOKUPS = ["exact", "in", "gt", "gte", "lt", "lte"]
TIMESTAMPS = {"created_date": "created_at", "modified_date": "updated_at"}


def _lookup_name(param: str, lookup: str) -> str:
    return param if lookup == "exact" else f"{param}__{lookup}"


class OmnitronFilterSet(FilterSet):
    """Adds Omnitron's id, timestamp and `__exact` filters to the model's declared ones."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        if model is None:
            return filters
        implied = {}
        pk = model._meta.pk
        if isinstance(pk, models.IntegerField):
            for lookup in ID_LOOKUPS:
                filter_class = IntegerInFilter if lookup == "in" else IntegerFilter
                implied[_lookup_name("pk", lookup)] = filter_class(
                    field_name=pk.name, lookup_expr=lookup
                )
        columns = {field.name for field in model._meta.get_fields()}
        for param, column in TIMESTAMPS.items():
            if column in columns:
                for lookup in DATE_LOOKUPS:
                    implied[_lookup_name(param, lookup)] = IsoDateTimeFilter(
                        field_name=column, lookup_expr=lookup
                    )
        for name, declared in list(filters.items()):
            if "__" not in name and declared.lookup_expr == "exact" and declared.method is None:
                implied[f"{name}__exact"] = copy.deepcopy(declared)
        for name, implied_filter in implied.items():
            filters.setdefault(name, implied_filter)
        return filters

    def filter_queryset(self, queryset):
        """Each filter in turn; one given several times keeps the rows any of its values finds."""
        for name, value in self.form.cleaned_data.items():
            values = self._repeated_values(name)
            if len(values) < 2:
                queryset = self.filters[name].filter(queryset, value)
                continue
            matches = [self.filters[name].filter(queryset, each) for each in values]
            queryset = queryset.filter(pk__in=_union_of_pks(matches))
        return queryset

    def _repeated_values(self, name: str) -> list:
        raw = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        if len(raw) < 2:
            return raw
        field = self.form.fields[name]
        try:
            return [field.clean(each) for each in raw]
        except forms.ValidationError as error:
            raise ValidationError({name: error.messages}) from None


def _union_of_pks(querysets):
    union = querysets[0].order_by().values("pk")
    for queryset in querysets[1:]:
        union = union.union(queryset.order_by().values("pk"))
    return union


class OmnitronModelSerializer(serializers.ModelSerializer):
    """Declares Omnitron's id and timestamp names; subclasses list the ones their model has."""

    serializer_related_field = PrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
    }
    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(source="pk", read_only=True)
    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
        "example": {"tr-tr": {"name": "Renk"}},
    }
)
class TranslationsField(serializers.JSONField):
    """`{"<language>": {"<field>": "<text>"}}`, e.g. `{"tr-tr": {"name": "Renk"}}`."""

    default_error_messages = {
        "shape": 'Expected an object of languages such as {{"tr-tr": {{"name": "…"}}}}.',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict) or not all(
            isinstance(entry, dict) and all(isinstance(text, str) for text in entry.values())
            for entry in data.values()
        ):
            self.fail("shape")
        return data


class NestedOnReadField(PrimaryKeyRelatedField):
    """Written as the related row's pk, read as `read_serializer`'s object."""

    def __init__(self, *, read_serializer, **kwargs):
        self.read_serializer = read_serializer
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_representation(self, value):
        return self.read_serializer(value, context=self.context).data


class NestedOnReadFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NestedOnReadField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return auto_schema.resolve_serializer(self.target.read_serializer, direction).ref
        return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
