"""Whippy Ware representations (whippy-ware.md §3–§7): `id`, the fields, `is_active`, dates."""

from django.db import models
from rest_framework import serializers

from pazar.api.fields import CharField, PrimaryKeyRelatedField
from pazar.inventory.models import StockList as OmnitronStockList
from pazar.whippy.api.rows import INT_MAX, INT_MIN
from pazar.whippy.models import (
    Provider,
    RuleType,
    Stock,
    StockList,
    StockListRule,
    StockLocation,
    UnitType,
)

# Uniqueness is checked by the services, with messages that name the clashing row.
NO_VALIDATORS = {"validators": []}
DATES = ["is_active", "created_date", "modified_date"]


class WhippyModelSerializer(serializers.ModelSerializer):
    serializer_related_field = PrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
    }
    id = serializers.IntegerField(source="pk", read_only=True)
    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)


class ProviderSerializer(WhippyModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "name", "code", "should_add_reservations", *DATES]
        extra_kwargs = {
            "code": {**NO_VALIDATORS, "help_text": "Unique; what stock feeds send as `provider`."}
        }


class StockLocationSerializer(WhippyModelSerializer):
    class Meta:
        model = StockLocation
        fields = ["id", "name", "code", "provider", *DATES]
        extra_kwargs = {
            "code": {"help_text": "Unique within the provider; what feeds send as `location`."},
            "provider": {"help_text": "The provider's id."},
        }
        validators: list = []


class StockListRuleSerializer(WhippyModelSerializer):
    rule_type = serializers.ChoiceField(
        choices=RuleType.choices,
        help_text="`location_sum` (computed, see the docs) or `sql` (stored, computes nothing).",
    )
    rule = serializers.JSONField(
        default=dict,
        help_text="The rule's definition, a JSON object; for `location_sum`: `blocks`, "
        "`global_safety_stock`, `subtract_reservations`, `min`.",
    )

    class Meta:
        model = StockListRule
        fields = ["id", "name", "rule_type", "rule", *DATES]


class StockListSerializer(WhippyModelSerializer):
    remote_id = serializers.PrimaryKeyRelatedField(
        source="remote",
        queryset=OmnitronStockList.objects.all(),
        help_text="The Omnitron stock list the figures are written to (its `pk`).",
    )

    class Meta:
        model = StockList
        fields = ["id", "name", "code", "remote_id", "stock_list_rule", *DATES]
        extra_kwargs = {"code": NO_VALIDATORS}


class StockSerializer(WhippyModelSerializer):
    """A stock row as read, and as changed by PUT/PATCH (its SKU and place stay)."""

    sku = serializers.CharField(read_only=True)
    provider = serializers.CharField(source="location.provider.code", read_only=True)
    location = serializers.CharField(source="location.code", read_only=True)
    reserved_stock = serializers.IntegerField(min_value=0, required=False)
    available_stock = serializers.IntegerField(
        read_only=True, help_text="What can still be sold here: stock − reserved, at least 0."
    )

    class Meta:
        model = Stock
        fields = [
            "id", "sku", "provider", "location", "stock", "reserved_stock", "available_stock",
            "unit_type", "stock_type", "period", *DATES,
        ]  # fmt: skip


class StockRowSerializer(serializers.Serializer):
    """One row of `POST /api/v1/stocks/` (documents it; `rows.parse_stock_row` parses it)."""

    sku = serializers.CharField(max_length=255)
    provider = serializers.CharField(max_length=100, help_text="The provider's code.")
    location = serializers.CharField(max_length=100, help_text="The location's code.")
    stock = serializers.IntegerField(min_value=INT_MIN, max_value=INT_MAX)
    reserved_stock = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)
    unit_type = serializers.ChoiceField(choices=UnitType.choices, required=False)
    stock_type = serializers.CharField(max_length=50, required=False)
    period = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class StockRowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's position in the body, from 0.")
    status = serializers.ChoiceField(choices=["created", "updated", "failed"])
    id = serializers.IntegerField(required=False, help_text="The stock row's id (not on failures).")
    errors = serializers.DictField(
        required=False, help_text="Why the row failed: `{field: [message]}`."
    )


class StockBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = StockRowResultSerializer(many=True)


class QuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)
