"""Django-style query filters (`field__icontains=…`, `field__in=a,b`, `date__gte=…`).

Subclass `FilterSet` and declare `Meta.fields = {"name": TEXT_LOOKUPS, "created_at": DATE_LOOKUPS}`;
each lookup becomes a query parameter (`exact` is the bare name). A value that does not parse
gives a 400 naming the parameter: `?pk__lt=1.5` on an integer column is one, as is a date that
does not parse.
"""

import re
from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.fields import IsoDateTimeField
from django_filters.utils import get_model_field

TEXT_LOOKUPS = ["exact", "iexact", "contains", "icontains", "startswith", "istartswith", "in"]
CODE_LOOKUPS = ["exact", "iexact", "in"]
DATE_LOOKUPS = ["exact", "gt", "gte", "lt", "lte"]

# `?date=2025-01-01T10:00:00+03:00` sent without URL-encoding arrives with a space for the `+`.
_UNENCODED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class LenientIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        if isinstance(value, str):
            # RFC 3339 also allows a lower-case `t` and `z`.
            value = _UNENCODED_OFFSET.sub(r"\1+\2", value.strip()).upper()
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        # In UTC: PostgreSQL refuses offsets past ±15:59 that ISO 8601 (and Python) allow.
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            # 0001-01-01T00:30+01:00 is before year 1 in UTC, 9999-12-31T23:00-05:00 after year
            # 9999: valid RFC 3339 times no stored time lies beyond, compared as the nearest
            # time that can be stored.
            nearest = datetime.min if parsed.year == 1 else datetime.max
            return nearest.replace(tzinfo=UTC)


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


_WHOLE_NUMBER = re.compile(r"\s*[-+]?\d+\s*")


class WholeNumberField(forms.IntegerField):
    """Django's IntegerField, without its reading of `1.0` as 1: the documents say integer."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not _WHOLE_NUMBER.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (`1.5` is a 400), of any size: one past 64 bits matches nothing
    (`pazar.core.lookups`)."""

    field_class = WholeNumberField

    def get_max_validator(self):
        return None


def _in_filter(filter_class):
    return type(f"{filter_class.__name__}In", (django_filters.BaseInFilter, filter_class), {})


IntegerInFilter = _in_filter(IntegerFilter)


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
        models.BooleanField: {"filter_class": BooleanFilter},
    }

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        """A reference (`category=5`, `seller=<uuid>`) filters by the referenced key: an object
        that does not exist (or that the caller cannot see) finds nothing, as any other value
        that matches no row; only a value of the wrong type is a 400."""
        if isinstance(field, models.ForeignKey | models.ManyToManyField) and lookup_type in (
            "exact",
            "in",
        ):
            target = field.target_field
            if isinstance(target, models.UUIDField):
                filter_class = django_filters.UUIDFilter
            elif isinstance(target, models.IntegerField):
                filter_class = IntegerFilter
            else:
                filter_class = django_filters.CharFilter
            extra = {"distinct": True} if isinstance(field, models.ManyToManyField) else {}
            return (_in_filter(filter_class) if lookup_type == "in" else filter_class), extra
        return super().filter_for_lookup(field, lookup_type)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # Only the filters the query names (a range's `name_min`, `name_after` … too) are
            # copied and get a form field: a filter whose parameter is absent filters nothing,
            # and copying the 100-odd filters of a product list was most of a page's filtering.
            given = list(data)
            self.base_filters = {
                name: declared
                for name, declared in type(self).base_filters.items()
                if declared.extra.get("required")
                or any(key == name or key.startswith(f"{name}_") for key in given)
            }
        super().__init__(data, *args, **kwargs)
        for name, declared in list(self.filters.items()):
            strict = strict_filter(declared, self._meta.model)
            if strict is not declared:
                strict.parent = self
                self.filters[name] = strict

    def is_valid(self) -> bool:
        """An empty (or blank) value (`?created_date__gt=`) filters nothing for text, and a list
        is empty;
        for a number, date, boolean, id or choice it is a 400, as any other value that does not
        parse — alone or as an item of a list (`?sort=,,`, `?pk__in=1,,2`)."""
        valid = super().is_valid()
        if not self.is_bound:
            return valid
        for name, declared in self.filters.items():
            if isinstance(declared, django_filters.CharFilter) or name not in self.data:
                continue
            values = self.data.getlist(name)
            if isinstance(declared, django_filters.BaseCSVFilter):
                empty = any(
                    value and any(not item.strip() for item in value.split(",")) for value in values
                )
            else:
                empty = any(not value.strip() for value in values)
            if empty:
                if name not in self.form.errors:
                    self.form.add_error(name, "This value may not be empty.")
                valid = False
        return valid


def strict_filter(declared, model):
    """`declared` made to read its values as the documents say: booleans strictly, and whole
    numbers for an integer column (django-filter's NumberFilter reads `1.5` and refuses numbers
    past 1e50 there)."""
    if isinstance(declared, django_filters.BooleanFilter):
        declared.field_class = StrictNullBooleanField
        return declared
    is_in = isinstance(declared, django_filters.BaseInFilter)
    plain = type(declared) is django_filters.NumberFilter or (
        is_in
        and type(declared).__bases__ == (django_filters.BaseInFilter, django_filters.NumberFilter)
    )
    if not plain or declared._method is not None:
        return declared
    field = get_model_field(model, declared.field_name) if model is not None else None
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        field = field.target_field
    if not isinstance(field, models.IntegerField):
        return declared
    filter_class = IntegerInFilter if is_in else IntegerFilter
    strict = filter_class(
        field_name=declared.field_name,
        lookup_expr=declared.lookup_expr,
        label=declared._label,
        distinct=declared.distinct,
        exclude=declared.exclude,
        **declared.extra,
    )
    if hasattr(declared, "model"):
        strict.model = declared.model
    return strict
