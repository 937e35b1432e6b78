"""`POST /omnitron/api/i1/orders/{id}/cancel/`: cancellations before shipment complete at once,
returns of delivered items open a claim; bad input is a 4xx and changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from pazar.claims.models import Claim, ClaimEvent
from pazar.fulfilment.models import Package, PackageItem
from pazar.fulfilment.services import package_deliver, package_ship
from pazar.orders.models import OrderItem
from tests.factories import OperatorFactory, operator_token
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db


def _status(item: OrderItem) -> tuple[str, str]:
    item.refresh_from_db()
    return item.status, item.cancel_status


def _unchanged(ordered) -> dict:
    """What a refused call must leave as it was."""
    return {
        "claims": Claim.objects.count(),
        "items": list(OrderItem.objects.order_by("pk").values_list("status", "quantity")),
        "stock": [ordered.stock(item) for item in (ordered.single, ordered.triple, ordered.own)],
        "package": Package.objects.get(pk=ordered.package.pk).status,
    }


def _deliver(ordered) -> None:
    cargo = CargoCompanyFactory()
    package_ship(package=ordered.package, shipping_company=cargo, tracking_number="T1")
    package_deliver(package=ordered.package)


def test_cancelling_a_whole_line_puts_its_unit_back_and_completes_the_claim(
    operator_client, ordered
):
    assert ordered.stock(ordered.single) == (9, 1)

    response = operator_client.post(
        ordered.url(),
        {"cancel_items": [ordered.single.pk], "reasons": {str(ordered.single.pk):
         ordered.cancel_reason.pk}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    [claim] = response.json()
    assert {k: claim[k] for k in ("order", "order_item", "source_item", "cancellation_type",
            "status", "cancelled_by", "reason", "quantity", "refund_amount",
            "allowed_actions")} == {
        "order": ordered.order.pk, "order_item": ordered.single.pk,
        "source_item": ordered.single.pk, "cancellation_type": "cancel", "status": "completed",
        "cancelled_by": 3, "reason": ordered.cancel_reason.pk, "quantity": 1,
        "refund_amount": "90.00", "allowed_actions": [],
    }  # fmt: skip
    assert [(e["from_status"], e["to_status"]) for e in claim["history"]] == [
        ("", "open"), ("open", "completed"),
    ]  # fmt: skip
    assert _status(ordered.single) == ("100", "completed")
    assert ordered.stock(ordered.single) == (10, 0)
    assert Package.objects.get(pk=ordered.package.pk).status == 2  # the triple is left


def test_cancelling_two_of_three_units_splits_the_line(operator_client, ordered):
    response = operator_client.post(
        ordered.url(),
        {"cancel_items": [{"order_item": ordered.triple.pk, "quantity": 2}],
         "reasons": {str(ordered.triple.pk): ordered.cancel_reason.pk}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    [claim] = response.json()
    cancelled = OrderItem.objects.get(pk=claim["order_item"])
    assert claim["source_item"] == ordered.triple.pk != cancelled.pk
    assert (cancelled.status, cancelled.quantity, cancelled.cancel_status) == (
        "100",
        2,
        "completed",
    )
    ordered.triple.refresh_from_db()
    assert (ordered.triple.status, ordered.triple.quantity) == ("400", 1)
    # 50 a unit less 15 over 3 units: 45 a unit.
    assert claim["refund_amount"] == "90.00"
    assert ordered.stock(ordered.triple) == (9, 1)
    assert PackageItem.objects.get(order_item=cancelled).package_id == ordered.package.pk


def test_cancelling_everything_of_a_package_cancels_the_package(operator_client, ordered):
    reason = ordered.cancel_reason.pk
    response = operator_client.post(
        ordered.url(),
        {"is_all": True, "reasons": {str(item.pk): reason for item in
         (ordered.single, ordered.triple, ordered.other, ordered.own)},
         "is_cargo_refund": True, "refund_invoice_number": "RI-1"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    assert len(response.json()) == 4
    assert {c["refund_invoice_number"] for c in response.json()} == {"RI-1"}
    assert Package.objects.get(pk=ordered.package.pk).status == 1
    assert set(OrderItem.objects.filter(order=ordered.order).values_list("status", flat=True)) == {
        "100"
    }
    for item in (ordered.single, ordered.triple, ordered.other, ordered.own):
        assert ordered.stock(item) == (10, 0)


def test_a_forced_refund_amount_replaces_the_computed_one(operator_client, ordered):
    reason = ordered.cancel_reason.pk
    response = operator_client.post(
        ordered.url(),
        {"cancel_items": [ordered.single.pk, ordered.own.pk], "forced_refund_amount": "10.01",
         "reasons": {str(ordered.single.pk): reason, str(ordered.own.pk): reason}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    amounts = [Decimal(claim["refund_amount"]) for claim in response.json()]
    assert sum(amounts) == Decimal("10.01")
    assert {claim["forced_refund_amount"] for claim in response.json()} == {"10.01"}
    assert _status(ordered.own) == ("100", "completed")
    assert ordered.stock(ordered.own) == (10, 0)


def test_a_return_of_a_delivered_item_opens_a_refund_claim(operator_client, ordered):
    _deliver(ordered)
    response = operator_client.post(
        ordered.url(),
        {"cancel_items": [{"order_item": ordered.triple.pk, "quantity": 2}],
         "reasons": {str(ordered.triple.pk): ordered.refund_reason.pk}, "is_cargo_refund": True,
         "ibans": {str(ordered.triple.pk): "TR330006100519786457841326"},
         "holder_names": {str(ordered.triple.pk): "Ayşe Yılmaz"}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    [claim] = response.json()
    assert {k: claim[k] for k in ("cancellation_type", "status", "quantity", "iban",
            "holder_name", "allowed_actions")} == {
        "cancellation_type": "refund", "status": "open", "quantity": 2,
        "iban": "TR330006100519786457841326", "holder_name": "Ayşe Yılmaz",
        "allowed_actions": ["wait", "approve", "reject"],
    }  # fmt: skip
    assert Decimal(claim["refund_amount"]) == Decimal("90.00") + ordered.order.shipping_amount
    assert _status(ordered.triple) == ("550", "waiting")
    assert ordered.stock(ordered.triple) == (7, 3)  # back when the return is received

    second = operator_client.post(
        ordered.url(),
        {"cancel_items": [{"order_item": ordered.triple.pk, "quantity": 2}],
         "reasons": {str(ordered.triple.pk): ordered.refund_reason.pk}},
        format="json",
    )  # fmt: skip
    assert second.status_code == 409
    assert second.json()["code"] == "claim_item_units_claimed"


def _refused(operator_client, ordered, body, status, code):
    before = _unchanged(ordered)
    response = operator_client.post(ordered.url(), body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert _unchanged(ordered) == before
    return response


def test_one_call_never_mixes_cancellations_and_returns(operator_client, ordered):
    _deliver(ordered)  # the first seller's items are delivered, the own item is not shipped
    body = {"cancel_items": [ordered.single.pk, ordered.own.pk],
            "reasons": {str(ordered.single.pk): ordered.refund_reason.pk,
                        str(ordered.own.pk): ordered.cancel_reason.pk}}  # fmt: skip

    _refused(operator_client, ordered, body, 400, "claim_mixed_types")


def test_a_return_before_delivery_is_refused(operator_client, ordered):
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    body = {"cancel_items": [ordered.single.pk],
            "reasons": {str(ordered.single.pk): ordered.refund_reason.pk}}  # fmt: skip

    _refused(operator_client, ordered, body, 400, "claim_item_not_returnable")


@pytest.mark.parametrize(
    ("make_body", "code"),
    [
        (lambda o: {"cancel_items": [o.single.pk], "reasons": {str(o.single.pk): 999999}},
         "cancellation_reason_unknown"),
        (lambda o: {"cancel_items": [o.single.pk]}, "cancellation_reason_missing"),
        (lambda o: {"cancel_items": [o.single.pk],
                    "reasons": {str(o.single.pk): o.refund_reason.pk}},
         "cancellation_reason_type"),
        (lambda o: {"cancel_items": [{"order_item": o.triple.pk, "quantity": 4}],
                    "reasons": {str(o.triple.pk): o.cancel_reason.pk}}, "claim_item_quantity"),
        (lambda o: {"cancel_items": [999999], "reasons": {"999999": o.cancel_reason.pk}},
         "claim_item_unknown"),
        (lambda o: {"cancel_items": [o.single.pk, {"order_item": o.single.pk}],
                    "reasons": {str(o.single.pk): o.cancel_reason.pk}}, "claim_item_repeated"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_with_a_code_and_changes_nothing(
    operator_client, ordered, make_body, code
):
    _refused(operator_client, ordered, make_body(ordered), 400, code)


def test_an_item_of_another_order_is_unknown(operator_client, ordered):
    from tests.claims.conftest import make_ordered

    another = make_ordered(operator_client, number="MP-201")
    body = {"cancel_items": [another.single.pk],
            "reasons": {str(another.single.pk): ordered.cancel_reason.pk}}  # fmt: skip

    _refused(operator_client, ordered, body, 400, "claim_item_unknown")
    assert _status(another.single) == ("400", "")


def test_an_item_cancelled_already_is_a_409(operator_client, ordered):
    body = {"cancel_items": [ordered.single.pk],
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk}}  # fmt: skip
    assert operator_client.post(ordered.url(), body, format="json").status_code == 200

    _refused(operator_client, ordered, body, 409, "claim_item_cancelled")
    assert ordered.stock(ordered.single) == (10, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "cancel_items"),
        ({"is_all": True, "cancel_items": [1]}, "cancel_items"),
        ({"cancel_items": ["x"]}, "cancel_items"),
        ({"cancel_items": [{"order_item": 1, "quantity": 0}]}, "cancel_items"),
        ({"cancel_items": [1], "reasons": {"a": 1}}, "reasons"),
        ({"cancel_items": [1], "forced_refund_amount": "-1"}, "forced_refund_amount"),
        ({"cancel_items": [1], "is_cargo_refund": "maybe"}, "is_cargo_refund"),
    ],
)
def test_a_malformed_body_is_a_400_naming_the_field(operator_client, ordered, body, field):
    response = operator_client.post(ordered.url(), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Claim.objects.exists()


def test_cancelling_needs_the_add_claim_permission(ordered):
    operator = OperatorFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(operator)}")
    body = {"cancel_items": [ordered.single.pk],
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk}}  # fmt: skip

    denied = client.post(ordered.url(), body, format="json")
    operator.user_permissions.add(Permission.objects.get(codename="add_claim"))
    allowed = client.post(ordered.url(), body, format="json")

    assert denied.status_code == 403
    assert allowed.status_code == 200, allowed.json()
    assert ClaimEvent.objects.filter(user=operator).count() == 2


@pytest.mark.parametrize("pk", [999999, 2**63])
def test_an_unknown_order_is_a_404(operator_client, ordered, pk):
    body = {"cancel_items": [ordered.single.pk],
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk}}  # fmt: skip

    response = operator_client.post(f"/omnitron/api/i1/orders/{pk}/cancel/", body, format="json")

    assert response.status_code == 404
    assert response.content == b'{"detail":"Not found.","code":"not_found"}'
    assert not Claim.objects.exists()


@pytest.mark.parametrize("reason", [2**31, 2**63, -1])
def test_a_reason_out_of_any_key_range_is_unknown(operator_client, ordered, reason):
    body = {"cancel_items": [ordered.single.pk], "reasons": {str(ordered.single.pk): reason}}

    _refused(operator_client, ordered, body, 400, "cancellation_reason_unknown")


def test_a_cancel_of_reported_and_unreported_sales_puts_both_back(operator_client, ordered):
    """The ERP had the sale of `single` (it left `sold_quantity_unreported`), not of `triple`:
    both go back to stock, and only `triple`'s units leave the unreported sales."""
    from pazar.orders.services import order_item_mapping_create

    order_item_mapping_create(order_item=ordered.single, code="ERP-1")
    assert (ordered.stock(ordered.single), ordered.stock(ordered.triple)) == ((9, 0), (7, 3))
    body = {"cancel_items": [ordered.single.pk, ordered.triple.pk],
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk,
                        str(ordered.triple.pk): ordered.cancel_reason.pk}}  # fmt: skip

    response = operator_client.post(ordered.url(), body, format="json")

    assert response.status_code == 200, response.json()
    assert (ordered.stock(ordered.single), ordered.stock(ordered.triple)) == ((10, 0), (10, 0))
    assert _status(ordered.single) == _status(ordered.triple) == ("100", "completed")
