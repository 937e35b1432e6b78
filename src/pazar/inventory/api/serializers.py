from pazar.api.omnitron import OmnitronModelSerializer
from pazar.inventory.models import StockList


class StockListSerializer(OmnitronModelSerializer):
    class Meta:
        model = StockList
        fields = [
            "pk", "id", "uuid", "name", "code", "is_auto_sync", "sellers",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "code": {"validators": [], "help_text": "The ERP's id of the list; unique."},
            "sellers": {"help_text": "Ids (uuids) of the sellers who may use the list."},
        }
