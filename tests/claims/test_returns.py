"""Returns end to end: the seller's decision, the operator's escalated queue, the units back to
stock when `RETURN_RESTOCK_ON` says, the refund amount seen by operator and seller; a seller's
rejected items as cancel claims; the claims' change feed and signed events."""

import json

import pytest

from pazar.callbacks.models import Callback
from pazar.callbacks.services import callback_signature
from pazar.claims.models import Claim
from pazar.core.services import dynamic_setting_set
from pazar.fulfilment.models import Package, PackageItem
from pazar.fulfilment.services import package_deliver, package_ship
from pazar.orders.models import OrderItem
from tests.fulfilment.conftest import client_of
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/omnitron/api/v1/cancellation_requests/"
CLAIMS = "/seller-center/api/i2/claims/"


@pytest.fixture
def delivered(operator_client, ordered):
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    package_deliver(package=ordered.package)
    ordered.seller = client_of(ordered.shop.offer.seller)
    ordered.other_seller = client_of(ordered.shop.other_offer.seller)
    return ordered


def _return(client, ordered, item, quantity=1, remote_id="RET-1") -> dict:
    response = client.post(
        ordered.shop.url("cancellation_requests/"),
        {"order_item": item.pk, "reason": ordered.refund_reason.pk, "quantity": quantity,
         "cancellation_type": "refund", "remote_id": remote_id, "description": "Too small"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()


def _operator(client, pk, action, **body):
    return client.post(f"{REQUESTS}{pk}/{action}/", body, format="json")


def _seller_row(seller, claim_id) -> dict:
    [row] = [r for r in seller.get(CLAIMS).json()["results"] if r["id"] == claim_id]
    return row


def _cancel_status(item: OrderItem) -> str:
    item.refresh_from_db()
    return item.cancel_status


def test_a_rejected_return_is_escalated_and_the_operator_approves_it_units_back_on_receipt(
    operator_client, delivered
):
    ordered = delivered
    created = _return(operator_client, ordered, ordered.triple, quantity=2)
    uuid = created["uuid"]
    assert ordered.stock(ordered.triple) == (7, 3)

    rejected = ordered.seller.post(f"{CLAIMS}{uuid}/reject/", {"reason": "Worn"}, format="json")

    assert rejected.status_code == 200, rejected.json()
    assert (rejected.json()["status"], rejected.json()["escalated"]) == ("rejected", True)
    assert _cancel_status(ordered.triple) == "waiting"  # still undecided: the operator's
    queue = operator_client.get(REQUESTS, {"escalated": "true"}).json()["results"]
    assert [(r["id"], r["status"], r["allowed_actions"]) for r in queue] == [
        (created["id"], "rejected", ["approve", "reject"])
    ]

    approved = _operator(operator_client, created["id"], "approve", reason="Goodwill")

    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["escalated"]) == ("approved", False)
    assert approved.json()["allowed_actions"] == ["receive", "complete"]
    assert _cancel_status(ordered.triple) == "confirmed"
    assert ordered.stock(ordered.triple) == (7, 3)  # RETURN_RESTOCK_ON is `received`

    received = _operator(operator_client, created["id"], "receive")

    assert (received.json()["status"], received.json()["restocked"]) == ("confirmed", True)
    assert ordered.stock(ordered.triple) == (9, 1)
    again = _operator(operator_client, created["id"], "receive")
    assert (again.status_code, again.json()["code"]) == (409, "claim_status_transition")
    assert ordered.stock(ordered.triple) == (9, 1)

    completed = _operator(operator_client, created["id"], "complete")

    assert completed.json()["status"] == "completed"
    assert _cancel_status(ordered.triple) == "completed"
    assert ordered.stock(ordered.triple) == (9, 1)
    # The refund amount, seen by both: 2 units of 50 less 2/3 of the line's 15 discount.
    assert completed.json()["refund_amount"] == "90.00"
    row = _seller_row(ordered.seller, uuid)
    assert (row["status"], row["refund_amount"], row["restocked"]) == ("completed", 90.0, True)
    assert [(h["from_status"], h["to_status"]) for h in row["history"]] == [
        ("", "open"), ("open", "rejected"), ("rejected", "approved"), ("approved", "approved"),
        ("approved", "completed"),
    ]  # fmt: skip


def test_the_seller_approves_a_return_and_the_units_come_back_on_approval_when_set(
    operator_client, delivered
):
    ordered = delivered
    dynamic_setting_set(key="RETURN_RESTOCK_ON", value="approved")
    created = _return(operator_client, ordered, ordered.single)

    approved = ordered.seller.post(f"{CLAIMS}{created['uuid']}/approve/", {}, format="json")

    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["restocked"]) == ("approved", True)
    assert ordered.stock(ordered.single) == (10, 0)
    _operator(operator_client, created["id"], "receive")
    assert ordered.stock(ordered.single) == (10, 0)  # once


