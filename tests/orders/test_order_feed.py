"""A sales channel's `orders/updates/` feed, and Omnitron's other order reads (`order_number/`,
`order_items/`)."""

import pytest

from pazar.orders.models import Order

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/"


@pytest.fixture
def imported(operator_client, shop):
    """An order imported as channel_app imports one: placed, then committed and closed in a
    batch request that records the version it read."""
    placed = operator_client.post(shop.url("create_orders/"), shop.body(), format="json")
    assert placed.status_code == 201
    order = placed.json()
    batch = operator_client.post(
        shop.url("batch_requests/"), {"channel": shop.channel.pk}, format="json"
    ).json()
    objects = [
        {
            "pk": order["pk"],
            "content_type": "order",
            "version_date": order["modified_date"],
            "remote_id": "MP-1",
            "failed_reason_type": None,
        }
    ]
    for status in ("commit", "done"):
        moved = operator_client.patch(
            shop.url(f"batch_requests/{batch['pk']}/"),
            {"status": status, "content_type": "order", "objects": objects},
            format="json",
        )
        assert moved.status_code == 200, moved.content
    return Order.objects.get(pk=order["pk"])


def updates(client, shop) -> list[str]:
    response = client.get(shop.url("orders/updates/"), {"limit": 100, "page": 1})
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return [order["number"] for order in response.json()["results"]]


def test_an_imported_order_is_an_update_once_one_of_its_items_changes(
    operator_client, shop, imported
):
    before = operator_client.get(shop.url(f"orders/{imported.pk}/")).json()["modified_date"]
    assert updates(operator_client, shop) == []

    item = imported.items.get()
    changed = operator_client.patch(
        shop.url(f"order_items/{item.pk}/"), {"status": "450"}, format="json"
    )

    assert changed.status_code == 200, changed.content
    after = operator_client.get(shop.url(f"orders/{imported.pk}/")).json()["modified_date"]
    assert after > before
    assert updates(operator_client, shop) == ["MP-1"]


def test_an_order_held_by_an_open_batch_is_left_out_then_closed_away(
    operator_client, shop, imported
):
    item = imported.items.get()
    operator_client.patch(shop.url(f"order_items/{item.pk}/"), {"status": "450"}, format="json")
    [order] = operator_client.get(shop.url("orders/updates/")).json()["results"]
    batch = operator_client.post(
        shop.url("batch_requests/"), {"channel": shop.channel.pk}, format="json"
    ).json()
    objects = [{"pk": order["pk"], "content_type": "order", "version_date": order["modified_date"]}]
    operator_client.patch(
        shop.url(f"batch_requests/{batch['pk']}/"),
        {"status": "commit", "content_type": "order", "objects": objects},
        format="json",
    )

    assert updates(operator_client, shop) == []

    operator_client.patch(
        shop.url(f"batch_requests/{batch['pk']}/"),
        {"status": "done", "objects": [{**objects[0], "remote_id": "MP-1"}]},
        format="json",
    )
    assert updates(operator_client, shop) == []


def test_orders_placed_outside_a_batch_and_other_channels_orders_are_no_update(
    operator_client, shop, imported
):
    other = operator_client.post(shop.url("create_orders/"), shop.body("MP-2"), format="json")

    assert other.status_code == 201
    assert updates(operator_client, shop) == []
    response = operator_client.get(f"{V1}channel/999999/orders/updates/")
    assert response.status_code == 404 and "detail" in response.json()


def test_the_order_list_finds_orders_by_pk(operator_client, shop, imported):
    response = operator_client.get(shop.url("orders/"), {"pk__in": f"{imported.pk},999999"})

    assert [order["pk"] for order in response.json()["results"]] == [imported.pk]


def test_an_order_is_read_by_its_number(operator_client, shop, imported):
    found = operator_client.get(f"{V1}order_number/MP-1/")
    of_channel = operator_client.get(f"{V1}order_number/MP-1/", {"channel": shop.channel.pk})
    missing = operator_client.get(f"{V1}order_number/MP-404/")
    bad = operator_client.get(f"{V1}order_number/MP-1/", {"channel": "x"})

    assert found.status_code == 200 and found.json()["pk"] == imported.pk
    assert of_channel.json()["number"] == "MP-1"
    assert missing.status_code == 404 and "detail" in missing.json()
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_order_items_are_listed_by_order(operator_client, shop, imported):
    response = operator_client.get(f"{V1}order_items/", {"order": imported.pk})
    none = operator_client.get(f"{V1}order_items/", {"order": 999999})

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert (item["order"], item["product"]) == (imported.pk, shop.offer.pk)
    assert response.json()["next"] is None
    assert none.json()["results"] == []
