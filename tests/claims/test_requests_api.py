"""Cancellation requests (claims under Omnitron's name) on the channel and operator APIs, as
channel_app sends and reads them, and the channel's cancel form."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from pazar.claims.models import Claim
from pazar.fulfilment.models import Package
from pazar.fulfilment.services import package_deliver, package_ship
from pazar.orders.models import OrderItem
from tests.factories import OperatorFactory, operator_token
from tests.orders.conftest import make_shop
from tests.orders.factories import CargoCompanyFactory

from .factories import CancellationReasonFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/omnitron/api/v1/cancellation_requests/"


def _channel(ordered, path: str) -> str:
    return ordered.shop.url(path)


def _item(item: OrderItem) -> tuple[str, str, int]:
    item.refresh_from_db()
    return item.status, item.cancel_status, item.quantity


def _deliver(ordered) -> None:
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    package_deliver(package=ordered.package)


def _request(client, ordered, item, why, **fields):
    """What channel_app's CreateCancellationRequest posts (every DTO attribute)."""
    body = {"order_item": item.pk, "reason": why.pk, "remote_id": "R-1",
            "description": "Customer asked", "cancellation_type": "cancel", **fields}  # fmt: skip
    return client.post(_channel(ordered, "cancellation_requests/"), body, format="json")


def _unchanged(ordered) -> dict:
    return {
        "claims": Claim.objects.count(),
        "items": list(OrderItem.objects.order_by("pk").values_list("status", "cancel_status",
                                                                   "quantity")),
        "stock": [ordered.stock(i) for i in (ordered.single, ordered.triple, ordered.own)],
        "package": Package.objects.get(pk=ordered.package.pk).status,
    }  # fmt: skip


# --- the channel's cancel form ----------------------------------------------------------------


def test_the_channel_cancel_form_takes_channel_apps_body(operator_client, ordered):
    # CreateOrderCancel.get_data: exactly these four keys (reasons keyed by item pk).
    body = {
        "cancel_items": [ordered.single.pk, ordered.own.pk],
        "order": ordered.order.pk,
        "reasons": {ordered.single.pk: ordered.cancel_reason.pk,
                    ordered.own.pk: ordered.cancel_reason.pk},
        "forced_refund_amount": None,
    }  # fmt: skip

    response = operator_client.post(
        _channel(ordered, f"orders/{ordered.order.pk}/cancel/"), body, format="json"
    )

    assert response.status_code == 200, response.json()
    assert [(c["status"], c["cancelled_by"]) for c in response.json()] == [("completed", 1)] * 2
    assert _item(ordered.single) == ("100", "completed", 1)
    assert ordered.stock(ordered.single) == (10, 0)
    assert ordered.stock(ordered.own) == (10, 0)


def test_the_channel_cancel_form_is_a_404_for_another_channels_order(operator_client, ordered):
    other = make_shop()
    body = {"cancel_items": [ordered.single.pk], "order": ordered.order.pk,
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk}}  # fmt: skip
    before = _unchanged(ordered)

    response = operator_client.post(
        other.url(f"orders/{ordered.order.pk}/cancel/"), body, format="json"
    )

    assert response.status_code == 404
    assert _unchanged(ordered) == before


def test_the_channel_cancel_form_refuses_an_unknown_reason_and_changes_nothing(
    operator_client, ordered
):
    before = _unchanged(ordered)
    body = {"cancel_items": [ordered.single.pk], "order": ordered.order.pk,
            "reasons": {str(ordered.single.pk): 999999}, "forced_refund_amount": None}  # fmt: skip

    response = operator_client.post(
        _channel(ordered, f"orders/{ordered.order.pk}/cancel/"), body, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "cancellation_reason_unknown")
    assert _unchanged(ordered) == before


# --- cancellation requests: create ----------------------------------------------------------


