import django_filters
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from pazar.api.filters import DATE_LOOKUPS, TEXT_LOOKUPS, IntegerFilter, IntegerInFilter
from pazar.api.omnitron import OmnitronFilterSet
from pazar.catalog.api.json_filters import json_key_filter
from pazar.catalog.models import (
    ApprovalStatus,
    Attribute,
    AttributeSet,
    AttributeValue,
    Category,
    CategoryAttribute,
    Product,
)

RELATION_LOOKUPS = ["exact", "in"]
NUMBER_LOOKUPS = ["exact", "gt", "gte", "lt", "lte", "isnull"]


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class SortFilter(django_filters.OrderingFilter):
    """`sort=<field>[,<field>…]`, `-<field>` descending; ties are broken by pk."""

    def __init__(self, *fields: str, **kwargs):
        names = {
            "pk": "pk",
            "id": "id",
            "created_date": "created_at",
            "modified_date": "updated_at",
        }
        names.update((field, field) for field in fields)
        kwargs.setdefault("help_text", f"Order by {', '.join(names)}; `-field` reverses.")
        super().__init__(fields=[(column, name) for name, column in names.items()], **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value], "pk")


class AttributeFilter(OmnitronFilterSet):
    class Meta:
        model = Attribute
        fields = {
            "key": TEXT_LOOKUPS,
            "name": TEXT_LOOKUPS,
            "data_type": ["exact", "in"],
            "erp_code": TEXT_LOOKUPS,
            "pre_attribute": ["exact"],
            "is_required": ["exact"],
            "is_localizable": ["exact"],
        }


class AttributeValueFilter(OmnitronFilterSet):
    # Omnitron's `value` and `erp_code` are (case-sensitive) containment matches.
    value = django_filters.CharFilter(lookup_expr="contains")
    value__exact = django_filters.CharFilter(field_name="value", lookup_expr="exact")
    erp_code = django_filters.CharFilter(lookup_expr="contains")
    erp_code__exact = django_filters.CharFilter(field_name="erp_code", lookup_expr="exact")

    class Meta:
        model = AttributeValue
        fields = {
            "attribute": RELATION_LOOKUPS,
            "attribute__key": ["exact"],
            "label": TEXT_LOOKUPS,
            "value": ["iexact", "icontains", "startswith", "istartswith", "in"],
            "erp_code": ["iexact", "icontains", "in"],
        }


class AttributeSetFilter(OmnitronFilterSet):
    attribute = IntegerFilter(
        field_name="attributeconfig__attribute",
        distinct=True,
        help_text="Sets holding this attribute (pk).",
    )

    class Meta:
        model = AttributeSet
        fields = {"name": TEXT_LOOKUPS, "attribute_set_type": ["exact", "in"]}


class CategoryNodeFilter(OmnitronFilterSet):
    class Meta:
        model = Category
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "parent": [*RELATION_LOOKUPS, "isnull"],
        }


class CategoryAttributeFilter(OmnitronFilterSet):
    class Meta:
        model = CategoryAttribute
        fields = {
            "category": RELATION_LOOKUPS,
            "attribute": RELATION_LOOKUPS,
            "is_required": ["exact"],
            "is_variant": ["exact"],
            "is_offer": ["exact"],
        }


class PreProductFilter(OmnitronFilterSet):
    """Without an `approval_status` filter, only products waiting for approval are listed."""

    class Meta:
        model = Product
        fields = {
            "approval_status": ["exact", "in"],
            "approved": ["exact"],
            "seller": RELATION_LOOKUPS,
            "sku": TEXT_LOOKUPS,
            "base_code": TEXT_LOOKUPS,
            "name": TEXT_LOOKUPS,
            "category": RELATION_LOOKUPS,
        }

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if not data.get("approval_status") and not data.get("approval_status__in"):
            queryset = queryset.filter(approval_status=ApprovalStatus.PENDING)
        return super().filter_queryset(queryset)


# --- products -----------------------------------------------------------------------------

JSON_FILTER_FIELDS = (
    "attributes",
    "attributes_kwargs",
    "localized_attributes",
    "localized_attributes_kwargs",
    "extra_attributes",
)