def test_returned_units_never_come_back_when_set_to_never(operator_client, delivered):
    ordered = delivered
    dynamic_setting_set(key="RETURN_RESTOCK_ON", value="never")
    created = _return(operator_client, ordered, ordered.single)

    _operator(operator_client, created["id"], "approve")
    received = _operator(operator_client, created["id"], "receive")

    assert (received.json()["status"], received.json()["restocked"]) == ("confirmed", False)
    assert ordered.stock(ordered.single) == (9, 1)


def test_the_setting_takes_only_its_three_values(operator_client):
    response = operator_client.post(
        "/omnitron/api/v1/dynamic_settings/",
        {"key": "RETURN_RESTOCK_ON", "value": "shipped"},
        format="json",
    )

    assert response.status_code == 400
    assert "value" in response.json()
    good = operator_client.post(
        "/omnitron/api/v1/dynamic_settings/",
        {"key": "RETURN_RESTOCK_ON", "value": "approved"},
        format="json",
    )
    assert good.status_code in (200, 201), good.json()


def test_the_operators_rejection_of_an_escalated_return_is_final(operator_client, delivered):
    ordered = delivered
    created = _return(operator_client, ordered, ordered.single)
    ordered.seller.post(f"{CLAIMS}{created['uuid']}/reject/", {"reason": "Worn"}, format="json")

    response = _operator(operator_client, created["id"], "reject", reason="Agreed")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["escalated"], body["allowed_actions"]) == ("rejected", False, [])
    assert _cancel_status(ordered.single) == ""
    assert ordered.stock(ordered.single) == (9, 1)
    assert _operator(operator_client, created["id"], "approve").status_code == 409
    # Nothing pending any more: the customer may ask again (a new request on the marketplace).
    again = _return(operator_client, ordered, ordered.single, remote_id="RET-2")
    assert again["status"] == "waiting_approval"


def test_a_seller_may_not_decide_again_after_rejecting(operator_client, delivered):
    ordered = delivered
    created = _return(operator_client, ordered, ordered.single)
    ordered.seller.post(f"{CLAIMS}{created['uuid']}/reject/", {"reason": "Worn"}, format="json")

    again = ordered.seller.post(f"{CLAIMS}{created['uuid']}/approve/", {}, format="json")

    assert (again.status_code, again.json()["code"]) == (409, "claim_status_transition")
    assert Claim.objects.get(pk=created["id"]).status == "rejected"


def test_a_return_of_more_units_than_are_left_is_refused(operator_client, delivered):
    ordered = delivered
    _return(operator_client, ordered, ordered.triple, quantity=2)

    response = operator_client.post(
        ordered.shop.url("cancellation_requests/"),
        {"order_item": ordered.triple.pk, "reason": ordered.refund_reason.pk, "quantity": 2,
         "cancellation_type": "refund"}, format="json",
    )  # fmt: skip

    assert (response.status_code, response.json()["code"]) == (409, "claim_item_units_claimed")
    assert Claim.objects.count() == 1


