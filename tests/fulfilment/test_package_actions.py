"""The package actions: each allowed move, each illegal one (409 with a code), the order items'
statuses that mirror them, stock put back by rejected items, idempotent retries, bad input."""

import pytest

from pazar.fulfilment.models import Package, PackageChange, PackageEvent, PackageItem
from pazar.marketplace.models import IdempotentResponse
from pazar.orders.models import OrderItem, OrderItemEvent

SHIP = {"shipping_company": "YK", "tracking_number": "TRK-1", "tracking_url": "https://t.example/1",
        "waybill_number": "WB-1"}  # fmt: skip
INVOICE = {"invoice_number": "INV-1", "invoice_date": "2025-01-03T10:00:00Z",
           "invoice_data": "https://inv.example/1.pdf", "invoice_data_type": "URL"}  # fmt: skip


def item_statuses(package: Package) -> list[str]:
    return [item.order_item.status for item in package.items.select_related("order_item")]


def post(placed, action: str, body=None, **headers):
    return placed.seller.post(placed.url(f"{action}/"), body or {}, format="json", **headers)


def test_ready_moves_2_to_3_and_the_items_to_450(placed):
    response = post(placed, "ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 3
    assert body["allowed_actions"] == ["ship", "invoice", "split", "reject-items"]
    last = body["history"][-1]
    assert (last["from_status"], last["to_status"], last["by"]) == (2, 3, "seller")
    assert item_statuses(placed.refresh()) == ["450", "450"]
    assert OrderItemEvent.objects.filter(to_status="450").count() == 2


def test_ship_moves_to_4_with_tracking_and_the_items_to_500(placed, cargo):
    response = post(placed, "ship", SHIP)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 4
    assert body["tracking_number"] == "TRK-1" and body["waybill_number"] == "WB-1"
    assert body["shipping_company"] == {"erp_code": "YK", "name": "Yurtiçi Kargo"}
    assert body["shipment_date"] is not None
    assert body["allowed_actions"] == ["invoice"]
    items = OrderItem.objects.filter(pk__in=placed.package.items.values("order_item"))
    assert {(i.status, i.tracking_number, i.shipping_company_id) for i in items} == {
        ("500", "TRK-1", cargo.pk)
    }
    # the other seller's package and the operator's own item are untouched
    assert item_statuses(placed.other_package) == ["400"]


def test_invoice_is_attached_once(placed):
    response = post(placed, "invoice", INVOICE)
    assert response.status_code == 200
    body = response.json()
    assert (body["invoice_number"], body["invoice_data_type"]) == ("INV-1", "URL")
    assert body["status"] == 2 and "invoice" not in body["allowed_actions"]
    assert {i.order_item.invoice_number for i in placed.package.items.all()} == {"INV-1"}

    again = post(placed, "invoice", {**INVOICE, "invoice_number": "INV-2"})
    assert again.status_code == 409
    assert again.json()["code"] == "package_already_invoiced"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**INVOICE, "invoice_data_type": "PDF"}, "invoice_data_type"),
        ({**INVOICE, "invoice_data": "not a url"}, "non_field_errors"),
        ({**INVOICE, "invoice_data": "%%%", "invoice_data_type": "Base64"}, "invoice_data"),
        ({**INVOICE, "invoice_data_type": None}, "invoice_data_type"),
        ({"invoice_date": "2025-01-03T10:00:00Z"}, "invoice_number"),
        ({**INVOICE, "invoice_date": "tomorrow"}, "invoice_date"),
    ],
)
def test_bad_invoices_are_400_and_change_nothing(placed, body, field):
    response = post(placed, "invoice", body)
    assert response.status_code == 400
    assert field in response.json()
    assert placed.refresh().invoice_number == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SHIP, "shipping_company": "NOPE"}, "shipping_company"),
        ({**SHIP, "shipping_company": True}, "shipping_company"),
        ({k: v for k, v in SHIP.items() if k != "tracking_number"}, "tracking_number"),
        ({**SHIP, "tracking_url": "ftp:/x"}, "tracking_url"),
        ({**SHIP, "tracking_number": "x" * 300}, "tracking_number"),
    ],
)
def test_bad_shipments_are_400_and_change_nothing(placed, cargo, body, field):
    response = post(placed, "ship", body)
    assert response.status_code == 400
    assert field in response.json()
    assert placed.refresh().status == 2
    assert item_statuses(placed.package) == ["400", "400"]


def test_a_shipping_company_may_be_named_by_id(placed, cargo):
    assert post(placed, "ship", {**SHIP, "shipping_company": cargo.pk}).json()["status"] == 4


@pytest.mark.parametrize(
    ("before", "action", "body"),
    [
        (["ship"], "ready", {}),
        (["ship"], "ship", SHIP),
        (["ship"], "split", {"items": [{"item": "-1"}]}),
        (["ship"], "reject-items", {"items": [{"item": "-1"}], "reason": "x"}),
        (["ready"], "ready", {}),
        (["reject-all"], "ready", {}),
        (["reject-all"], "ship", SHIP),
        (["reject-all"], "invoice", INVOICE),
    ],
)
def test_illegal_moves_are_409_with_a_code_and_change_nothing(placed, cargo, before, action, body):
    for step in before:
        if step == "reject-all":
            numbers = [{"item": i.number} for i in placed.package.items.all()]
            assert (
                post(placed, "reject-items", {"items": numbers, "reason": "out"}).status_code == 200
            )
        else:
            assert post(placed, step, SHIP if step == "ship" else {}).status_code == 200
    if "items" in body:
        body = {**body, "items": [{"item": placed.package.number + "-1"}]}
    status_before = placed.refresh().status
    events_before = PackageEvent.objects.count()

    response = post(placed, action, body)

    assert response.status_code == 409
    assert response.json()["code"] == "package_status_transition"
    assert placed.refresh().status == status_before
    assert PackageEvent.objects.count() == events_before


