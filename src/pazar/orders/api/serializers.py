from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from pazar.api.fields import JSONObjectField, decimal_text
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.core.dates import utc_text
from pazar.orders.models import (
    CancelStatus,
    CargoCompany,
    Order,
    OrderItem,
    OrderItemMapping,
    OrderItemStatus,
)


class CargoCompanySerializer(OmnitronModelSerializer):
    class Meta:
        model = CargoCompany
        fields = [
            "pk", "id", "name", "erp_code", "shipping_company", "is_active",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {"erp_code": {"validators": []}}


class OrderSerializer(OmnitronModelSerializer):
    oversold_items = serializers.SerializerMethodField(
        help_text="How many of the order's items found no stock at intake."
    )

    class Meta:
        model = Order
        fields = [
            "pk", "id", "number", "status", "channel", "customer", "shipping_address",
            "billing_address", "currency", "amount", "shipping_amount", "shipping_tax_rate",
            "discount_amount", "net_shipping_amount", "installment_interest_amount",
            "extra_field", "delivery_type", "cargo_company", "tracking_number",
            "carrier_shipping_code", "remote_addr", "has_gift_box", "gift_box_note",
            "client_type", "language_code", "notes", "delivery_range", "shipping_option_slug",
            "date_placed", "is_send", "cancel_status", "oversold_items", "created_date",
            "modified_date",
        ]  # fmt: skip
        read_only_fields = fields

    def get_oversold_items(self, order: Order) -> int:
        counted = getattr(order, "oversold_count", None)
        return counted if counted is not None else order.items.filter(oversold=True).count()

    def to_representation(self, order: Order) -> dict:
        """What DRF writes for `Meta.fields`, written directly: building the 34 fields of a
        model serializer for every order was most of an order's answer (intake answers one
        order per request). `tests/orders/test_order_serializer.py` holds it to DRF's own."""
        return {
            "pk": order.pk, "id": order.pk, "number": order.number, "status": order.status,
            "channel": order.channel_id, "customer": order.customer_id,
            "shipping_address": order.shipping_address_id,
            "billing_address": order.billing_address_id, "currency": order.currency,
            "amount": decimal_text(order.amount, 2),
            "shipping_amount": decimal_text(order.shipping_amount, 2),
            "shipping_tax_rate": decimal_text(order.shipping_tax_rate, 2),
            "discount_amount": decimal_text(order.discount_amount, 2),
            "net_shipping_amount": decimal_text(order.net_shipping_amount, 2),
            "installment_interest_amount": decimal_text(order.installment_interest_amount, 2),
            "extra_field": order.extra_field, "delivery_type": order.delivery_type,
            "cargo_company": order.cargo_company_id, "tracking_number": order.tracking_number,
            "carrier_shipping_code": order.carrier_shipping_code,
            "remote_addr": None if order.remote_addr is None else str(order.remote_addr),
            "has_gift_box": order.has_gift_box, "gift_box_note": order.gift_box_note,
            "client_type": order.client_type, "language_code": order.language_code,
            "notes": order.notes, "delivery_range": order.delivery_range,
            "shipping_option_slug": order.shipping_option_slug,
            "date_placed": utc_text(order.date_placed), "is_send": order.is_send,
            "cancel_status": order.cancel_status,
            "oversold_items": self.get_oversold_items(order),
            "created_date": utc_text(order.created_at),
            "modified_date": utc_text(order.updated_at),
        }  # fmt: skip


class OrderSendSerializer(serializers.Serializer):
    is_send = serializers.BooleanField()


class OrderItemSerializer(OmnitronModelSerializer):
    class Meta:
        model = OrderItem
        fields = [
            "pk", "id", "order", "product", "status", "quantity", "price_currency", "price",
            "tax_rate", "retail_price", "discount_amount", "price_list", "stock_list",
            "extra_field", "attributes", "attributes_kwargs", "parent", "tracking_number",
            "carrier_shipping_code", "shipping_company", "invoice_number", "invoice_date",
            "e_archive_url", "delivered_date", "estimated_delivery_date", "cancel_status",
            "oversold", "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = fields


class OrderItemChangeSerializer(serializers.Serializer):
    """`PATCH order_items/{pk}/`: `extra_field` is merged, `attributes`/`attributes_kwargs`
    replaced; `order_number` (sent by channel apps) is ignored."""

    status = serializers.ChoiceField(OrderItemStatus.choices, required=False)
    cancel_status = serializers.ChoiceField(
        CancelStatus.choices, required=False, allow_null=True, allow_blank=True
    )
    extra_field = JSONObjectField(required=False)
    attributes = JSONObjectField(required=False)
    attributes_kwargs = JSONObjectField(required=False)
    invoice_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    invoice_date = serializers.DateTimeField(required=False, allow_null=True)
    e_archive_url = serializers.URLField(max_length=512, required=False, allow_blank=True)
    tracking_number = serializers.CharField(max_length=256, required=False, allow_blank=True)
    shipping_company = serializers.PrimaryKeyRelatedField(
        queryset=CargoCompany.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        if attrs.get("cancel_status", "") is None:
            attrs["cancel_status"] = ""
        return attrs


class BulkStatusRowSerializer(OrderItemChangeSerializer):
    id = serializers.PrimaryKeyRelatedField(queryset=OrderItem.objects.all())


class BulkStatusSerializer(serializers.Serializer):
    orderitem_set = BulkStatusRowSerializer(many=True, allow_empty=False, max_length=1000)


class MappingCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=255)
    update_stock = serializers.BooleanField(default=True)


class OrderItemMappingSerializer(serializers.ModelSerializer):
    pk = serializers.IntegerField(read_only=True)
    content_type = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(source="order_item_id")

    class Meta:
        model = OrderItemMapping
        fields = ["pk", "content_type", "object_id", "integration_type", "code"]

    def get_content_type(self, mapping) -> int:
        return ContentType.objects.get_for_model(OrderItem).pk


class OrderShippingInfoSerializer(serializers.Serializer):
    """channel_app's `CreateOrderShippingInfo` body: `order` (pk), `order_number`,
    `shipping_company` (a cargo company as an object with `pk`, its id, or its ERP code or
    slug), `is_send`; other keys are ignored."""

    order = serializers.IntegerField(min_value=1)
    order_number = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    shipping_company = serializers.JSONField(allow_null=True)
    is_send = serializers.BooleanField(required=False, default=False)


class PaymentRecordSerializer(serializers.Serializer):
    """Documentation only: the lists are always empty."""

    pk = serializers.IntegerField()
