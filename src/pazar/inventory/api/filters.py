from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.inventory.models import StockList


class StockListFilter(OmnitronFilterSet):
    class Meta:
        model = StockList
        fields = {
            "name": TEXT_LOOKUPS,
            "code": TEXT_LOOKUPS,
            "is_auto_sync": ["exact"],
            "sellers": ["exact"],
        }
