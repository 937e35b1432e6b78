"""Omnitron's orders and order items for operators and sales channels."""

import pytest

from pazar.orders.models import Order, OrderItem, OrderItemEvent, OrderItemMapping
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db

V1, I1 = "/omnitron/api/v1/", "/omnitron/api/i1/"


@pytest.fixture
def placed(operator_client, shop):
    items = [shop.item(shop.offer), shop.item(shop.other_offer)]
    response = operator_client.post(
        shop.url("create_orders/"), shop.body(items=items), format="json"
    )
    assert response.status_code == 201
    return Order.objects.get()


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


@pytest.mark.parametrize("prefix", [V1, I1])
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("number=MP-1", True), ("number=MP-2", False), ("status=400", True),
        ("status=500", False), ("is_send=false", True), ("is_send=true", False),
        ("cancel_status=waiting", False), ("channel={channel}", True), ("channel=999999", False),
        ("date_placed__gte=2025-01-02T00:00:00Z", True),
        ("date_placed__lte=2025-01-01T00:00:00Z", False),
        ("created_date__gte=2000-01-01T00:00:00Z", True), ("oversold=false", True),
    ],
)  # fmt: skip
def test_operators_filter_orders(operator_client, placed, prefix, query, found):
    response = operator_client.get(f"{prefix}orders/?{query.format(channel=placed.channel_id)}")

    assert numbers(response) == (["MP-1"] if found else [])


def test_an_operator_reads_an_order_and_marks_it_sent_only(operator_client, placed):
    read = operator_client.get(f"{V1}orders/{placed.pk}/")
    patched = operator_client.patch(
        f"{V1}orders/{placed.pk}/", {"is_send": True, "number": "X"}, format="json"
    )
    bad = operator_client.patch(f"{V1}orders/{placed.pk}/", {"is_send": "maybe"}, format="json")

    assert read.json()["number"] == "MP-1"
    assert patched.status_code == 200
    assert (patched.json()["is_send"], patched.json()["number"]) == (True, "MP-1")
    assert bad.status_code == 400 and list(bad.json()) == ["is_send"]


def test_an_item_patch_merges_extra_field_and_replaces_attributes(operator_client, placed):
    item = placed.items.first()
    item.extra_field = {"id": "line-1", "keep": 1}
    item.attributes = {"color": "red", "size": "M"}
    item.save()

    response = operator_client.patch(
        f"{V1}order_items/{item.pk}/",
        {"status": "450", "extra_field": {"erp": "7"}, "attributes": {"color": "blue"},
         "attributes_kwargs": {"k": "v"}, "cancel_status": "waiting"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["extra_field"] == {"id": "line-1", "keep": 1, "erp": "7"}
    assert (body["attributes"], body["attributes_kwargs"]) == ({"color": "blue"}, {"k": "v"})
    assert (body["status"], body["cancel_status"]) == ("450", "waiting")
    event = OrderItemEvent.objects.filter(order_item=item).last()
    assert (event.from_status, event.to_status, event.user_id) == (
        "400", "450", response.wsgi_request.user.pk,
    )  # fmt: skip


def test_an_illegal_status_move_is_a_409_with_a_code(operator_client, placed):
    item = placed.items.first()
    operator_client.patch(f"{V1}order_items/{item.pk}/", {"status": "100"}, format="json")

    response = operator_client.patch(
        f"{V1}order_items/{item.pk}/", {"status": "500"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "order_item_status_transition"
    assert OrderItem.objects.get(pk=item.pk).status == "100"


def test_bulk_status_update_changes_all_or_none(operator_client, placed):
    first, second = placed.items.order_by("pk")
    company = CargoCompanyFactory()
    rows = [
        {"id": first.pk, "status": "500", "tracking_number": "TRK1", "shipping_company": company.pk,
         "invoice_number": "INV1", "invoice_date": "2025-01-03T10:00:00Z",
         "e_archive_url": "https://example.com/e/1"},
        {"id": second.pk, "status": "500"},
    ]  # fmt: skip

    refused = operator_client.patch(
        f"{I1}order_items/bulk_status_update/",
        {"orderitem_set": [rows[0], {"id": second.pk, "status": "nope"}]},
        format="json",
    )
    applied = operator_client.patch(
        f"{I1}order_items/bulk_status_update/", {"orderitem_set": rows}, format="json"
    )

    assert refused.status_code == 400
    assert applied.status_code == 200, applied.content
    assert [row["status"] for row in applied.json()] == ["500", "500"]
    first.refresh_from_db()
    assert (first.tracking_number, first.shipping_company, first.invoice_number) == (
        "TRK1", company, "INV1",
    )  # fmt: skip


def test_create_mapping_stores_the_erp_code_and_reports_the_sale_once(
    operator_client, shop, placed
):
    item = placed.items.get(product=shop.offer)
    assert shop.stock(shop.offer) == (9, 1)

    first = operator_client.post(
        f"{I1}order_items/{item.pk}/create_mapping/", {"code": "ERP-1"}, format="json"
    )
    again = operator_client.post(
        f"{I1}order_items/{item.pk}/create_mapping/", {"code": "ERP-2"}, format="json"
    )

    assert first.status_code == 201
    assert {k: first.json()[k] for k in ("object_id", "integration_type", "code")} == {
        "object_id": item.pk, "integration_type": "external_company", "code": "ERP-1",
    }  # fmt: skip
    assert again.json()["code"] == "ERP-2"
    assert OrderItemMapping.objects.count() == 1
    assert shop.stock(shop.offer) == (9, 0)


def test_a_channel_finds_its_order_by_number_and_lists_its_items(operator_client, shop, placed):
    by_number = operator_client.get(
        shop.url("orders/"), {"number": "MP-1", "channel_id": shop.channel.pk}
    )
    items = operator_client.get(shop.url("order_items/"), {"order": placed.pk, "sort": "id"})
    patched = operator_client.patch(
        shop.url(f"order_items/{items.json()['results'][0]['pk']}/"),
        {"invoice_number": "F1", "order_number": "ignored"},
        format="json",
    )

    assert numbers(by_number) == ["MP-1"]
    assert [row["extra_field"]["id"] for row in items.json()["results"]] == [
        f"line-{shop.offer.pk}", f"line-{shop.other_offer.pk}",
    ]  # fmt: skip
    assert patched.status_code == 200 and patched.json()["invoice_number"] == "F1"


def test_another_channels_orders_are_not_found(operator_client, placed):
    from tests.channels.factories import ChannelFactory

    other = ChannelFactory()

    assert numbers(operator_client.get(f"{V1}channel/{other.pk}/orders/?number=MP-1")) == []
    response = operator_client.get(f"{V1}channel/{other.pk}/orders/{placed.pk}/")
    assert response.status_code == 404


def test_orders_need_their_models_permissions(api_client, placed):
    from tests.factories import operator_token, staff_with_perms

    reader = staff_with_perms("orders.view_order", "orders.view_orderitem")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(reader)}")
    item = placed.items.first()

    assert api_client.get(f"{V1}orders/").status_code == 200
    assert api_client.patch(f"{V1}orders/{placed.pk}/", {"is_send": True}).status_code == 403
    assert api_client.patch(f"{V1}order_items/{item.pk}/", {"status": "450"}).status_code == 403
    mapping = api_client.post(f"{I1}order_items/{item.pk}/create_mapping/", {"code": "E"})
    assert mapping.status_code == 403
