from pazar.api.filters import CODE_LOOKUPS, TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import sort_filter
from pazar.orders.models import CargoCompany


class CargoCompanyFilter(OmnitronFilterSet):
    sort = sort_filter("name")

    class Meta:
        model = CargoCompany
        fields = {
            "name": TEXT_LOOKUPS,
            "erp_code": CODE_LOOKUPS,
            "shipping_company": CODE_LOOKUPS,
            "is_active": ["exact"],
        }
