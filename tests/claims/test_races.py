"""Races of claims on real PostgreSQL connections: each thread has its own connection."""

import time

import pytest

from pazar.claims.models import Claim
from pazar.orders.models import OrderItem
from tests.claims.conftest import make_ordered
from tests.orders.test_races import _client, _race

pytestmark = pytest.mark.postgres_only


def _cancel(client, url: str, body: dict) -> tuple[int, dict]:
    """One cancel. The server allows 100 connections, shared with the test itself: a request
    refused a connection (503 `database_unavailable`) did nothing and is sent again."""
    for _ in range(100):
        response = client.post(url, body, format="json")
        if response.status_code != 503:
            return response.status_code, response.json()
        assert response.json()["code"] == "database_unavailable"
        time.sleep(0.05)
    return response.status_code, response.json()


def test_a_hundred_cancels_of_the_same_line_at_once_cancel_it_once(transactional_db):
    client = _client()
    ordered = make_ordered(client)
    body = {"cancel_items": [{"order_item": ordered.triple.pk, "quantity": 2}],
            "reasons": {str(ordered.triple.pk): ordered.cancel_reason.pk}}  # fmt: skip
    assert ordered.stock(ordered.triple) == (7, 3)

    outcomes = _race(100, lambda _: _cancel(client, ordered.url(), body))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    statuses = sorted(status for status, _ in outcomes)
    # The first cancels 2 of the 3 units; the line has 1 left, too few for the others.
    assert statuses == [200] + [409] * 99
    assert {body["code"] for status, body in outcomes if status != 200} == {
        "claim_item_units_claimed"
    }
    assert Claim.objects.count() == 1
    assert ordered.stock(ordered.triple) == (9, 1)
    ordered.triple.refresh_from_db()
    assert ordered.triple.quantity == 1


def test_a_hundred_cancels_of_a_whole_line_at_once_one_wins_the_others_are_409(
    transactional_db,
):
    client = _client()
    ordered = make_ordered(client)
    body = {"cancel_items": [ordered.single.pk],
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk}}  # fmt: skip

    outcomes = _race(100, lambda _: _cancel(client, ordered.url(), body))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert sorted(status for status, _ in outcomes) == [200] + [409] * 99
    assert {body["code"] for status, body in outcomes if status != 200} == {"claim_item_cancelled"}
    assert Claim.objects.count() == 1
    assert OrderItem.objects.get(pk=ordered.single.pk).status == "100"
    assert ordered.stock(ordered.single) == (10, 0)


REQUESTS = "/omnitron/api/v1/cancellation_requests/"


def _post(client, url: str, body: dict | None = None) -> tuple[int, dict]:
    return _cancel(client, url, body or {})


def test_twenty_approvals_of_one_cancellation_request_cancel_its_units_once(transactional_db):
    client = _client()
    ordered = make_ordered(client)
    created = client.post(
        ordered.shop.url("cancellation_requests/"),
        {"order_item": ordered.triple.pk, "reason": ordered.cancel_reason.pk, "quantity": 2},
        format="json",
    ).json()

    outcomes = _race(20, lambda _: _post(client, f"{REQUESTS}{created['id']}/approve/"))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert sorted(status for status, _ in outcomes) == [200] + [409] * 19
    assert {body["code"] for status, body in outcomes if status != 200} == {
        "claim_status_transition"
    }
    assert ordered.stock(ordered.triple) == (9, 1)
    assert sorted(OrderItem.objects.filter(order=ordered.order, product=ordered.triple.product)
                  .values_list("status", "quantity")) == [("100", 2), ("400", 1)]  # fmt: skip


def test_twenty_requests_for_the_same_units_at_once_open_one(transactional_db):
    client = _client()
    ordered = make_ordered(client)
    body = {"order_item": ordered.triple.pk, "reason": ordered.cancel_reason.pk, "quantity": 2}

    outcomes = _race(20, lambda _: _post(client, ordered.shop.url("cancellation_requests/"), body))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert sorted(status for status, _ in outcomes) == [201] + [409] * 19
    assert Claim.objects.count() == 1
    assert ordered.stock(ordered.triple) == (7, 3)


def test_twenty_receipts_of_one_return_put_its_units_back_once(transactional_db):
    from pazar.fulfilment.services import package_deliver, package_ship
    from tests.orders.factories import CargoCompanyFactory

    client = _client()
    ordered = make_ordered(client)
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    package_deliver(package=ordered.package)
    created = client.post(
        ordered.shop.url("cancellation_requests/"),
        {"order_item": ordered.triple.pk, "reason": ordered.refund_reason.pk, "quantity": 2,
         "cancellation_type": "refund"},
        format="json",
    ).json()  # fmt: skip
    assert client.post(f"{REQUESTS}{created['id']}/approve/").status_code == 200

    outcomes = _race(20, lambda _: _post(client, f"{REQUESTS}{created['id']}/receive/"))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert sorted(status for status, _ in outcomes) == [200] + [409] * 19
    assert ordered.stock(ordered.triple) == (9, 1)


def test_concurrent_cancels_of_one_sellers_orders_keep_its_claim_counts(transactional_db):
    from tests.claims.test_claim_counts import counted, kept
    from tests.fulfilment.conftest import place

    client = _client()
    ordered = make_ordered(client)
    shop = ordered.shop
    orders = [ordered.order] + [
        place(client, shop, f"MP-R{n}", [shop.item(shop.offer), shop.item(shop.other_offer)])
        for n in range(7)
    ]
    bodies = []
    for order in orders:
        items = list(OrderItem.objects.filter(order=order).values_list("pk", flat=True))
        bodies.append(
            (f"/omnitron/api/i1/orders/{order.pk}/cancel/",
             {"cancel_items": items,
              "reasons": {str(pk): ordered.cancel_reason.pk for pk in items}})
        )  # fmt: skip

    outcomes = _race(len(bodies), lambda racer: _cancel(client, *bodies[racer]))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert [status for status, _ in outcomes] == [200] * len(bodies)
    for seller in (shop.offer.seller, shop.other_offer.seller):
        assert kept(seller) == counted(seller)
    assert sum(kept(shop.offer.seller).values()) == 2 + 7  # single and triple, one line each


def test_cancels_and_new_orders_of_one_seller_at_once_do_not_deadlock(transactional_db):
    """A cancel locks its package, never the seller's row: an order placed meanwhile (its
    stock rows locked, its package referring to the seller) does not wait on it in a cycle."""
    from tests.fulfilment.conftest import place

    client = _client()
    ordered = make_ordered(client)
    shop = ordered.shop
    orders = [
        place(client, shop, f"MP-D{n}", [shop.item(shop.offer), shop.item(shop.other_offer)])
        for n in range(4)
    ]

    def work(racer: int):
        if racer % 2:
            body = shop.body(
                number=f"MP-N{racer}", items=[shop.item(shop.offer), shop.item(shop.other_offer)]
            )
            response = client.post(shop.url("create_orders/"), body, format="json")
            return response.status_code, response.json()
        order = orders[racer // 2]
        items = list(OrderItem.objects.filter(order=order).values_list("pk", flat=True))
        response = client.post(
            f"/omnitron/api/i1/orders/{order.pk}/cancel/",
            {"cancel_items": items, "reasons": {str(pk): ordered.cancel_reason.pk for pk in items}},
            format="json",
        )  # fmt: skip
        return response.status_code, response.json()

    outcomes = _race(8, work)

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert sorted(status for status, _ in outcomes) == [200] * 4 + [201] * 4, outcomes
