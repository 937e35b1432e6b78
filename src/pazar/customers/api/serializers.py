from rest_framework import serializers

from pazar.api.fields import JSONObjectField
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.channels.models import Channel
from pazar.customers.models import Address, Customer


class CustomerSerializer(OmnitronModelSerializer):
    channel = serializers.PrimaryKeyRelatedField(queryset=Channel.objects.all(), required=False)
    extra_field = JSONObjectField(required=False)

    class Meta:
        model = Customer
        fields = [
            "pk", "id", "channel", "email", "phone_number", "first_name", "last_name",
            "channel_code", "extra_field", "is_active", "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            name: {"allow_null": True}
            for name in ("email", "phone_number", "first_name", "last_name", "channel_code")
        }

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # A channel app sends None for what it does not know: stored as empty text.
        return {name: "" if value is None else value for name, value in values.items()}


class AddressSerializer(OmnitronModelSerializer):
    extra_field = JSONObjectField(required=False)

    class Meta:
        model = Address
        fields = [
            "pk", "id", "customer", "email", "phone_number", "first_name", "last_name",
            "country", "city", "township", "district", "title", "line", "postcode", "notes",
            "company_name", "tax_office", "tax_no", "e_bill_taxpayer", "identity_number",
            "address_type", "remote_id", "extra_field", "is_active", "hash_data",
            "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = ["hash_data"]
        extra_kwargs = {
            name: {"allow_null": True}
            for name in (
                "email",
                "phone_number",
                "first_name",
                "last_name",
                "title",
                "postcode",
                "notes",
                "company_name",
                "tax_office",
                "tax_no",
                "identity_number",
                "remote_id",
            )
        }

    def to_internal_value(self, data):
        if isinstance(data, dict) and "retail_store" in data and data["retail_store"] is None:
            data = {k: v for k, v in data.items() if k != "retail_store"}
        values = super().to_internal_value(data)
        return {name: "" if value is None and name not in ("township", "district", "customer")
                else value for name, value in values.items()}  # fmt: skip
