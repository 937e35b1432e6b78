"""`channel/{cid}/order_shipping_infos/` (channel_app's `CreateOrderShippingInfo`) and the
payment reads omnisdk names (Pazar takes no payments: empty pages)."""

import pytest

from pazar.orders.models import Order
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(operator_client, shop):
    placed = operator_client.post(shop.url("create_orders/"), shop.body(), format="json")
    assert placed.status_code == 201, placed.content
    return Order.objects.get(pk=placed.json()["pk"])


@pytest.mark.parametrize("as_", ["object", "id", "erp_code"])
def test_shipping_info_sets_the_orders_cargo_company(operator_client, shop, order, as_):
    cargo = CargoCompanyFactory(erp_code="yurtici")
    company = {"object": {"pk": cargo.pk, "name": cargo.name}, "id": cargo.pk}.get(as_, "yurtici")
    before = order.updated_at

    response = operator_client.post(
        shop.url("order_shipping_infos/"),
        {"order": order.pk, "order_number": order.number, "shipping_company": company,
         "is_send": True},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    assert response.json() == {
        "order": order.pk,
        "order_number": order.number,
        "shipping_company": cargo.pk,
        "is_send": True,
    }
    order.refresh_from_db()
    assert order.cargo_company_id == cargo.pk
    assert order.updated_at > before


@pytest.mark.parametrize(
    "change, code",
    [
        ({"order": 999_999}, "order_unknown"),
        ({"order_number": "other"}, "order_number_mismatch"),
        ({"shipping_company": "nobody"}, "cargo_company_unknown"),
        ({"shipping_company": None}, "cargo_company_unknown"),
    ],
)
def test_shipping_info_refusals_change_nothing(operator_client, shop, order, change, code):
    CargoCompanyFactory(erp_code="yurtici")
    body = {"order": order.pk, "order_number": order.number, "shipping_company": "yurtici"}

    response = operator_client.post(
        shop.url("order_shipping_infos/"), {**body, **change}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    order.refresh_from_db()
    assert order.cargo_company_id is None


def test_another_channels_order_is_unknown(operator_client, order):
    from tests.channels.factories import ChannelFactory

    other = ChannelFactory()
    CargoCompanyFactory(erp_code="yurtici")
    response = operator_client.post(
        f"/omnitron/api/v1/channel/{other.pk}/order_shipping_infos/",
        {"order": order.pk, "shipping_company": "yurtici"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "order_unknown"


@pytest.mark.parametrize(
    "resource",
    [
        "payment_options", "transactions", "order_transactions", "pay_on_delivery_transactions",
        "loyalty_transactions", "funds_transfer_transactions", "bex_transactions",
    ],
)  # fmt: skip
def test_payment_reads_are_empty_pages(operator_client, api_client, order, resource):
    listed = operator_client.get(f"/omnitron/api/v1/{resource}/")
    assert listed.status_code == 200
    assert listed.json() == {"count": 0, "next": None, "previous": None, "results": []}
    one = operator_client.get(f"/omnitron/api/v1/{resource}/{order.pk}/")
    assert one.status_code == 404
    assert one.json()["code"] == "not_found"
    assert api_client.get(f"/omnitron/api/v1/{resource}/").status_code == 401
