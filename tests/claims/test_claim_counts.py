"""CLM001's `count` for a filter on type, cancelled_by and status comes from the per-seller
counts the claims services keep with every claim they create, move or delete; the counts always
equal the claims counted, and CLM001's count stays exact."""

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.claims import services
from pazar.claims.models import CancelledBy, Claim, ClaimCount
from pazar.core.errors import ApplicationError
from pazar.fulfilment.models import Package
from pazar.fulfilment.services import package_deliver, package_ship
from pazar.orders.models import OrderItem
from tests.fulfilment.conftest import client_of
from tests.orders.factories import CargoCompanyFactory

from .conftest import make_ordered

CLAIMS = "/seller-center/api/i2/claims/"


def kept(seller) -> dict[tuple, int]:
    return {
        (row.type, row.cancelled_by, row.status): row.count
        for row in ClaimCount.objects.filter(seller=seller)
        if row.count
    }


def counted(seller) -> dict[tuple, int]:
    return {
        (row["type"], row["cancelled_by"], row["status"]): row["n"]
        for row in Claim.objects.filter(seller=seller)
        .order_by()
        .values("type", "cancelled_by", "status")
        .annotate(n=Count("pk"))
    }


BY = st.sampled_from([CancelledBy.CUSTOMER, CancelledBy.SELLER, CancelledBy.OPERATOR])
LINE = st.integers(0, 3)  # single, triple, other seller's, own item
CLAIM = st.integers(0, 20)  # the n-th claim so far (modulo how many there are)
operation = st.one_of(
    st.tuples(st.just("cancel"), LINE, st.integers(1, 2), BY),
    st.tuples(st.just("request"), LINE, st.integers(1, 2), BY),
    st.tuples(st.just("deliver")),
    st.tuples(st.sampled_from(["wait", "approve", "reject", "receive", "complete"]), CLAIM, BY),
    st.tuples(st.just("delete"), CLAIM),
)
operations = st.lists(operation, max_size=14)


def apply(ordered, operation) -> None:
    name, *args = operation
    lines = [ordered.single, ordered.triple, ordered.other, ordered.own]
    claims = list(Claim.objects.filter(order=ordered.order).order_by("pk"))
    try:
        if name in ("cancel", "request"):
            line, quantity, by = args
            item = OrderItem.objects.get(pk=lines[line].pk)
            delivered = item.status == "550"
            reason = ordered.refund_reason if delivered else ordered.cancel_reason
            if name == "cancel":
                services.order_cancel(
                    order=ordered.order, cancelled_by=by,
                    lines=[services.ClaimLine(order_item=item, reason=reason, quantity=quantity)],
                )  # fmt: skip
            else:
                services.cancellation_request_create(
                    order_item=item, reason=reason, quantity=quantity, cancelled_by=by,
                    cancellation_type="refund" if delivered else "cancel",
                )  # fmt: skip
        elif name == "deliver":
            package = Package.objects.get(pk=ordered.package.pk)
            package_ship(package=package, shipping_company=CargoCompanyFactory(),
                         tracking_number="T1")  # fmt: skip
            package_deliver(package=package)
        elif name == "delete" and claims:
            services.claims_delete(claims=[claims[args[0] % len(claims)]])
        elif claims:
            claim, by = claims[args[0] % len(claims)], args[1]
            if name == "reject":
                services.claim_reject(claim=claim, reason="no", by=by)
            else:
                act = {
                    "wait": services.claim_wait,
                    "approve": services.claim_approve,
                    "receive": services.claim_receive,
                    "complete": services.claim_complete,
                }
                act[name](claim=claim, by=by)  # fmt: skip
    except ApplicationError:
        pass  # a move the claim or item does not allow: refused whole, nothing written


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=operations)
def test_the_kept_counts_equal_the_claims_counted_after_any_writes(operator_client, operations):
    with transaction.atomic():
        ordered = make_ordered(operator_client)
        sellers = [ordered.shop.offer.seller, ordered.shop.other_offer.seller]
        for operation in operations:
            apply(ordered, operation)
            for seller in sellers:
                assert kept(seller) == counted(seller), operation
        transaction.set_rollback(True)


@pytest.fixture
def claims(ordered):
    """The first seller: a cancel by the customer, a cancel by the seller (2 units) and a
    return (waiting); the second seller: a cancel."""
    services.order_cancel(
        order=ordered.order, cancelled_by=CancelledBy.CUSTOMER,
        lines=[services.ClaimLine(order_item=ordered.single, reason=ordered.cancel_reason)],
    )  # fmt: skip
    services.order_cancel(
        order=ordered.order, cancelled_by=CancelledBy.SELLER,
        lines=[services.ClaimLine(order_item=ordered.triple, reason=ordered.cancel_reason,
                                  quantity=2),
               services.ClaimLine(order_item=ordered.other, reason=ordered.cancel_reason)],
    )  # fmt: skip
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    package_deliver(package=ordered.package)
    [refund] = services.order_cancel(
        order=ordered.order, cancelled_by=CancelledBy.CUSTOMER,
        lines=[services.ClaimLine(order_item=ordered.triple, reason=ordered.refund_reason)],
    )  # fmt: skip
    services.claim_wait(claim=refund)
    ordered.seller = client_of(ordered.shop.offer.seller)
    return ordered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({}, 3),
        ({"type": "cancel"}, 2),
        ({"type": "exchange"}, 0),
        ({"type": ""}, 3),  # an empty value filters nothing
        ({"cancelled_by": "1"}, 2),
        ({"status": "completed"}, 2),
        ({"status__in": "waiting,open"}, 1),
        ({"status": "completed", "status__in": "waiting,completed"}, 2),
        ({"status": "open", "status__in": "waiting"}, 0),
        ({"type": "cancel", "cancelled_by": "2", "status__in": "completed"}, 1),
        ({"type": "refund", "status": "waiting", "limit": "1", "page": "1"}, 1),
    ],
)
def test_clm001_counts_from_the_kept_counts_without_counting_the_claims(claims, query, count):
    with CaptureQueriesContext(connection) as queries:
        response = claims.seller.get(CLAIMS, query)

    assert response.status_code == 200, response.json()
    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, int(query.get("limit", 10)))
    table = Claim._meta.db_table
    assert not [
        q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and table in q["sql"]
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"created_at__gte": "2000-01-01T00:00:00Z", "updated_at__lte": "2100-01-01T00:00:00Z"},
        {"x": "1"},
    ],
)
def test_other_parameters_count_the_claims_themselves(claims, query):
    with CaptureQueriesContext(connection) as queries:
        response = claims.seller.get(CLAIMS, query)

    assert response.json()["count"] == len(response.json()["results"]) > 0
    table = Claim._meta.db_table
    assert [q for q in queries.captured_queries if "COUNT(" in q["sql"] and table in q["sql"]]


@pytest.mark.django_db
def test_clm001_reads_a_page_in_the_same_queries_however_long_it_is(claims):
    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = claims.seller.get(CLAIMS, {"limit": limit})
        assert len(response.json()["results"]) == limit
        return len(captured.captured_queries)

    assert queries(1) == queries(3)