def test_a_channel_requests_a_cancellation_as_channel_app_does(operator_client, ordered):
    response = _request(operator_client, ordered, ordered.single, ordered.cancel_reason)

    assert response.status_code == 201, response.json()
    body = response.json()
    # channel_app reads `id` (and sets pk from it), then `modified_date` for its batch.
    assert body["id"] == body["pk"] == Claim.objects.get().pk
    assert body["modified_date"].endswith("Z")
    assert {k: body[k] for k in ("order_item", "reason", "description", "cancellation_type",
            "status", "claim_status", "quantity", "remote_id", "cancelled_by", "easy_return",
            "fully_refund_as_loyalty_money", "allowed_actions")} == {
        "order_item": ordered.single.pk, "reason": ordered.cancel_reason.pk,
        "description": "Customer asked", "cancellation_type": "cancel",
        "status": "waiting_approval", "claim_status": "open", "quantity": 1, "remote_id": "R-1",
        "cancelled_by": 1, "easy_return": None, "fully_refund_as_loyalty_money": False,
        "allowed_actions": ["approve", "reject"],
    }  # fmt: skip
    # Awaiting a decision: the line is 50 (cancellation waiting), its units still sold.
    assert _item(ordered.single) == ("50", "waiting", 1)
    assert ordered.stock(ordered.single) == (9, 1)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"reason": 999999}, 400, "cancellation_reason_unknown"),
        ({"order_item": 999999}, 400, "claim_item_unknown"),
        ({"quantity": 4}, 400, "claim_item_quantity"),
        ({"cancellation_type": "refund"}, 400, "claim_item_not_returnable"),
        ({"cancellation_type": "exchange"}, 400, None),
        ({"quantity": 0}, 400, None),
    ],
)
def test_a_bad_request_is_a_4xx_and_changes_nothing(operator_client, ordered, change, status,
                                                     code):  # fmt: skip
    before = _unchanged(ordered)
    if change.get("cancellation_type") == "refund":
        change = {**change, "reason": ordered.refund_reason.pk}

    response = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason, **change)

    assert response.status_code == status, response.json()
    if code:
        assert response.json()["code"] == code
    assert _unchanged(ordered) == before


def test_a_refund_reason_for_a_cancellation_is_refused(operator_client, ordered):
    response = _request(operator_client, ordered, ordered.single, ordered.refund_reason)

    assert (response.status_code, response.json()["code"]) == (400, "cancellation_reason_type")
    assert Claim.objects.count() == 0


def test_another_channels_order_item_is_unknown_to_the_channel(operator_client, ordered):
    other = make_shop()
    body = {"order_item": ordered.single.pk, "reason": ordered.cancel_reason.pk}

    response = operator_client.post(other.url("cancellation_requests/"), body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "claim_item_unknown")
    assert Claim.objects.count() == 0


def test_units_a_request_waits_on_cannot_be_requested_again(operator_client, ordered):
    first = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason, quantity=2)
    assert first.status_code == 201
    before = _unchanged(ordered)

    again = _request(
        operator_client, ordered, ordered.triple, ordered.cancel_reason, quantity=2,
        remote_id="R-2",
    )  # fmt: skip
    cancel = operator_client.post(
        ordered.url(),
        {"cancel_items": [{"order_item": ordered.triple.pk, "quantity": 2}],
         "reasons": {str(ordered.triple.pk): ordered.cancel_reason.pk}}, format="json",
    )  # fmt: skip

    assert (again.status_code, again.json()["code"]) == (409, "claim_item_units_claimed")
    assert (cancel.status_code, cancel.json()["code"]) == (409, "claim_item_units_claimed")
    assert _unchanged(ordered) == before
    # The unit left may still be requested.
    left = _request(
        operator_client, ordered, ordered.triple, ordered.cancel_reason, remote_id="R-3"
    )
    assert left.status_code == 201


def test_the_same_marketplace_request_again_answers_the_one_made(operator_client, ordered):
    """channel_app posts every request its marketplace lists, on each run."""
    first = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason)
    assert first.status_code == 201
    before = _unchanged(ordered)

    again = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason, quantity=2)

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["quantity"] == 1
    assert _unchanged(ordered) == before
    # The same remote id on another line is another request.
    other = _request(operator_client, ordered, ordered.single, ordered.cancel_reason)
    assert other.status_code == 201


def test_a_return_request_after_delivery_and_a_cancellation_request_refused(
    operator_client, ordered
):
    _deliver(ordered)

    refund = _request(operator_client, ordered, ordered.single, ordered.refund_reason,
                      cancellation_type="refund")  # fmt: skip
    cancel = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason)

    assert refund.status_code == 201, refund.json()
    assert (refund.json()["status"], refund.json()["refund_amount"]) == (
        "waiting_approval",
        "90.00",
    )
    assert _item(ordered.single) == ("550", "waiting", 1)
    assert (cancel.status_code, cancel.json()["code"]) == (400, "claim_item_not_cancellable")


# --- decisions on cancellation requests ----------------------------------------------------


def _approve(client, pk, **body):
    return client.post(f"{REQUESTS}{pk}/approve/", body, format="json")


def test_approving_a_whole_line_request_cancels_it_and_puts_its_unit_back(operator_client, ordered):
    pk = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()["id"]

    response = _approve(operator_client, pk)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["claim_status"], body["allowed_actions"]) == (
        "completed", "completed", [],
    )  # fmt: skip
    assert [(h["from_status"], h["to_status"], h["by"]) for h in body["history"]] == [
        ("", "open", 1), ("open", "approved", 3), ("approved", "completed", 3),
    ]  # fmt: skip
    assert _item(ordered.single) == ("100", "completed", 1)
    assert ordered.stock(ordered.single) == (10, 0)
    assert Package.objects.get(pk=ordered.package.pk).status == 2  # the triple is left