def test_split_moves_chosen_items_and_units_into_a_new_preparing_package(placed):
    first, second = placed.package.items.order_by("pk")
    response = post(
        placed, "split", {"items": [{"item": first.number}, {"item": second.number, "quantity": 2}]}
    )

    assert response.status_code == 201
    new = response.json()
    assert new["status"] == 2 and new["split_from"] == placed.package.number
    assert new["number"] != placed.package.number and len(new["number"]) == 16
    new_items = PackageItem.objects.filter(package__number=new["number"]).select_related(
        "order_item"
    )
    assert [(i.number, i.order_item.quantity) for i in new_items] == [
        (f"{new['number']}-1", 1), (f"{new['number']}-2", 2)
    ]  # fmt: skip
    kept = PackageItem.objects.filter(package=placed.package).select_related("order_item")
    assert [(i.number, i.order_item.quantity) for i in kept] == [(second.number, 1)]
    # the order still has all its units, and the split units kept their stock
    units = OrderItem.objects.filter(order=placed.order, product=placed.second_offer)
    assert sorted((i.quantity, i.stock_taken) for i in units) == [(1, 1), (2, 2)]
    listed = placed.seller.get("/seller-center/api/i2/packages/").json()
    assert listed["count"] == 2


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([{"item": "0000000000000000-1"}], "package_item_unknown"),
        ([{"item": "own-1"}, {"item": "own-1"}], "package_item_repeated"),
        ([{"item": "own-2", "quantity": 4}], "package_item_quantity"),
        ([{"item": "own-1"}, {"item": "own-2"}], "package_split_leaves_nothing"),
    ],
)
def test_bad_splits_are_400_with_a_code_and_change_nothing(placed, items, code):
    items = [{**i, "item": i["item"].replace("own", placed.package.number)} for i in items]
    response = post(placed, "split", {"items": items})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Package.objects.filter(order=placed.order).count() == 2


@pytest.mark.parametrize("body", [{}, {"items": []}, {"items": "x"}, {"items": [{"quantity": 0}]}])
def test_split_bodies_that_do_not_parse_are_400(placed, body):
    assert post(placed, "split", body).status_code == 400


def test_rejected_items_give_their_units_back_and_the_empty_package_is_cancelled(placed):
    shop = placed.shop
    assert shop.stock(placed.second_offer) == (7, 3)
    first, second = placed.package.items.order_by("pk")

    partly = post(
        placed, "reject-items",
        {"items": [{"item": second.number, "quantity": 2}], "reason": "damaged"},
    )  # fmt: skip
    assert partly.status_code == 200
    assert partly.json()["status"] == 2
    assert shop.stock(placed.second_offer) == (9, 1)
    assert partly.json()["item_count"] == 2  # one unit of the second item is left

    rest = [{"item": first.number}, {"item": second.number}]
    done = post(placed, "reject-items", {"items": rest, "reason": "out of stock"})

    assert done.status_code == 200
    body = done.json()
    assert body["status"] == 1 and body["allowed_actions"] == []
    assert body["history"][-1]["to_status"] == 1
    assert shop.stock(placed.second_offer) == (10, 0)
    assert shop.stock(shop.offer) == (10, 0)
    statuses = OrderItem.objects.filter(order=placed.order, product__seller=shop.offer.seller)
    assert {i.status for i in statuses} == {"100"}
    items = placed.seller.get(placed.url("items/")).json()["results"]
    assert {i["status"] for i in items} == {1}
    again = post(placed, "reject-items", {"items": [{"item": first.number}], "reason": "x"})
    assert again.status_code == 409


def test_reject_needs_a_reason(placed):
    first = placed.package.items.first()
    response = post(placed, "reject-items", {"items": [{"item": first.number}]})
    assert response.status_code == 400 and "reason" in response.json()


def test_every_move_is_in_the_change_log(placed, cargo):
    post(placed, "ready")
    post(placed, "ship", SHIP)
    kinds = list(PackageChange.objects.filter(package=placed.package).values_list("kind", "status"))
    assert kinds == [("created", 2), ("status_changed", 3), ("status_changed", 4)]


# --- idempotency ----------------------------------------------------------------------------


def test_a_retried_action_with_the_same_key_applies_once_and_answers_the_same(placed, cargo):
    first = post(placed, "ship", SHIP, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(placed, "ship", SHIP, HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert PackageEvent.objects.filter(package=placed.package, to_status=4).count() == 1


def test_a_reused_key_with_another_body_is_422(placed, cargo):
    post(placed, "ship", SHIP, HTTP_IDEMPOTENCY_KEY="k-1")
    response = post(
        placed, "ship", {**SHIP, "tracking_number": "OTHER"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_the_same_key_on_another_path_or_seller_is_another_request(placed):
    assert post(placed, "ready", HTTP_IDEMPOTENCY_KEY="k").status_code == 200
    other = placed.other.post(
        placed.url("ready/", placed.other_package), {}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 200
    assert IdempotentResponse.objects.count() == 2


def test_a_failed_action_stores_nothing_so_a_retry_runs_again(placed, cargo):
    post(placed, "ship", SHIP)
    failed = post(placed, "ready", HTTP_IDEMPOTENCY_KEY="k-2")
    assert failed.status_code == 409
    assert IdempotentResponse.objects.count() == 0
