"""The body a sales channel sends to `create_orders/` (orders.md §4.5), checked whole.

Amounts arrive as numbers or strings and are rounded to cents; a missing `quantity` is 1 (the
channel client sends one row per unit). Related rows are pks; the items' are looked up in one
query per kind, and an unknown one is an error at its item's index:
`{"order_item": {"3": {"product": ["…"]}}}`. Nothing is written unless all of it is valid.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP

from rest_framework import serializers

from pazar.api.fields import JSONObjectField
from pazar.catalog.models import Product
from pazar.customers.models import Address, Customer
from pazar.inventory.models import StockList
from pazar.orders.models import CargoCompany, OrderItem, OrderItemStatus
from pazar.pricing.models import PriceList

MAX_ITEMS = 1000
NOT_FOUND = 'Invalid pk "{}" - object does not exist.'


class AmountField(serializers.DecimalField):
    """A number or a numeric string, rounded half up to the field's places (channels send
    floats such as 10.005 or 33.333333)."""

    def validate_precision(self, value):
        return super().validate_precision(self.quantize(value))


def _amount(**kwargs):
    kwargs.setdefault("max_digits", 20)
    kwargs.setdefault("decimal_places", 2)
    return AmountField(rounding=ROUND_HALF_UP, **kwargs)


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, allow_null=True, **kwargs
    )


class AddressField(serializers.PrimaryKeyRelatedField):
    """An address's pk, looked up among the order's addresses read together by
    `IntakeOrderSerializer` (one query for both; any other value as DRF's field does)."""

    def to_internal_value(self, data):
        found = getattr(self.parent, "addresses", {})
        if type(data) is int and data in found:
            return found[data]
        return super().to_internal_value(data)


class IntakeOrderSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=128)
    status = serializers.ChoiceField(OrderItemStatus.choices, default=OrderItemStatus.APPROVED)
    channel = serializers.IntegerField(required=False, allow_null=True)
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    shipping_address = AddressField(queryset=Address.objects.all())
    billing_address = AddressField(queryset=Address.objects.all())
    currency = serializers.CharField(max_length=8)
    amount = _amount()
    shipping_amount = _amount(required=False, allow_null=True)
    shipping_tax_rate = _amount(max_digits=5, required=False, allow_null=True)
    discount_amount = _amount(required=False, allow_null=True)
    net_shipping_amount = _amount(required=False, allow_null=True)
    extra_field = JSONObjectField(required=False, allow_null=True)
    delivery_type = _text(64)
    cargo_company = serializers.PrimaryKeyRelatedField(
        queryset=CargoCompany.objects.all(), required=False, allow_null=True
    )
    tracking_number = _text(256)
    carrier_shipping_code = _text(256)
    remote_addr = serializers.IPAddressField(required=False, allow_null=True, allow_blank=True)
    has_gift_box = serializers.BooleanField(required=False, allow_null=True)
    gift_box_note = _text(160)
    client_type = _text(32)
    language_code = _text(16)
    notes = _text(320)
    delivery_range = serializers.JSONField(required=False, allow_null=True)
    shipping_option_slug = _text(128)
    date_placed = serializers.DateTimeField()

    def to_internal_value(self, data):
        # The shipping and the billing address (most often the same) in one read.
        pks = []
        if isinstance(data, Mapping):
            pks = [data.get(name) for name in ("shipping_address", "billing_address")]
        # From the field's own queryset, so the read never finds what the field would not;
        # other values are the field's own to judge.
        addresses = self.fields["shipping_address"].get_queryset()
        self.addresses = addresses.in_bulk({pk for pk in pks if type(pk) is int and 0 < pk < 2**63})
        return super().to_internal_value(data)


class IntakeItemSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(OrderItemStatus.choices, default=OrderItemStatus.APPROVED)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    price_currency = serializers.CharField(max_length=8)
    price = _amount()
    tax_rate = _amount(max_digits=5, required=False, allow_null=True)
    retail_price = _amount(required=False, allow_null=True)
    discount_amount = _amount(required=False, allow_null=True)
    extra_field = JSONObjectField(required=False, allow_null=True)
    price_list = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    stock_list = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    tracking_number = _text(256)
    carrier_shipping_code = _text(256)
    attributes = JSONObjectField(required=False, allow_null=True)
    attributes_kwargs = JSONObjectField(required=False, allow_null=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=OrderItem.objects.all(), required=False, allow_null=True
    )
    delivered_date = serializers.DateTimeField(required=False, allow_null=True)
    estimated_delivery_date = serializers.DateTimeField(required=False, allow_null=True)


class CreateOrdersSerializer(serializers.Serializer):
    order = IntakeOrderSerializer()
    order_item = IntakeItemSerializer(many=True, allow_empty=False, max_length=MAX_ITEMS)

    def validate(self, attrs):
        channel = self.context["channel"]
        order = attrs["order"]
        errors = {}
        if order.get("channel") not in (None, channel.pk):
            errors["channel"] = ["An order is created in the URL's channel."]
        if order["customer"].channel_id != channel.pk:
            errors["customer"] = ["This customer is another channel's."]
        if errors:
            raise serializers.ValidationError({"order": errors})
        attrs["order_item"] = self._resolved_items(attrs["order_item"], channel)
        return attrs

    def _resolved_items(self, items: list[dict], channel) -> list[dict]:
        catalog = channel.catalog
        # With their sellers: the sellers' packages and events are made from them.
        products = Product.objects.select_related("seller").in_bulk(
            {item["product"] for item in items}
        )
        price_lists = PriceList.objects.in_bulk(
            {i["price_list"] for i in items if i.get("price_list")}
        )
        stock_lists = StockList.objects.in_bulk(
            {i["stock_list"] for i in items if i.get("stock_list")}
        )
        errors = {}
        for index, item in enumerate(items):
            problems = {}
            for name, found in (
                ("product", products),
                ("price_list", price_lists),
                ("stock_list", stock_lists),
            ):
                pk = item.get(name)
                if pk is not None and pk not in found:
                    problems[name] = [NOT_FOUND.format(pk)]
            if problems:
                errors[str(index)] = problems
                continue
            item["product"] = products[item["product"]]
            item["price_list"] = price_lists.get(item.get("price_list")) or catalog.price_list
            item["stock_list"] = stock_lists.get(item.get("stock_list")) or catalog.stock_list
        if errors:
            raise serializers.ValidationError({"order_item": errors})
        return items


# What a missing or null optional value is stored as.
ORDER_DEFAULTS = {
    "shipping_amount": 0, "discount_amount": 0, "net_shipping_amount": 0, "extra_field": {},
    "has_gift_box": False, "client_type": "default",
}  # fmt: skip
ITEM_DEFAULTS = {
    "tax_rate": 0, "discount_amount": 0, "extra_field": {}, "attributes": {},
    "attributes_kwargs": {},
}  # fmt: skip
TEXT_FIELDS = {
    "delivery_type", "tracking_number", "carrier_shipping_code", "gift_box_note", "language_code",
    "notes", "shipping_option_slug", "client_type",
}  # fmt: skip


def stored_values(values: dict, defaults: dict) -> dict:
    """Validated values as the model stores them: nulls become the defaults or empty text."""
    stored = {}
    for name, value in values.items():
        if value is None and name in defaults:
            value = defaults[name]
        elif value is None and name in TEXT_FIELDS:
            value = ""
        elif name == "remote_addr" and value == "":
            value = None
        stored[name] = value
    return stored