def test_approving_two_of_three_units_splits_them_off_and_gives_the_line_its_status_back(
    operator_client, ordered
):
    pk = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason,
                  quantity=2).json()["id"]  # fmt: skip
    assert _item(ordered.triple) == ("50", "waiting", 3)

    body = _approve(operator_client, pk).json()

    holder = OrderItem.objects.get(pk=body["order_item"])
    assert holder.pk != ordered.triple.pk and body["source_item"] == ordered.triple.pk
    assert _item(holder) == ("100", "completed", 2)
    assert _item(ordered.triple) == ("400", "", 1)
    assert ordered.stock(ordered.triple) == (9, 1)


def test_rejecting_a_cancellation_request_gives_the_line_back_and_keeps_the_stock(
    operator_client, ordered
):
    pk = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()["id"]

    response = operator_client.post(f"{REQUESTS}{pk}/reject/", {"reason": "Shipped already"},
                                    format="json")  # fmt: skip

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["escalated"]) == ("rejected", False)
    assert _item(ordered.single) == ("400", "", 1)
    assert ordered.stock(ordered.single) == (9, 1)
    again = _approve(operator_client, pk)
    assert (again.status_code, again.json()["code"]) == (409, "claim_status_transition")


def test_a_rejection_needs_a_reason(operator_client, ordered):
    pk = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()["id"]

    response = operator_client.post(f"{REQUESTS}{pk}/reject/", {}, format="json")

    assert response.status_code == 400 and "reason" in response.json()
    assert Claim.objects.get(pk=pk).status == "open"


def test_a_package_with_an_item_awaiting_cancellation_cannot_ship(operator_client, ordered):
    _request(operator_client, ordered, ordered.single, ordered.cancel_reason)

    from pazar.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                     tracking_number="T1")  # fmt: skip
    assert refused.value.status_code == 409
    assert Package.objects.get(pk=ordered.package.pk).status == 2


def test_deciding_needs_the_change_claim_permission(operator_client, ordered):
    operator = OperatorFactory()
    operator.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(operator)}")
    pk = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()["id"]

    assert client.get(f"{REQUESTS}{pk}/").status_code == 200
    assert _approve(client, pk).status_code == 403
    assert Claim.objects.get(pk=pk).status == "open"


# --- lists, filters and the updates feed ---------------------------------------------------


@pytest.fixture
def requests(operator_client, ordered):
    """An open cancellation request, a rejected one and a completed one, on this channel."""
    open_ = _request(operator_client, ordered, ordered.triple, ordered.cancel_reason).json()["id"]
    rejected = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()
    operator_client.post(f"{REQUESTS}{rejected['id']}/reject/", {"reason": "no"}, format="json")
    done = _request(operator_client, ordered, ordered.own, ordered.cancel_reason).json()["id"]
    _approve(operator_client, done)
    ordered.requests = {"open": open_, "rejected": rejected["id"], "completed": done}
    return ordered


def _pks(response) -> list[int]:
    assert response.status_code == 200, response.json()
    assert response.json()["next"] is None
    return sorted(row["pk"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["open", "rejected", "completed"]),
        ({"status": "waiting_approval"}, ["open"]),
        ({"status": "rejected"}, ["rejected"]),
        ({"status": "completed", "cancellation_type": "cancel"}, ["completed"]),
        ({"cancellation_type": "refund"}, []),
        ({"status": "approved"}, []),
        ({"claim_status": "open"}, ["open"]),
        ({"remote_id": "R-1", "status": "waiting_approval"}, ["open"]),
    ],
)
def test_the_channel_lists_its_requests_with_channel_apps_filters(
    operator_client, requests, query, expected
):
    url = _channel(requests, "cancellation_requests/")

    found = _pks(operator_client.get(url, {"page": 1, "limit": 50, **query}))

    assert found == sorted(requests.requests[name] for name in expected)
    assert _pks(operator_client.get(REQUESTS, query)) == found


