"""Django-style query filters (`field__icontains=…`, `field__in=a,b`, `date__gte=…`).

Subclass `FilterSet` and declare `Meta.fields = {"name": TEXT_LOOKUPS, "created_at": DATE_LOOKUPS}`;
each lookup becomes a query parameter (`exact` is the bare name). A value that does not parse
gives a 400 naming the parameter.
"""

import re
from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.fields import IsoDateTimeField

TEXT_LOOKUPS = ["exact", "iexact", "contains", "icontains", "startswith", "istartswith", "in"]
CODE_LOOKUPS = ["exact", "iexact", "in"]
DATE_LOOKUPS = ["exact", "gt", "gte", "lt", "lte"]

# `?date=2025-01-01T10:00:00+03:00` sent without URL-encoding arrives with a space for the `+`.
_UNENCODED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class LenientIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        if isinstance(value, str):
            value = _UNENCODED_OFFSET.sub(r"\1+\2", value.strip())
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        # In UTC: PostgreSQL refuses offsets past ±15:59 that ISO 8601 (and Python) allow.
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:00-05:00 is past year 9999 in UTC
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class IsoDateTimeFilter(django_filters.DateTimeFilter):
    field_class = LenientIsoDateTimeField


class StrictNullBooleanField(forms.NullBooleanField):
    """`true`/`false` (or `1`/`0`, any case); anything else is a 400, not a filter ignored."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    widget = forms.TextInput  # NullBooleanSelect reads any unknown value as "no filter"

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return None if value == "" else value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError("Enter true or false.", code="invalid") from None

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _in_filter(filter_class):
    return type(f"{filter_class.__name__}In", (django_filters.BaseInFilter, filter_class), {})


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": IsoDateTimeFilter},
        models.BooleanField: {"filter_class": BooleanFilter},
    }

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        """A reference (`category=5`, `seller=<uuid>`) filters by the referenced key: an object
        that does not exist (or that the caller cannot see) finds nothing, as any other value
        that matches no row; only a value of the wrong type is a 400."""
        if isinstance(field, models.ForeignKey) and lookup_type in ("exact", "in"):
            target = field.target_field
            if isinstance(target, models.UUIDField):
                filter_class = django_filters.UUIDFilter
            elif isinstance(target, models.IntegerField):
                filter_class = IntegerFilter
            else:
                filter_class = django_filters.CharFilter
            return (_in_filter(filter_class) if lookup_type == "in" else filter_class), {}
        return super().filter_for_lookup(field, lookup_type)
