from decimal import Decimal

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.fields import decimal_text
from pazar.api.omnitron import OmnitronModelSerializer, TranslationsField
from pazar.claims import transitions
from pazar.claims.models import CancellationReason, Claim, ClaimEvent, ClaimStatus
from pazar.core.dates import utc_text


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
        return transitions.claim_allowed_actions(claim, operator=True)

    def to_representation(self, claim: Claim) -> dict:
        """What DRF writes for `Meta.fields`, written directly: a cancel answers with every
        claim it made and their history, and DRF's field machinery was a tenth of the cancel.
        `tests/claims/test_cancel_queries.py` holds it to DRF's own, key by key."""
        return {
            "pk": claim.pk, "id": claim.pk, "uuid": str(claim.uuid), "order": claim.order_id,
            "order_item": claim.order_item_id, "source_item": claim.source_item_id,
            "cancellation_type": str(claim.type), "status": str(claim.status),
            "cancelled_by": int(claim.cancelled_by), "reason": claim.reason_id,
            "description": str(claim.description), "quantity": claim.quantity,
            "refund_amount": decimal_text(claim.refund_amount, 2),
            "is_cargo_refund": claim.is_cargo_refund,
            "forced_refund_amount": decimal_text(claim.forced_refund_amount, 2),
            "refund_invoice_number": str(claim.refund_invoice_number), "iban": str(claim.iban),
            "holder_name": str(claim.holder_name), "escalated": claim.escalated,
            "allowed_actions": self.get_allowed_actions(claim),
            "history": [
                {
                    "from_status": str(event.from_status), "to_status": str(event.to_status),
                    "by": int(event.by), "user": event.user_id, "reason": str(event.reason),
                    "created_at": utc_text(event.created_at),
                }
                for event in claim.history.all()
            ],
            "created_date": utc_text(claim.created_at),
            "modified_date": utc_text(claim.updated_at),
        }  # fmt: skip


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


def _item_key(key) -> bool:
    return type(key) is str and key.isdigit()


def _plain_int(value) -> bool:
    return type(value) is int


def plain_cancel_body(data) -> dict | None:
    """`OrderCancelSerializer(data=data).validated_data` of a plain body, read directly: ints
    as ints, booleans as booleans, `cancel_items` as item ids or `{"order_item", "quantity"}`
    objects, `reasons` by item id, and no descriptions, IBANs, holder names, forced amount or
    invoice number. None for any other body (DRF reads it, its errors included): a cancel's
    body was read by a serializer built afresh for each request (its fields deep-copied).
    `tests/claims/test_cancel_body.py` holds it to the serializer's output."""
    if type(data) is not dict:
        return None
    result = {}
    order = data.get("order")
    if "order" in data:
        if not _plain_int(order):
            return None
        result["order"] = order
    is_all, is_cargo_refund = data.get("is_all", False), data.get("is_cargo_refund", False)
    if type(is_all) is not bool or type(is_cargo_refund) is not bool:
        return None
    given, items = data.get("cancel_items", []), []
    if type(given) is not list:
        return None
    for item in given:
        if _plain_int(item):
            items.append({"order_item": item, "quantity": None})
            continue
        if type(item) is not dict or not set(item) <= {"order_item", "quantity"}:
            return None
        pk, quantity = item.get("order_item"), item.get("quantity")
        if not _plain_int(pk) or not (quantity is None or (_plain_int(quantity) and quantity >= 1)):
            return None
        items.append({"order_item": pk, "quantity": quantity})
    if is_all == bool(items):  # both, or neither: the serializer's errors
        return None
    reasons = data.get("reasons", {})
    if type(reasons) is not dict or not all(
        _item_key(key) and _plain_int(value) for key, value in reasons.items()
    ):
        return None
    for name in ("descriptions", "ibans", "holder_names"):
        if data.get(name, {}) != {}:
            return None
    number = data.get("refund_invoice_number")
    if data.get("forced_refund_amount") is not None or not (number is None or number == ""):
        return None
    if "forced_refund_amount" in data:
        result["forced_refund_amount"] = None
    return {
        **result, "is_all": is_all, "cancel_items": items,
        "reasons": {int(key): value for key, value in reasons.items()}, "descriptions": {},
        "is_cargo_refund": is_cargo_refund, "refund_invoice_number": "", "ibans": {},
        "holder_names": {},
    }  # fmt: skip