@pytest.mark.parametrize(
    "query",
    [{"status": "lost"}, {"cancellation_type": "exchange"}, {"escalated": "maybe"}],
)
def test_a_filter_value_that_does_not_parse_is_a_400(operator_client, requests, query):
    response = operator_client.get(REQUESTS, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_another_channels_requests_are_not_listed_or_readable(operator_client, requests):
    other = make_shop()
    pk = requests.requests["open"]

    assert _pks(operator_client.get(other.url("cancellation_requests/"))) == []
    assert operator_client.get(other.url(f"cancellation_requests/{pk}/")).status_code == 404
    read = operator_client.get(_channel(requests, f"cancellation_requests/{pk}/"))
    assert (read.status_code, read.json()["id"]) == (200, pk)


def _batch(client, ordered, objects, close="done"):
    base = ordered.shop.url("")
    batch = client.post(f"{base}batch_requests/", {"channel": ordered.shop.channel.pk},
                        format="json").json()  # fmt: skip
    url = f"{base}batch_requests/{batch['pk']}/"
    committed = client.patch(url, {"status": "commit", "content_type": "cancellationrequest",
                                   "objects": objects}, format="json")  # fmt: skip
    assert committed.status_code == 200, committed.json()
    if close:
        closed = client.patch(url, {"status": close, "objects": objects}, format="json")
        assert closed.status_code == 200, closed.json()


def test_the_updates_feed_lists_requests_changed_since_the_channel_had_them(
    operator_client, ordered
):
    created = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()
    updates = _channel(ordered, "cancellation_requests/updates/")
    # channel_app's CreateCancellationRequest commits what it created, with its remote id.
    _batch(operator_client, ordered, [{"pk": created["id"], "remote_id": "R-1",
                                       "version_date": created["modified_date"],
                                       "content_type": "cancellationrequest"}])  # fmt: skip
    assert _pks(operator_client.get(updates, {"limit": 100})) == []

    _approve(operator_client, created["id"])

    [row] = operator_client.get(updates, {"limit": 100}).json()["results"]
    assert (row["id"], row["status"], row["order_item"]) == (created["id"], "completed",
                                                             ordered.single.pk)  # fmt: skip
    # GetCancellationRequestUpdates reads it, sends it, and closes its batch with the version.
    _batch(operator_client, ordered, [{"pk": row["id"], "remote_id": "R-1",
                                       "version_date": row["modified_date"],
                                       "content_type": "cancellationrequest"}])  # fmt: skip
    assert _pks(operator_client.get(updates)) == []


def test_a_request_an_open_batch_holds_is_not_an_update(operator_client, ordered):
    created = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()
    item = {"pk": created["id"], "remote_id": "R-1", "version_date": created["modified_date"],
            "content_type": "cancellationrequest"}  # fmt: skip
    _batch(operator_client, ordered, [item])
    _approve(operator_client, created["id"])
    _batch(operator_client, ordered, [item], close=None)

    assert _pks(operator_client.get(_channel(ordered, "cancellation_requests/updates/"))) == []


def test_the_reasons_a_channel_maps_are_checked_against_the_type(operator_client, ordered):
    inactive = CancellationReasonFactory(is_active=False)

    response = _request(operator_client, ordered, ordered.single, inactive)

    assert (response.status_code, response.json()["code"]) == (400, "cancellation_reason_type")


def test_the_operator_records_a_request_and_reads_it(operator_client, ordered):
    response = operator_client.post(
        REQUESTS,
        {"order_item": ordered.own.pk, "reason": ordered.cancel_reason.pk, "quantity": 1,
         "iban": "TR000000000000000000000000", "holder_name": "Ayşe Yılmaz",
         "description": None, "remote_id": None, "pk": 77, "easy_return": {"code": "x"}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["pk"] != 77  # read-only keys channel apps echo are ignored
    assert (created["iban"], created["holder_name"], created["description"]) == (
        "TR000000000000000000000000", "Ayşe Yılmaz", "",
    )  # fmt: skip
    assert _item(ordered.own) == ("50", "waiting", 1)
    read = operator_client.get(f"{REQUESTS}{created['id']}/").json()
    assert read == created
    assert operator_client.get(f"{REQUESTS}999999/").status_code == 404
    assert _approve(operator_client, 999999).status_code == 404


def test_a_request_decided_after_the_package_moved_on_clears_the_lines_cancel_status(
    operator_client, ordered
):
    from pazar.fulfilment.services import package_ready

    pk = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()["id"]
    package_ready(package=ordered.package)
    assert _item(ordered.single) == ("450", "waiting", 1)

    response = operator_client.post(f"{REQUESTS}{pk}/reject/", {"reason": "Ready"}, format="json")

    assert response.status_code == 200, response.json()
    assert _item(ordered.single) == ("450", "", 1)


def test_a_request_approved_after_shipment_is_a_409_and_changes_nothing(operator_client, ordered):
    from pazar.fulfilment.services import package_ready

    pk = _request(operator_client, ordered, ordered.single, ordered.cancel_reason).json()["id"]
    package_ready(package=ordered.package)
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    before = _unchanged(ordered)

    response = _approve(operator_client, pk)

    assert (response.status_code, response.json()["code"]) == (409, "claim_item_not_cancellable")
    assert _unchanged(ordered) == before
    assert Claim.objects.get(pk=pk).status == "open"
