import django_filters

from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.pricing.models import PriceList
from pazar.pricing.services import currency_code


class PriceListFilter(OmnitronFilterSet):
    currency = django_filters.CharFilter(
        method="filter_currency", help_text="Any case; `tr` and `eu` are TRY and EUR."
    )

    class Meta:
        model = PriceList
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "is_auto_sync": ["exact"],
            "sellers": ["exact"],
        }

    def filter_currency(self, queryset, name, value):
        return queryset.filter(currency=currency_code(value) or value)
