"""Django-style query filters (`field__icontains=…`, `field__in=a,b`, `date__gte=…`).

Subclass `FilterSet` and declare `Meta.fields = {"name": TEXT_LOOKUPS, "created_at": DATE_LOOKUPS}`;
each lookup becomes a query parameter (`exact` is the bare name). A value that does not parse
gives a 400 naming the parameter: `?pk__lt=1.5` on an integer column is one, as is a date that
does not parse.
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


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: django-filter's NumberFilter takes any decimal (`1.5`) for an integer."""

    field_class = forms.IntegerField


class IntegerInFilter(django_filters.BaseInFilter, IntegerFilter):
    """`field__in=1,2,3`, each a whole number."""


# django-filter looks a model field's class up along its MRO: BigAutoField and BigIntegerField
# reach IntegerField; AutoField and the small/positive ones are listed by django-filter itself.
_INTEGER_COLUMNS = [
    models.AutoField,
    models.IntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.BigIntegerField,
]


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": IsoDateTimeFilter},
        **{column: {"filter_class": IntegerFilter} for column in _INTEGER_COLUMNS},
    }
