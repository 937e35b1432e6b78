import django_filters

from pazar.api.filters import CODE_LOOKUPS, TEXT_LOOKUPS, IntegerFilter
from pazar.api.omnitron import OmnitronFilterSet
from pazar.whippy.models import Provider, Stock, StockList, StockListRule, StockLocation

RELATION_LOOKUPS = ["exact", "in"]


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class ProviderFilter(OmnitronFilterSet):
    class Meta:
        model = Provider
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "should_add_reservations": ["exact"],
            "is_active": ["exact"],
        }


class StockLocationFilter(OmnitronFilterSet):
    class Meta:
        model = StockLocation
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "provider": RELATION_LOOKUPS,
            "provider__code": CODE_LOOKUPS,
            "is_active": ["exact"],
        }


class StockListRuleFilter(OmnitronFilterSet):
    class Meta:
        model = StockListRule
        fields = {"name": TEXT_LOOKUPS, "rule_type": ["exact", "in"], "is_active": ["exact"]}


class StockListFilter(OmnitronFilterSet):
    remote_id = IntegerFilter(field_name="remote")

    class Meta:
        model = StockList
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "stock_list_rule": RELATION_LOOKUPS,
            "is_active": ["exact"],
        }


class StockFilter(OmnitronFilterSet):
    """`provider` and `location` are codes, as stock feeds send them."""

    provider = django_filters.CharFilter(field_name="location__provider__code")
    provider__in = CharInFilter(field_name="location__provider__code", lookup_expr="in")
    location = django_filters.CharFilter(field_name="location__code")
    location__in = CharInFilter(field_name="location__code", lookup_expr="in")

    class Meta:
        model = Stock
        fields = {
            "sku": CODE_LOOKUPS,
            "stock_type": ["exact"],
            "unit_type": ["exact"],
            "is_active": ["exact"],
        }
