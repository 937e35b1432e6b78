"""The cancel's queries do not grow with its items: reads, locks and writes go per order,
package and table, never per item or unit (a 5-item cancel costs what a 1-item cancel does);
the services it runs join its transaction without savepoints of their own."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.claims.models import Claim
from pazar.orders.models import OrderItem
from tests.factories import ProductFactory, ProductStockFactory
from tests.fulfilment.conftest import place
from tests.orders.conftest import make_shop

from .factories import CancellationReasonFactory

pytestmark = pytest.mark.django_db


def _cancel_all(operator_client, order, reason) -> list[str]:
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    body = {
        "cancel_items": [item.pk for item in items],
        "reasons": {str(item.pk): reason.pk for item in items},
    }
    with CaptureQueriesContext(connection) as queries:
        response = operator_client.post(
            f"/omnitron/api/i1/orders/{order.pk}/cancel/", body, format="json"
        )
    assert response.status_code == 200, response.json()
    assert [claim["status"] for claim in response.json()] == ["completed"] * len(items)
    return [query["sql"] for query in queries.captured_queries]


def test_a_cancel_of_many_items_makes_no_more_queries_than_one_of_a_single_item(
    operator_client,
):
    shop = make_shop(stock=10)
    stock_list = shop.channel.catalog.stock_list
    offers = [shop.offer]
    own = [shop.own_product]
    for _ in range(4):
        offers.append(ProductFactory(seller=shop.offer.seller, live=True))
        ProductStockFactory(product=offers[-1], stock_list=stock_list, stock=10)
    for _ in range(2):
        own.append(ProductFactory(seller=None, live=True))
        ProductStockFactory(product=own[-1], stock_list=stock_list, stock=10)
    reason = CancellationReasonFactory(cancellation_type="cancel")
    small = place(
        operator_client, shop, "MP-Q1", [shop.item(offers[0]), shop.item(own[0])]
    )  # fmt: skip
    large = place(
        operator_client, shop, "MP-Q2",
        [shop.item(product, quantity=2) for product in offers]
        + [shop.item(product) for product in own],
    )  # fmt: skip

    one = _cancel_all(operator_client, small, reason)
    many = _cancel_all(operator_client, large, reason)

    assert Claim.objects.filter(order=large).count() == 8
    assert len(many) <= len(one), (len(one), len(many))
    # the cancel's own savepoint (it runs in the test's transaction), none for what it calls
    assert len([sql for sql in many if sql.startswith("SAVEPOINT")]) == 1, many
    assert [shop.stock(product)[0] for product in offers + own] == [10] * 8


# token (with its user), the order, the reasons; the cancel's savepoint (a transaction of its
# own outside the test's); the packages locked (with their sellers), the order items locked,
# their claimed units, the packages' items; the stock rows locked and moved by one UPDATE, the
# order items' UPDATE (status, units, cancel status) with their events, the package items',
# the package's UPDATE and its two events; the seller's change lock (PostgreSQL), taken once;
# the package's status counts and changes with the claims; the claims' history, counts, date
# counts and changes with the callbacks of the package's and the claims' changes; the
# release. PostgreSQL sends writes that do not depend on each other together
# (`core.sql.execute_together`: one statement each); SQLite runs them one by one.
STATEMENTS = {"postgresql": 13, "sqlite": 23}


def test_a_five_item_cancel_of_one_package_is_a_fixed_few_statements(operator_client):
    shop = make_shop(stock=10)
    offers = [shop.offer]
    for _ in range(4):
        offers.append(ProductFactory(seller=shop.offer.seller, live=True))
        ProductStockFactory(
            product=offers[-1], stock_list=shop.channel.catalog.stock_list, stock=10
        )
    reason = CancellationReasonFactory(cancellation_type="cancel")
    order = place(operator_client, shop, "MP-Q5", [shop.item(p, quantity=2) for p in offers])

    statements = _cancel_all(operator_client, order, reason)

    postgres = connection.vendor == "postgresql"
    assert len(statements) <= STATEMENTS[connection.vendor], "\n".join(statements)
    locks = [sql for sql in statements if "pg_advisory_xact_lock" in sql]
    assert len(locks) == postgres  # one seller, locked once for its packages and its claims
    # nothing is read twice: neither the order items nor the claims (once: their claimed units,
    # not again for the answer) and their history
    reads = [
        sql.split(" FROM ")[1].split()[0]
        for sql in statements
        if sql.startswith("SELECT") and " FROM " in sql  # not the change lock
    ]
    assert reads.count('"orders_orderitem"') == 1, reads
    assert reads.count('"claims_claim"') == 1 and '"claims_claimevent"' not in reads, reads
    # the package's callback event and the claims' go in one insert; the stock rows are not
    # read before they are moved
    assert sum('INSERT INTO "callbacks_callback"' in sql for sql in statements) == 1
    assert not any(sql.startswith('SELECT "inventory_productstock"') for sql in statements)
    assert [shop.stock(product)[0] for product in offers] == [10] * 5


def _answer_from_the_database(response) -> list[dict]:
    """DRF's own output of `ClaimSerializer`'s fields for the stored claims (the answer is
    written directly: `ClaimSerializer.to_representation`)."""
    from pazar.claims.api.serializers import ClaimSerializer

    claims = Claim.objects.filter(pk__in=[claim["pk"] for claim in response.json()])
    serializer = ClaimSerializer()
    return [
        json.loads(json.dumps(super(ClaimSerializer, serializer).to_representation(claim)))
        for claim in claims.prefetch_related("history").order_by("pk")
    ]


@pytest.mark.parametrize("kind", ["whole", "units", "refund"])
def test_the_cancel_answers_its_claims_as_they_are_stored(operator_client, kind):
    """The answer is built from the claims and history just written, without reading them
    again: it is what serializing the stored rows gives, field for field."""
    from tests.claims.conftest import make_ordered

    ordered = make_ordered(operator_client)
    if kind == "refund":
        from tests.claims.test_cancel_api import _deliver

        _deliver(ordered)
        items, reason = [ordered.single.pk, ordered.triple.pk], ordered.refund_reason
    else:
        items, reason = [ordered.single.pk, ordered.triple.pk, ordered.own.pk], None
        reason = ordered.cancel_reason
    cancel_items = [
        {"order_item": pk, "quantity": 2 if kind == "units" and pk == ordered.triple.pk else None}
        for pk in items
    ]
    body = {
        "cancel_items": [row if row["quantity"] else row["order_item"] for row in cancel_items],
        "reasons": {str(pk): reason.pk for pk in items},
        "is_cargo_refund": True,
        "forced_refund_amount": "100.5",
        "ibans": {str(items[0]): "TR00"},
        "holder_names": {str(items[0]): "Ayşe"},
        "descriptions": {str(items[0]): "not needed"},
    }

    response = operator_client.post(ordered.url(), body, format="json")

    assert response.status_code == 200, response.json()
    reference = _answer_from_the_database(response)
    assert response.json() == reference
    assert [list(claim) for claim in response.json()] == [list(claim) for claim in reference]
    assert [[list(event) for event in claim["history"]] for claim in response.json()] == [
        [list(event) for event in claim["history"]] for claim in reference
    ]
    assert [len(claim["history"]) for claim in response.json()] == (
        [1] * len(items) if kind == "refund" else [2] * len(items)
    )
