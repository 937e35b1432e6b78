from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.omnitron import OmnitronModelSerializer
from pazar.pricing.models import CURRENCIES, PriceList
from pazar.pricing.services import currency_code


@extend_schema_field(
    {
        "type": "string",
        "example": "usd",
        "description": "Read as Omnitron writes it, lower-case (`try`, `usd`, `eur`, …); written "
        f"in any case, with the aliases `tr` (TRY) and `eu` (EUR). One of {', '.join(CURRENCIES)}.",
    }
)
class CurrencyField(serializers.CharField):
    default_error_messages = {"currency": '"{value}" is not a valid currency.'}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        code = currency_code(value)
        if code is None:
            self.fail("currency", value=value)
        return code

    def to_representation(self, value):
        return value.lower()


class PriceListSerializer(OmnitronModelSerializer):
    currency = CurrencyField()

    class Meta:
        model = PriceList
        fields = [
            "pk", "id", "uuid", "name", "code", "currency", "is_auto_sync", "sellers",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "code": {"validators": []},
            "sellers": {"help_text": "Ids (uuids) of the sellers who may use the list."},
        }
