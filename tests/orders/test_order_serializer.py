"""An order's answer is written directly (`OrderSerializer.to_representation`): it must be what
DRF's model serializer writes for the same fields, key for key and in the same order."""

import pytest

from pazar.orders.api.serializers import OrderSerializer
from pazar.orders.models import Order
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db


def _drf(order: Order) -> dict:
    serializer = OrderSerializer(order)
    return super(OrderSerializer, serializer).to_representation(order)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "amount": 10.005, "shipping_amount": "3.3", "shipping_tax_rate": 18,
            "discount_amount": None, "net_shipping_amount": "0.10", "remote_addr": "2001:db8::1",
            "extra_field": {"zeta": 1, "a": [1.5, None, {"b": "ü"}], "id": "x"},
            "delivery_range": {"to": "2025-01-04", "from": "2025-01-03"},
            "date_placed": "2025-01-02T13:00:00.123456+03:00", "has_gift_box": True,
            "gift_box_note": "  note  ", "delivery_type": "express", "status": "100",
        },
        {"remote_addr": "10.0.0.7", "shipping_tax_rate": None, "language_code": None},
    ],
)  # fmt: skip
def test_an_order_is_written_as_drf_writes_it(operator_client, shop, fields):
    fields = dict(fields)
    if fields.get("delivery_type") == "express":
        fields["cargo_company"] = CargoCompanyFactory().pk
    body = shop.body(number="MP-S", **fields)
    response = operator_client.post(shop.url("create_orders/"), body, format="json")
    assert response.status_code == 201, response.content

    order = Order.objects.get(pk=response.json()["pk"])
    order.oversold_count = 0
    direct = OrderSerializer(order).data
    assert list(direct.items()) == list(_drf(order).items())
    assert response.json() == dict(direct)

    order.cancel_status, order.is_send = "waiting", True
    order.save()
    order.refresh_from_db()
    order.oversold_count = 3
    assert list(OrderSerializer(order).data.items()) == list(_drf(order).items())


def test_the_oversold_count_is_read_when_not_given(operator_client, shop):
    body = shop.body(number="MP-C")
    operator_client.post(shop.url("create_orders/"), body, format="json")
    order = Order.objects.get(number="MP-C")

    assert OrderSerializer(order).data["oversold_items"] == _drf(order)["oversold_items"] == 0