# --- cancellation requests (orders.md §3): a claim under Omnitron's name ---------------------

# Omnitron's request statuses for a claim's [inferred]: a claim awaiting a decision (open or
# waiting) is `waiting_approval`; an approved return whose units arrived back is `confirmed`.
REQUEST_STATUSES = ["waiting_approval", "confirmed", "approved", "rejected", "completed"]


def request_status(claim: Claim) -> str:
    if claim.status in (ClaimStatus.OPEN, ClaimStatus.WAITING):
        return "waiting_approval"
    if claim.status == ClaimStatus.APPROVED and claim.received_at is not None:
        return "confirmed"
    return claim.status


def request_status_filter(value: str) -> Q:
    return {
        "waiting_approval": Q(status__in=[ClaimStatus.OPEN, ClaimStatus.WAITING]),
        "confirmed": Q(status=ClaimStatus.APPROVED, received_at__isnull=False),
        "approved": Q(status=ClaimStatus.APPROVED, received_at__isnull=True),
        "rejected": Q(status=ClaimStatus.REJECTED),
        "completed": Q(status=ClaimStatus.COMPLETED),
    }[value]


class CancellationRequestSerializer(OmnitronModelSerializer):
    """Omnitron's cancellation request (`id`, `order_item`, `reason`, `description`,
    `cancellation_type`, `status`, `iban`, `holder_name`, `easy_return`, `quantity`,
    `fully_refund_as_loyalty_money`, `created_date`, `modified_date`, `uuid`) and ours."""

    cancellation_type = serializers.CharField(source="type", read_only=True)
    status = serializers.SerializerMethodField()
    claim_status = serializers.CharField(source="status", read_only=True)
    easy_return = serializers.SerializerMethodField()
    fully_refund_as_loyalty_money = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    history = ClaimEventSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "pk", "id", "uuid", "order", "order_item", "source_item", "reason", "description",
            "cancellation_type", "status", "claim_status", "cancelled_by", "iban",
            "holder_name", "easy_return", "quantity", "fully_refund_as_loyalty_money",
            "remote_id", "refund_amount", "is_cargo_refund", "forced_refund_amount",
            "refund_invoice_number", "escalated", "received_at", "restocked",
            "allowed_actions", "history", "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": REQUEST_STATUSES})
    def get_status(self, claim: Claim) -> str:
        return request_status(claim)

    @extend_schema_field({"type": "object", "nullable": True})
    def get_easy_return(self, claim: Claim) -> None:
        return None  # no easy-return (carrier code) service yet

    def get_fully_refund_as_loyalty_money(self, claim: Claim) -> bool:
        return False

    def get_allowed_actions(self, claim: Claim) -> list[str]:
        return transitions.claim_allowed_actions(claim, operator=True)


class CancellationRequestCreateSerializer(serializers.Serializer):
    """What channel_app sends (`order_item`, `reason`, `remote_id`, `description`,
    `cancellation_type`) and Omnitron's other request fields; other keys are ignored."""

    order_item = serializers.IntegerField(min_value=1)
    reason = serializers.IntegerField(min_value=1)
    cancellation_type = serializers.ChoiceField(
        choices=["cancel", "refund"], required=False, default="cancel"
    )
    quantity = serializers.IntegerField(min_value=1, required=False, default=1)
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=2000
    )
    remote_id = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=255
    )
    iban = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=34
    )
    holder_name = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=255
    )

    def validate(self, data):
        for name in ("description", "remote_id", "iban", "holder_name"):
            data[name] = data.get(name) or ""
        return data


class ClaimDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, default="")


class ClaimRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
