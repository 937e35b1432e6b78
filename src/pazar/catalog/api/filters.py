import django_filters

from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.catalog.models import (
    ApprovalStatus,
    Attribute,
    AttributeValue,
    Category,
    CategoryAttribute,
    Product,
)

RELATION_LOOKUPS = ["exact", "in"]


class AttributeFilter(OmnitronFilterSet):
    class Meta:
        model = Attribute
        fields = {
            "key": TEXT_LOOKUPS,
            "name": TEXT_LOOKUPS,
            "data_type": ["exact", "in"],
            "is_localizable": ["exact"],
        }


class AttributeValueFilter(OmnitronFilterSet):
    # Omnitron's `value` is a (case-sensitive) containment match; `value__exact` is exact.
    value = django_filters.CharFilter(lookup_expr="contains")
    value__exact = django_filters.CharFilter(field_name="value", lookup_expr="exact")

    class Meta:
        model = AttributeValue
        fields = {
            "attribute": RELATION_LOOKUPS,
            "attribute__key": ["exact"],
            "label": TEXT_LOOKUPS,
            "value": ["iexact", "icontains", "startswith", "istartswith", "in"],
        }


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
