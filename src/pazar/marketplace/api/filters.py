import re

import django_filters
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES
from rest_framework.exceptions import ValidationError

from pazar.api.filters import DATE_LOOKUPS, FilterSet
from pazar.catalog.models import Product
from pazar.inventory.models import StockList
from pazar.marketplace import selectors
from pazar.pricing.models import PriceList

ATTRIBUTE_PREFIX = "attribute__"
ATTRIBUTE_KEY_RE = re.compile(r"^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$")
ATTRIBUTE_LOOKUPS = {
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
}


class TextContainsFilter(django_filters.CharFilter):
    """`contains`/`icontains` on name, SKU or base code, narrowed by the trigram index first."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return selectors.narrow_by_text(qs, field=self.field_name, text=value)


class UUIDInFilter(django_filters.BaseInFilter, django_filters.UUIDFilter):
    pass


def parse_attribute_param(param: str) -> tuple[str, str]:
    """`attribute__COLOR__icontains` → ("COLOR", "icontains"); a 400 naming the parameter otherwise."""
    key, _, lookup = param[len(ATTRIBUTE_PREFIX) :].partition("__")
    lookup = lookup or "exact"
    if not ATTRIBUTE_KEY_RE.match(key) or lookup not in ATTRIBUTE_LOOKUPS:
        raise ValidationError(
            {
                param: [
                    f"Use attribute__<KEY> or attribute__<KEY>__<lookup>, lookup one of: {', '.join(sorted(ATTRIBUTE_LOOKUPS))}."
                ]
            }
        )
    return key, lookup


class ProductFilter(FilterSet):
    """PRD102 filters. `approved` defaults to true; `attribute__<KEY>[__lookup]` is open-ended."""

    name = django_filters.CharFilter()
    name__contains = TextContainsFilter(field_name="name", lookup_expr="contains")
    name__icontains = TextContainsFilter(field_name="name", lookup_expr="icontains")
    base_code = django_filters.CharFilter()
    base_code__contains = TextContainsFilter(field_name="base_code", lookup_expr="contains")
    base_code__icontains = TextContainsFilter(field_name="base_code", lookup_expr="icontains")
    sku = django_filters.CharFilter()
    sku__contains = TextContainsFilter(field_name="sku", lookup_expr="contains")
    sku__icontains = TextContainsFilter(field_name="sku", lookup_expr="icontains")
    category = django_filters.UUIDFilter(field_name="category__uuid")
    category__in = UUIDInFilter(field_name="category__uuid", lookup_expr="in")
    approved = django_filters.BooleanFilter(help_text="Defaults to true: only approved products.")

    class Meta:
        model = Product
        fields = {"created_at": DATE_LOOKUPS, "updated_at": DATE_LOOKUPS}

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("approved") is None:
            queryset = queryset.filter(approved=True)
        for position, (param, value) in enumerate(
            (param, value)
            for param, value in self.data.items()
            if param.startswith(ATTRIBUTE_PREFIX)
        ):
            key, lookup = parse_attribute_param(param)
            # The attribute's value as text (numbers too), compared with the text lookups.
            alias = f"attribute_{position}"
            queryset = queryset.alias(**{alias: selectors.attribute_text(key)}).filter(
                **{f"{alias}__{lookup}": value}
            )
        return queryset

    # The filters besides attributes that the kept counts answer (selectors.CountedFilter).
    COUNTED_FILTERS = {"approved", "category", "category__in"}
    DATE_FILTERS = {f"{field}__{lookup}" if lookup != "exact" else field
                    for field in ("created_at", "updated_at") for lookup in DATE_LOOKUPS}  # fmt: skip

    def counted_filter(self) -> selectors.CountedFilter | None:
        """This (valid) filter as the kept counts can answer it, or None if they cannot: a text
        filter, more than one attribute, or an attribute compared otherwise than exactly."""
        if not self.is_valid():
            return None
        data, categories, dates = self.form.cleaned_data, [], Q()
        for name, value in data.items():
            if value in EMPTY_VALUES:
                continue  # a filter django-filter leaves out
            if name in self.DATE_FILTERS:
                dates &= Q(**{name: value})
            elif name in ("category", "category__in"):
                categories.append(frozenset([value] if name == "category" else value))
            elif name not in self.COUNTED_FILTERS:
                return None
        attributes = [
            (param, value)
            for param, value in self.data.items()
            if param.startswith(ATTRIBUTE_PREFIX)
        ]
        if len(attributes) > 1:
            return None
        attribute = None
        if attributes:
            [(param, value)] = attributes
            key, lookup = parse_attribute_param(param)
            if lookup != "exact" or not selectors.attribute_is_counted(key):
                return None
            attribute = (key, value)
        approved = data.get("approved")
        return selectors.CountedFilter(
            approved=True if approved is None else approved,
            categories=tuple(categories),
            attribute=attribute,
            dates=dates if dates else None,
        )


class PriceListFilter(FilterSet):
    class Meta:
        model = PriceList
        fields = {
            "name": ["exact", "contains", "icontains"],
            "code": ["exact"],
            "currency": ["exact"],
            "created_at": DATE_LOOKUPS,
            "updated_at": DATE_LOOKUPS,
        }


class StockListFilter(FilterSet):
    class Meta:
        model = StockList
        fields = {
            "name": ["exact", "contains", "icontains"],
            "code": ["exact"],
            "created_at": DATE_LOOKUPS,
            "updated_at": DATE_LOOKUPS,
        }
