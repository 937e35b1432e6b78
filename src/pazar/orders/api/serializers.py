from pazar.api.omnitron import OmnitronModelSerializer
from pazar.orders.models import CargoCompany


class CargoCompanySerializer(OmnitronModelSerializer):
    class Meta:
        model = CargoCompany
        fields = [
            "pk", "id", "name", "erp_code", "shipping_company", "is_active",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {"erp_code": {"validators": []}}