class ProductFilter(OmnitronFilterSet):
    """Every filter of omnitron.md §4, plus `<json field>__<key>` (see json_filters)."""

    # Omnitron's `sku` ignores case; `sku__exact` does not.
    sku = django_filters.CharFilter(lookup_expr="iexact")
    sku__exact = django_filters.CharFilter(field_name="sku", lookup_expr="exact")
    base_code__exclude = CharInFilter(
        field_name="base_code", lookup_expr="in", exclude=True, help_text="Comma-separated."
    )
    is_seller_product = django_filters.BooleanFilter(
        field_name="seller", lookup_expr="isnull", exclude=True
    )
    data_source = django_filters.UUIDFilter(field_name="seller_id")
    data_source__isnull = django_filters.BooleanFilter(field_name="seller", lookup_expr="isnull")
    group_products = IntegerFilter(field_name="group_products", distinct=True)
    group_products__in = IntegerInFilter(
        field_name="group_products", lookup_expr="in", distinct=True
    )
    erp_categories = django_filters.CharFilter(
        method="filter_erp_categories", help_text="Products in this ERP category."
    )
    # Related rows by pk: an unknown pk matches nothing (no 400, unlike a choice filter).
    parent = IntegerFilter(field_name="parent_id")
    parent__in = IntegerInFilter(field_name="parent_id", lookup_expr="in")
    parent__isnull = django_filters.BooleanFilter(field_name="parent_id", lookup_expr="isnull")
    attribute_set = IntegerFilter(field_name="attribute_set_id")
    attribute_set__in = IntegerInFilter(field_name="attribute_set_id", lookup_expr="in")
    attribute_set__isnull = django_filters.BooleanFilter(
        field_name="attribute_set_id", lookup_expr="isnull"
    )
    custom_attribute_set = IntegerFilter(field_name="custom_attribute_set_id")
    custom_attribute_set__in = IntegerInFilter(
        field_name="custom_attribute_set_id", lookup_expr="in"
    )
    custom_attribute_set__isnull = django_filters.BooleanFilter(
        field_name="custom_attribute_set_id", lookup_expr="isnull"
    )
    category = IntegerFilter(field_name="category_id")
    category__in = IntegerInFilter(field_name="category_id", lookup_expr="in")
    category__isnull = django_filters.BooleanFilter(field_name="category_id", lookup_expr="isnull")
    sort = SortFilter(
        "name", "sku", "base_code", "product_type", "is_active", "listing_code", "brand",
        "tax_rate", "weight", "productization_date",
    )  # fmt: skip

    class Meta:
        model = Product
        fields = {
            "name": TEXT_LOOKUPS,
            "sku": ["iexact", "contains", "icontains", "startswith", "istartswith", "in"],
            "base_code": TEXT_LOOKUPS,
            "uuid": ["exact", "in"],
            "is_active": ["exact"],
            "product_type": ["exact", "in"],
            "listing_code": TEXT_LOOKUPS,
            "brand": TEXT_LOOKUPS,
            "description": TEXT_LOOKUPS,
            "tax_rate": NUMBER_LOOKUPS,
            "weight": NUMBER_LOOKUPS,
            "productization_date": [*DATE_LOOKUPS, "isnull"],
        }

    def filter_erp_categories(self, queryset, name, value):
        if connection.vendor == "postgresql":
            return queryset.filter(erp_categories__contains=[value])
        in_list = RawSQL(
            "EXISTS (SELECT 1 FROM json_each(catalog_product.erp_categories) AS item "
            "WHERE item.value = %s)",
            [value],
            output_field=BooleanField(),
        )
        return queryset.alias(_in_erp_category=in_list).filter(_in_erp_category=True)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        position = 0
        for param in self.data:
            field = next((f for f in JSON_FILTER_FIELDS if param.startswith(f"{f}__")), None)
            if field is not None:
                texts = (
                    self.data.getlist(param)
                    if hasattr(self.data, "getlist")
                    else [self.data[param]]
                )
                queryset = json_key_filter(queryset, field, param, texts, position=position)
                position += 1
        return queryset
