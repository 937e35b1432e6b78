import django_filters

from pazar.accounts.models import Seller, SellerAccessToken
from pazar.api.filters import DATE_LOOKUPS, TEXT_LOOKUPS, FilterSet
from pazar.api.omnitron import OmnitronFilterSet


class AccessTokenFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("Active", "Active"), ("Expired", "Expired")], method="filter_status"
    )

    class Meta:
        model = SellerAccessToken
        fields = {"note": TEXT_LOOKUPS, "created_at": DATE_LOOKUPS, "valid_until": DATE_LOOKUPS}

    def filter_status(self, queryset, name, value):
        return queryset.active() if value == "Active" else queryset.expired()


class SellerFilter(OmnitronFilterSet):
    class Meta:
        model = Seller
        fields = {"name": TEXT_LOOKUPS, "is_active": ["exact"]}