def test_another_seller_cannot_decide_or_see_the_return(operator_client, delivered):
    ordered = delivered
    created = _return(operator_client, ordered, ordered.single)

    response = ordered.other_seller.post(f"{CLAIMS}{created['uuid']}/approve/", {}, format="json")

    assert response.status_code == 404
    assert ordered.other_seller.get(CLAIMS).json()["count"] == 0
    assert ordered.other_seller.get(f"{CLAIMS}changes/").json()["results"] == []
    assert Claim.objects.get(pk=created["id"]).status == "open"


# --- a seller's rejected items ------------------------------------------------------------------


def test_rejected_items_become_the_sellers_cancel_claims(operator_client, ordered):
    seller = client_of(ordered.shop.offer.seller)
    number = PackageItem.objects.get(order_item=ordered.triple).number

    response = seller.post(
        f"/seller-center/api/i2/packages/{ordered.package.number}/reject-items/",
        {"items": [{"item": number, "quantity": 2}], "reason": "Out of stock"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    [claim] = Claim.objects.all()
    assert (claim.type, claim.status, claim.cancelled_by, claim.quantity, claim.reason) == (
        "cancel", "completed", 2, 2, None,
    )  # fmt: skip
    assert ordered.stock(ordered.triple) == (9, 1)
    row = _seller_row(seller, str(claim.uuid))
    assert (row["reason"], row["detail"], row["cancelled_by"]) == (None, "Out of stock", 2)
    operator_row = operator_client.get(f"{REQUESTS}{claim.pk}/").json()
    assert (operator_row["status"], operator_row["cancelled_by"]) == ("completed", 2)
    assert Package.objects.get(pk=ordered.package.pk).status == 2


def test_rejecting_every_item_cancels_the_package(ordered):
    seller = client_of(ordered.shop.offer.seller)
    items = [{"item": n} for n in PackageItem.objects.filter(package=ordered.package)
             .order_by("pk").values_list("number", flat=True)]  # fmt: skip

    response = seller.post(
        f"/seller-center/api/i2/packages/{ordered.package.number}/reject-items/",
        {"items": items, "reason": "Closed"}, format="json",
    )  # fmt: skip

    assert response.json()["status"] == 1
    assert sorted(Claim.objects.values_list("cancelled_by", "quantity")) == [(2, 1), (2, 3)]
    assert ordered.stock(ordered.single) == (10, 0)
    assert ordered.stock(ordered.triple) == (10, 0)


# --- the change feed and signed events ------------------------------------------------------------


def test_claim_changes_are_a_cursor_feed_and_signed_events(operator_client, delivered):
    ordered = delivered
    seller_model = ordered.shop.offer.seller
    seller_model.callback_url = "https://hooks.example.com/pazar"
    seller_model.callback_secret = "s3cret"
    seller_model.save()
    created = _return(operator_client, ordered, ordered.single)
    ordered.seller.post(f"{CLAIMS}{created['uuid']}/approve/", {}, format="json")

    first = ordered.seller.get(f"{CLAIMS}changes/", {"limit": 1}).json()
    rest = ordered.seller.get(f"{CLAIMS}changes/", {"cursor": first["next_cursor"]}).json()

    assert [(c["kind"], c["status"], c["claim"]) for c in first["results"] + rest["results"]] == [
        ("created", "open", created["uuid"]), ("status_changed", "approved", created["uuid"]),
    ]  # fmt: skip
    assert (first["has_more"], rest["has_more"]) == (True, False)
    assert first["results"][0]["order_number"] == ordered.order.number
    events = Callback.objects.filter(seller=seller_model, event__startswith="claim.")
    assert [e.event for e in events.order_by("pk")] == ["claim.created", "claim.status_changed"]
    body = json.loads(events.order_by("pk").last().body)
    assert body["claim"]["id"] == created["uuid"] and body["claim"]["status"] == "approved"
    assert callback_signature("s3cret", events.last().body.encode()).startswith("sha256=")


@pytest.mark.parametrize("cursor", ["x", "-1", "1.5"])
def test_a_cursor_that_does_not_parse_is_a_400(delivered, cursor):
    response = delivered.seller.get(f"{CLAIMS}changes/", {"cursor": cursor})

    assert response.status_code == 400
