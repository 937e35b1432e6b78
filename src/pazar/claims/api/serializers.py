from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.omnitron import OmnitronModelSerializer, TranslationsField
from pazar.claims import transitions
from pazar.claims.models import CancellationReason, Claim, ClaimEvent


class CancellationReasonSerializer(OmnitronModelSerializer):
    translations = TranslationsField()

    class Meta:
        model = CancellationReason
        fields = [
            "pk", "id", "cancellation_type", "subject", "order", "is_active",
            "extra_information_needed", "send_to_remote", "send_to_oms", "translations",
            "created_date", "modified_date",
        ]  # fmt: skip


class ClaimEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimEvent
        fields = ["from_status", "to_status", "by", "user", "reason", "created_at"]


class ClaimSerializer(OmnitronModelSerializer):
    cancellation_type = serializers.CharField(source="type", read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    history = ClaimEventSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "pk", "id", "uuid", "order", "order_item", "source_item", "cancellation_type",
            "status", "cancelled_by", "reason", "description", "quantity", "refund_amount",
            "is_cargo_refund", "forced_refund_amount", "refund_invoice_number", "iban",
            "holder_name", "escalated", "allowed_actions", "history", "created_date",
            "modified_date",
        ]  # fmt: skip
        read_only_fields = fields

    def get_allowed_actions(self, claim: Claim) -> list[str]:
        return transitions.allowed_actions(claim.type, claim.status)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer"},
            {
                "type": "object",
                "properties": {
                    "order_item": {"type": "integer"},
                    "quantity": {"type": "integer", "minimum": 1},
                },
                "required": ["order_item"],
            },
        ]
    }
)
class CancelItemField(serializers.Field):
    """An order item's id (all its units), or `{"order_item": id, "quantity": n}`."""

    default_error_messages = {
        "invalid": 'Expected an order item id or {{"order_item": <id>, "quantity": <n>}}.'
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit()):
            return {"order_item": int(data), "quantity": None}
        if isinstance(data, dict):
            item, quantity = data.get("order_item"), data.get("quantity")
            valid_item = isinstance(item, int) and not isinstance(item, bool)
            valid_quantity = quantity is None or (
                isinstance(quantity, int) and not isinstance(quantity, bool) and quantity >= 1
            )
            if valid_item and valid_quantity and set(data) <= {"order_item", "quantity"}:
                return {"order_item": item, "quantity": quantity}
        self.fail("invalid")

    def to_representation(self, value):
        return value


class _ByItem(serializers.DictField):
    """`{"<order item id>": value}`."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not all(str(key).isdigit() for key in data):
            raise serializers.ValidationError("Keys are order item ids.")
        return {int(key): value for key, value in data.items()}


class OrderCancelSerializer(serializers.Serializer):
    """`POST /api/i1/orders/{id}/cancel/` (orders.md §2)."""

    order = serializers.IntegerField(required=False)
    is_all = serializers.BooleanField(default=False)
    cancel_items = serializers.ListField(child=CancelItemField(), required=False, default=list)
    reasons = _ByItem(child=serializers.IntegerField(), required=False, default=dict)
    descriptions = _ByItem(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    forced_refund_amount = serializers.DecimalField(
        max_digits=20, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    is_cargo_refund = serializers.BooleanField(default=False)
    refund_invoice_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, allow_null=True, default=""
    )
    ibans = _ByItem(child=serializers.CharField(max_length=34), required=False, default=dict)
    holder_names = _ByItem(
        child=serializers.CharField(max_length=255), required=False, default=dict
    )

    def validate(self, data):
        if data["is_all"] and data["cancel_items"]:
            raise serializers.ValidationError(
                {"cancel_items": ["Send either is_all or cancel_items, not both."]}
            )
        if not data["is_all"] and not data["cancel_items"]:
            raise serializers.ValidationError(
                {"cancel_items": ["Name the items to cancel, or send is_all: true."]}
            )
        data["refund_invoice_number"] = data.get("refund_invoice_number") or ""
        return data
